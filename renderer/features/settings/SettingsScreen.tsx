/** Settings of the open store: the idle auto-lock, and what this store is. */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, Settings, StoreInfo } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert } from '../../shared/components.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { GuardButton } from '../../shared/session.js';

export function SettingsScreen({ store, settings, onSaved }: { store: StoreInfo; settings: Settings | null; onSaved: (s: Settings) => void }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState(settings ? String(settings.idleLockMinutes) : '');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (settings) setMinutes(String(settings.idleLockMinutes));
  }, [settings]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(minutes.trim());
    if (!/^\d+$/.test(minutes.trim()) || !Number.isInteger(n) || n < 0 || n > 1440) return setError(localError('settings.errMinutes'));
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const s = await call('settings.set', { idleLockMinutes: n });
      onSaved(s);
      setSaved(true);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const current = settings?.idleLockMinutes;
  return (
    <div className="screen" data-testid="settings-screen">
      <h1 className="screen-title">{t('settings.heading')}</h1>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Card title={t('settings.lockTitle')}>
        <form className="form settings-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="idle-minutes">{t('settings.idleMinutes')}</label>
            <div className="input-row narrow">
              <input
                id="idle-minutes"
                className="input input-number"
                type="number"
                min={0}
                max={1440}
                step={1}
                value={minutes}
                onChange={(e) => {
                  setMinutes(e.target.value);
                  setSaved(false);
                }}
                data-testid="idle-minutes"
              />
              <span className="unit">{t('settings.minutes')}</span>
              <GuardButton method="settings.set" type="submit" className="btn btn-primary" disabled={busy} data-testid="settings-save">
                {busy ? t('common.working') : t('settings.save')}
              </GuardButton>
              {saved && (
                <span className="ok-text" role="status" data-testid="settings-saved">
                  {t('settings.saved')}
                </span>
              )}
            </div>
            <p className="hint">{t('settings.idleHint')}</p>
            {current !== undefined && (
              <p className="muted small" data-testid="idle-current">
                {current === 0 ? t('settings.idleOff') : t('settings.idleOn', { n: current })}
              </p>
            )}
          </div>
        </form>
      </Card>
      <Card title={t('settings.storeTitle')}>
        <dl className="kvs wide">
          <div className="kv">
            <dt>{t('header.store')}</dt>
            <dd className="mono">{store.dbPath}</dd>
          </div>
          <div className="kv">
            <dt>{t('header.user')}</dt>
            <dd>{store.user}</dd>
          </div>
          <div className="kv">
            <dt>{t('settings.cipher')}</dt>
            <dd>{store.cipher || '—'}</dd>
          </div>
          <div className="kv">
            <dt>{t('settings.schema')}</dt>
            <dd className="mono">{store.schemaVersion}</dd>
          </div>
        </dl>
      </Card>
    </div>
  );
}
