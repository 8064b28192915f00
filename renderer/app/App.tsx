/** The application shell: header, first run (locked) or the screens of an open store. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError, AppInfo, StoreInfo } from '../../preload/api.js';
import { FirstRun } from '../features/store/FirstRun.js';
import { ImportScreen } from '../features/import/ImportScreen.js';
import { Overview } from '../features/overview/Overview.js';
import { call, errorOf } from '../platform/client.js';
import { ErrorAlert } from '../shared/components.js';
import { useI18n } from '../shared/i18n.js';
import { Header } from './Header.js';

type Screen = 'import' | 'overview';

export function App() {
  const { t } = useI18n();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [store, setStore] = useState<StoreInfo | null>(null);
  const [screen, setScreen] = useState<Screen>('import');
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // a fresh key per opened store, so the screens start clean after lock/unlock
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    call('app.info', {})
      .then((i) => {
        setInfo(i);
        setStore(i.open);
      })
      .catch((e: unknown) => setError(errorOf(e)));
  }, []);

  const opened = useCallback((s: StoreInfo, created: boolean) => {
    setStore(s);
    setEpoch((n) => n + 1);
    setScreen(created ? 'import' : 'overview');
  }, []);

  async function lock() {
    try {
      await call('store.lock', {});
      setStore(null);
      setError(null);
    } catch (e) {
      setError(errorOf(e));
    }
  }

  return (
    <div className="app">
      <Header store={store} importing={importing} onLock={() => void lock()} />
      {store && (
        <nav className="tabs" aria-label="main">
          {(['import', 'overview'] as const).map((s) => (
            <button key={s} type="button" className={`tab ${screen === s ? 'active' : ''}`} aria-current={screen === s ? 'page' : undefined} onClick={() => setScreen(s)} data-testid={`nav-${s}`}>
              {t(s === 'import' ? 'nav.import' : 'nav.overview')}
            </button>
          ))}
        </nav>
      )}
      <main className="content">
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {!info ? (
          !error && <p className="muted">{t('common.loading')}</p>
        ) : !store ? (
          <FirstRun info={info} onOpened={opened} />
        ) : (
          <div key={epoch}>
            {/* Both screens stay mounted, so a running import keeps its progress when you look at the overview. */}
            <div hidden={screen !== 'import'}>
              <ImportScreen info={info} onRunningChange={setImporting} onShowOverview={() => setScreen('overview')} />
            </div>
            <div hidden={screen !== 'overview'}>
              <Overview active={screen === 'overview'} />
            </div>
          </div>
        )}
      </main>
    </div>
  );
}
