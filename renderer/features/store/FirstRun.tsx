/** First run: create a new encrypted store, or unlock an existing one. */
import { useState, type FormEvent } from 'react';
import type { ApiError, AppInfo, StoreInfo } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { ErrorAlert } from '../../shared/components.js';
import { localError, useI18n } from '../../shared/i18n.js';

const LAST_PATH_KEY = 'wecom-audit.lastStore';
const MIN_PASSPHRASE = 8;

function lastPath(): string | null {
  try {
    return window.localStorage.getItem(LAST_PATH_KEY);
  } catch {
    return null;
  }
}
export function rememberStore(path: string): void {
  try {
    window.localStorage.setItem(LAST_PATH_KEY, path);
  } catch {
    /* not remembered */
  }
}

export function FirstRun({ info, onOpened }: { info: AppInfo; onOpened: (store: StoreInfo, created: boolean) => void }) {
  const { t } = useI18n();
  const remembered = lastPath();
  const [mode, setMode] = useState<'create' | 'unlock'>(remembered ? 'unlock' : 'create');
  const [createPath, setCreatePath] = useState(info.defaultDbPath);
  const [unlockPath, setUnlockPath] = useState(remembered ?? info.defaultDbPath);
  const [pass1, setPass1] = useState('');
  const [pass2, setPass2] = useState('');
  const [user, setUser] = useState('admin');
  const [unlockPass, setUnlockPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // shown once after a store is made: the only moment the recovery key can be written down
  const [recovery, setRecovery] = useState<{ key: string; opened: Parameters<typeof onOpened>[0] } | null>(null);

  function switchMode(m: 'create' | 'unlock') {
    setMode(m);
    setError(null);
  }

  async function pick(kind: 'saveFile' | 'files', set: (p: string) => void) {
    try {
      const r = await call('shell.pickPaths', { kind, title: t('first.path') });
      if (r.paths[0]) set(r.paths[0]);
    } catch (e) {
      setError(errorOf(e));
    }
  }

  async function submitCreate(e: FormEvent) {
    e.preventDefault();
    const dbPath = createPath.trim();
    if (!dbPath) return setError(localError('first.errPath'));
    if (pass1.length < MIN_PASSPHRASE) return setError(localError('first.errShort'));
    if (pass1 !== pass2) return setError(localError('first.errMismatch'));
    setBusy(true);
    setError(null);
    try {
      const made = await call('store.create', { dbPath, passphrase: pass1 });
      const now = await call('app.info', {});
      rememberStore(dbPath);
      setPass1('');
      setPass2('');
      const opened = now.open ?? { dbPath, user: 'admin', schemaVersion: 0, cipher: '' };
      if (made.recoveryKey) setRecovery({ key: made.recoveryKey, opened });
      else onOpened(opened, true);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function submitUnlock(e: FormEvent) {
    e.preventDefault();
    const dbPath = unlockPath.trim();
    if (!dbPath) return setError(localError('first.errPath'));
    setBusy(true);
    setError(null);
    try {
      const opened = await call('store.unlock', { dbPath, passphrase: unlockPass, user: user.trim() || 'admin' });
      rememberStore(dbPath);
      setUnlockPass('');
      onOpened(opened, false);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const keyringName = `${(mode === 'create' ? createPath : unlockPath).trim() || 'store.db'}.keyring`;

  if (recovery) {
    return (
      <div className="first-run">
        <div className="first-run-panel" data-testid="recovery-key-panel">
          <h1 className="first-run-heading">{t('first.recoveryTitle')}</h1>
          <p>{t('first.recoveryIntro')}</p>
          <p className="recovery-key mono" data-testid="recovery-key">
            {recovery.key}
          </p>
          <p className="hint">{t('first.recoveryHint')}</p>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" data-testid="recovery-done" onClick={() => onOpened(recovery.opened, true)}>
              {t('first.recoveryDone')}
            </button>
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="first-run">
      <div className="first-run-panel">
        <h1 className="first-run-heading">{t('first.heading')}</h1>
        <p className="muted">{t('first.intro')}</p>

        <div className="segmented" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'create'} className={mode === 'create' ? 'active' : ''} onClick={() => switchMode('create')} data-testid="tab-create">
            {t('first.tabCreate')}
          </button>
          <button type="button" role="tab" aria-selected={mode === 'unlock'} className={mode === 'unlock' ? 'active' : ''} onClick={() => switchMode('unlock')} data-testid="tab-unlock">
            {t('first.tabUnlock')}
          </button>
        </div>

        <ErrorAlert error={error} onClose={() => setError(null)} />

        {mode === 'create' ? (
          <form className="form" onSubmit={submitCreate} data-testid="create-form" noValidate>
            <div className="field">
              <label htmlFor="create-path">{t('first.path')}</label>
              <div className="input-row">
                <input id="create-path" className="input mono" value={createPath} onChange={(e) => setCreatePath(e.target.value)} spellCheck={false} autoComplete="off" />
                {info.nativeDialogs && (
                  <button type="button" className="btn" onClick={() => void pick('saveFile', setCreatePath)}>
                    {t('common.browse')}
                  </button>
                )}
              </div>
              <p className="hint">{t('first.pathHint')}</p>
            </div>
            <div className="field-pair">
              <div className="field">
                <label htmlFor="create-pass">{t('first.passphrase')}</label>
                <input id="create-pass" className="input" type="password" value={pass1} onChange={(e) => setPass1(e.target.value)} autoComplete="new-password" />
              </div>
              <div className="field">
                <label htmlFor="create-pass2">{t('first.passphrase2')}</label>
                <input id="create-pass2" className="input" type="password" value={pass2} onChange={(e) => setPass2(e.target.value)} autoComplete="new-password" />
              </div>
            </div>
            <p className="hint">{t('first.passphraseHint')}</p>
            <div className="notice">
              <strong>{t('first.cryptoTitle')}</strong>
              <p>{t('first.cryptoBody1')}</p>
              <p>{renderKeyring(t('first.cryptoBody2', { keyring: '\u0000' }), keyringName)}</p>
            </div>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-submit">
                {busy ? t('common.working') : t('first.create')}
              </button>
            </div>
          </form>
        ) : (
          <form className="form" onSubmit={submitUnlock} data-testid="unlock-form" noValidate>
            <div className="field">
              <label htmlFor="unlock-path">{t('first.path')}</label>
              <div className="input-row">
                <input id="unlock-path" className="input mono" value={unlockPath} onChange={(e) => setUnlockPath(e.target.value)} spellCheck={false} autoComplete="off" />
                {info.nativeDialogs && (
                  <button type="button" className="btn" onClick={() => void pick('files', setUnlockPath)}>
                    {t('common.browse')}
                  </button>
                )}
              </div>
            </div>
            <div className="field-pair">
              <div className="field">
                <label htmlFor="unlock-user">{t('first.user')}</label>
                <input id="unlock-user" className="input" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" spellCheck={false} />
              </div>
              <div className="field">
                <label htmlFor="unlock-pass">{t('first.passphrase')}</label>
                <input id="unlock-pass" className="input" type="password" value={unlockPass} onChange={(e) => setUnlockPass(e.target.value)} autoComplete="current-password" />
              </div>
            </div>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="unlock-submit">
                {busy ? t('common.working') : t('first.unlock')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

/** Puts the keyring file name into the sentence as code, wherever the language places it. */
function renderKeyring(sentence: string, keyring: string) {
  const [before, after] = sentence.split('\u0000');
  return (
    <>
      {before}
      <code className="keyring-name">{keyring}</code>
      {after}
    </>
  );
}
