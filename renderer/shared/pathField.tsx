/** A path typed in, with 选择… beside it where the host has native dialogs (Electron). */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../preload/api.js';
import { call, errorOf } from '../platform/client.js';
import { useI18n } from './i18n.js';

let nativeDialogs: Promise<boolean> | null = null;
function hasDialogs(): Promise<boolean> {
  if (!nativeDialogs) nativeDialogs = call('app.info', {}).then((i) => i.nativeDialogs).catch(() => false);
  return nativeDialogs;
}

export function PathField({
  value,
  onChange,
  kind,
  placeholder,
  testId,
  onError,
  id,
}: {
  value: string;
  onChange: (v: string) => void;
  kind: 'files' | 'saveFile' | 'folder';
  placeholder?: string;
  testId?: string;
  onError?: (e: ApiError) => void;
  id?: string;
}) {
  const { t } = useI18n();
  const [dialogs, setDialogs] = useState(false);
  useEffect(() => {
    let stale = false;
    void hasDialogs().then((d) => !stale && setDialogs(d));
    return () => {
      stale = true;
    };
  }, []);
  async function pick() {
    try {
      const r = await call('shell.pickPaths', { kind });
      if (r.paths[0]) onChange(r.paths[0]);
    } catch (e) {
      onError?.(errorOf(e));
    }
  }
  return (
    <div className="input-row">
      <input id={id} className="input mono" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} autoComplete="off" data-testid={testId} />
      {dialogs && (
        <button type="button" className="btn" onClick={() => void pick()}>
          {t('common.browse')}
        </button>
      )}
    </div>
  );
}
