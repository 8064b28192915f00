/** Overview: counts from store.stats, messages by type, the quarantine, and a message list. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApiError, In, MessageRow, QuarantineEntry, Stats } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert, ProblemTable, StatTile, TypeTable } from '../../shared/components.js';
import { useDirectory } from '../../shared/directory.js';
import { DAY_MS, beijingDate, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { typeLabel } from '../../shared/msgTypes.js';

const MESSAGE_LIMIT = 200;
const QUARANTINE_LIMIT = 500;

export function Overview({ active }: { active: boolean }) {
  const { t, lang } = useI18n();
  const [stats, setStats] = useState<Stats | null>(null);
  const [quarantine, setQuarantine] = useState<QuarantineEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [s, q] = await Promise.all([call('store.stats', {}), call('import.quarantine', { limit: QUARANTINE_LIMIT })]);
      setStats(s);
      setQuarantine(q);
      setError(null);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const fmt = (n: number) => formatCount(n, lang);

  return (
    <div className="screen" data-testid="overview-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('overview.heading')}</h1>
        <button type="button" className="btn" onClick={() => void load()} disabled={loading}>
          {loading ? t('common.loading') : t('common.refresh')}
        </button>
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {!stats ? (
        !error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          <div className="tiles tiles-4">
            <StatTile label={t('overview.messages')} value={stats.messages} testId="stat-messages" />
            <StatTile label={t('overview.conversations')} value={stats.conversations} testId="stat-conversations" />
            <StatTile label={t('overview.staff')} value={stats.staff} testId="stat-staff" />
            <StatTile label={t('overview.contacts')} value={stats.contacts} testId="stat-contacts" />
            <StatTile label={t('overview.quarantined')} value={stats.quarantined} tone={stats.quarantined ? 'warn' : undefined} testId="stat-quarantined" />
            <StatTile label={t('overview.mediaLinked')} value={stats.media.linked} tone="ok" testId="stat-media-linked" />
            <StatTile label={t('overview.mediaMissing')} value={stats.media.missing} tone={stats.media.missing ? 'warn' : undefined} testId="stat-media-missing" />
            <StatTile label={t('overview.mediaMismatched')} value={stats.media.mismatched} tone={stats.media.mismatched ? 'warn' : undefined} testId="stat-media-mismatched" />
          </div>
          <dl className="facts">
            <div>
              <dt>{t('overview.range')}</dt>
              <dd data-testid="stat-range">{stats.firstMessageAt !== null ? `${beijingTime(stats.firstMessageAt)} — ${beijingTime(stats.lastMessageAt)}` : '—'}</dd>
            </div>
            <div>
              <dt>{t('overview.lastImport')}</dt>
              <dd>{beijingTime(stats.lastImportAt) ?? t('overview.never')}</dd>
            </div>
          </dl>
          {stats.messages === 0 ? (
            <div className="notice">{t('overview.empty')}</div>
          ) : (
            <div className="grid-2">
              <Card title={t('overview.byType')}>
                <div className="scroll-box">
                  <TypeTable byType={stats.byType} testId="overview-bytype" />
                </div>
              </Card>
              <Card title={`${t('overview.quarantine')} (${fmt(stats.quarantined)})`} testId="overview-quarantine">
                {quarantine.length ? (
                  <>
                    <p className="muted">{t('overview.quarantineIntro')}</p>
                    <div className="scroll-box">
                      <ProblemTable rows={quarantine} />
                    </div>
                  </>
                ) : (
                  <p className="muted">{t('overview.quarantineEmpty')}</p>
                )}
              </Card>
            </div>
          )}
          {stats.messages > 0 && <MessageList stats={stats} active={active} />}
        </>
      )}
    </div>
  );
}

function MessageList({ stats, active }: { stats: Stats; active: boolean }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const last = stats.lastMessageAt ?? Date.now();
  // Default: the last seven Beijing calendar days that hold messages.
  const defaultTo = beijingDate(last);
  const defaultFrom = beijingDate(Math.max(stats.firstMessageAt ?? last, last - 6 * DAY_MS));
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(defaultTo);
  const [rows, setRows] = useState<MessageRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (fromDate: string, toDate: string) => {
    const input: In<'messages.list'> = { limit: MESSAGE_LIMIT + 1 };
    const f = beijingMidnight(fromDate);
    const tEnd = beijingMidnight(toDate);
    if (f !== null) input.from = f;
    if (tEnd !== null) input.to = tEnd + DAY_MS;
    try {
      setRows(await call('messages.list', input));
      setError(null);
    } catch (e) {
      setError(errorOf(e));
    }
  }, []);

  useEffect(() => {
    if (active) void load(from, to);
    // reload when the archive changes (new import) or the screen comes back
  }, [active, stats.messages, load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load(from, to);
  }

  const shown = rows ? rows.slice(0, MESSAGE_LIMIT) : [];
  const more = rows ? rows.length > MESSAGE_LIMIT : false;

  return (
    <Card
      title={t('overview.messagesList')}
      testId="overview-messages"
      actions={
        <form className="inline-form" onSubmit={submit} noValidate>
          <label htmlFor="msg-from">{t('overview.from')}</label>
          <input id="msg-from" className="input input-date" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <label htmlFor="msg-to">{t('overview.to')}</label>
          <input id="msg-to" className="input input-date" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="btn">
            {t('overview.show')}
          </button>
        </form>
      }
    >
      <p className="muted">
        {t('overview.messagesIntro')} {rows && (more ? t('overview.shownMax', { n: MESSAGE_LIMIT }) : t('overview.shown', { n: shown.length }))}
      </p>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {rows && shown.length === 0 ? (
        <p className="muted">{t('overview.noMessages')}</p>
      ) : (
        <div className="scroll-box tall">
          <table className="table table-messages">
            <thead>
              <tr>
                <th className="col-time">{t('overview.time')}</th>
                <th className="col-sender">{t('overview.sender')}</th>
                <th className="col-type">{t('common.type')}</th>
                <th>{t('overview.text')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.msgid}>
                  <td className="col-time mono">{beijingTime(m.msgtime) ?? <span className="muted">{t('overview.unknownTime')}</span>}</td>
                  <td className={`col-sender ${dir.nameOf(m.from) === m.from ? 'mono' : ''}`} title={m.from}>
                    {m.from ? dir.nameOf(m.from) : '—'}
                  </td>
                  <td className="col-type">
                    <span className={`type-tag type-${m.msgtype.replace(/[^a-z_]/g, '')}`}>{typeLabel(m.msgtype, lang)}</span>
                  </td>
                  <td className="col-text">
                    {m.text ? <span className="msg-text">{m.text}</span> : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
