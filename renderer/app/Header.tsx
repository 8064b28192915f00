/** The top bar: product name, the open store and user, lock, and the language switch. */
import type { StoreInfo } from '../../preload/api.js';
import { useI18n, type Lang } from '../shared/i18n.js';

export function Header({ store, importing, onLock }: { store: StoreInfo | null; importing: boolean; onLock: () => void }) {
  const { t, lang, setLang } = useI18n();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="22" height="22">
            <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="currentColor" opacity="0.9" />
            <path d="m8.5 12 2.5 2.5 4.5-5" stroke="#1d3557" strokeWidth="2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </span>
        <div className="brand-text">
          <div className="brand-title" data-testid="app-title">
            {t('app.title')}
          </div>
          <div className="brand-sub">{t('app.subtitle')}</div>
        </div>
      </div>
      <div className="topbar-right">
        {store && (
          <div className="store-info" data-testid="store-info">
            <div className="store-line">
              <span className="store-label">{t('header.store')}</span>
              <span className="store-path mono" title={store.dbPath} data-testid="store-path">
                <bdi dir="ltr">{store.dbPath}</bdi>
              </span>
            </div>
            <div className="store-line">
              <span className="store-label">{t('header.user')}</span>
              <span className="store-user" data-testid="store-user">
                {store.user}
              </span>
            </div>
          </div>
        )}
        {store && (
          <button type="button" className="btn btn-topbar" onClick={onLock} disabled={importing} title={importing ? t('header.lockBusy') : undefined} data-testid="lock">
            <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
              <path d="M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1h1Zm2 0h6V7a3 3 0 0 0-6 0v3Z" fill="currentColor" />
            </svg>
            {t('header.lock')}
          </button>
        )}
        <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
          {(
            [
              ['zh', '中文'],
              ['en', 'English'],
            ] as [Lang, string][]
          ).map(([l, label]) => (
            <button key={l} type="button" className={lang === l ? 'active' : ''} aria-pressed={lang === l} onClick={() => setLang(l)} data-testid={`lang-${l}`}>
              {label}
            </button>
          ))}
        </div>
      </div>
    </header>
  );
}
