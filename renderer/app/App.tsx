/** The application shell: header, first run (locked) or the screens of an open store. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError, AppInfo, StoreInfo } from '../../preload/api.js';
import { FirstRun } from '../features/store/FirstRun.js';
import { call, errorOf } from '../platform/client.js';
import { ErrorAlert } from '../shared/components.js';
import { DirectoryProvider } from '../shared/directory.js';
import { useI18n } from '../shared/i18n.js';
import { SessionProvider } from '../shared/session.js';
import { Header } from './Header.js';
import { Workspace, type Screen } from './Workspace.js';

export function App() {
  const { t } = useI18n();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [store, setStore] = useState<StoreInfo | null>(null);
  const [firstScreen, setFirstScreen] = useState<Screen>('import');
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [idleLocked, setIdleLocked] = useState<number | null>(null);
  // a fresh key per opened store, so the screens start clean after lock/unlock
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    call('app.info', {})
      .then((i) => {
        setInfo(i);
        setStore(i.open);
        if (i.open) setFirstScreen('overview');
      })
      .catch((e: unknown) => setError(errorOf(e)));
  }, []);

  const opened = useCallback((s: StoreInfo, created: boolean) => {
    setStore(s);
    setIdleLocked(null);
    setEpoch((n) => n + 1);
    setFirstScreen(created ? 'import' : 'overview');
  }, []);

  const lock = useCallback(async (idleMinutes?: number) => {
    try {
      await call('store.lock', {});
      setStore(null);
      setImporting(false);
      setError(null);
      setIdleLocked(idleMinutes ?? null);
    } catch (e) {
      setError(errorOf(e));
    }
  }, []);

  return (
    <div className="app">
      <Header store={store} importing={importing} onLock={() => void lock()} />
      {!info ? (
        <main className="content">
          <ErrorAlert error={error} onClose={() => setError(null)} />
          {!error && <p className="muted">{t('common.loading')}</p>}
        </main>
      ) : !store ? (
        <main className="content">
          <ErrorAlert error={error} onClose={() => setError(null)} />
          {idleLocked !== null && (
            <div className="notice notice-lock" role="status" data-testid="idle-locked">
              {t('idle.locked', { n: idleLocked })}
            </div>
          )}
          <FirstRun info={info} onOpened={opened} />
        </main>
      ) : (
        <DirectoryProvider key={epoch}>
          <SessionProvider>
          <Workspace info={info} store={store} initial={firstScreen} importing={importing} onImportingChange={setImporting} onIdle={(n) => void lock(n)} error={error} onCloseError={() => setError(null)} />
          </SessionProvider>
        </DirectoryProvider>
      )}
    </div>
  );
}
