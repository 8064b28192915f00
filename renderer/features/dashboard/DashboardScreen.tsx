/**
 * 仪表盘: the hits of a period (last 7 / 30 / 90 days or custom, Beijing days) by day and category,
 * by branch, the staff with most hits, the review backlog (status × severity) and import freshness,
 * from dashboard.get. Every bar opens the hits screen with the filter the core gave that point
 * (through the workspace: features never import each other), so the number clicked is the number
 * listed. A branch-scoped user's dashboard is their branch (the core sees to it).
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiError, Dashboard, HitFilter } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { ScopedBranchSelect } from '../../shared/branches.js';
import { Card, ErrorAlert, StatTile } from '../../shared/components.js';
import { DAY_MS, beijingDate, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/messages.js';
import { CATEGORIES, SEVERITIES, SEVERITY_KEYS, STATUSES, STATUS_KEYS, categoryLabel } from '../../shared/review.js';
import { useSession } from '../../shared/session.js';
import { BarPanel, CATEGORY_COLORS, SEVERITY_COLORS, type Series } from './charts.js';

type Period = '7' | '30' | '90' | 'custom';
const PERIODS: { id: Period; label: MessageKey }[] = [
  { id: '7', label: 'dash.p7' },
  { id: '30', label: 'dash.p30' },
  { id: '90', label: 'dash.p90' },
  { id: 'custom', label: 'dash.custom' },
];
/** an archive not imported for longer than this is flagged */
const STALE_DAYS = 2;

type Range = { from: number; to: number };

/** [from, to) in epoch ms, both Beijing midnights: what hits.list and the hits screen's dates read alike */
function rangeOf(period: Period, from: string, to: string, now: number): Range | ApiError {
  if (period !== 'custom') {
    const end = beijingMidnight(beijingDate(now))! + DAY_MS;
    return { from: end - Number(period) * DAY_MS, to: end };
  }
  const f = beijingMidnight(from);
  const e = beijingMidnight(to);
  if (f === null || e === null) return localError('dash.errCustom');
  if (e + DAY_MS <= f) return localError('search.errRange');
  return { from: f, to: e + DAY_MS };
}

const daysSince = (ms: number, now: number) => Math.floor((now - ms) / DAY_MS);

export function DashboardScreen({ active, onOpenHits, onOpenCases, onImport }: { active: boolean; onOpenHits: (f: HitFilter) => void; onOpenCases: () => void; onImport: () => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [period, setPeriod] = useState<Period>('30');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [branch, setBranch] = useState('');
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  // "today" is read again on every refresh
  const range = useMemo(() => rangeOf(period, from, to, Date.now()), [period, from, to, reload]);

  useEffect(() => {
    if (!active) return;
    if ('code' in range) return setError(range);
    let stale = false;
    setBusy(true);
    call('dashboard.get', { ...range, ...(branch && { branch }) })
      .then((d) => {
        if (stale) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)))
      .finally(() => !stale && setBusy(false));
    return () => {
      stale = true;
    };
  }, [active, range, branch]);

  function choose(p: Period) {
    if (p === 'custom' && !('code' in range)) {
      // a custom period starts as the one shown
      setFrom(beijingDate(range.from));
      setTo(beijingDate(range.to - 1));
    }
    setPeriod(p);
  }
  function showLatest(last: number) {
    setFrom(beijingDate(last - 29 * DAY_MS));
    setTo(beijingDate(last));
    setPeriod('custom');
  }

  const fmt = (n: number) => formatCount(n, lang);
  const scope = session.who?.branch || branch;
  const now = Date.now();

  return (
    <div className="screen" data-testid="dashboard-screen">
      <div className="screen-head">
        <div>
          <h1 className="screen-title">{t('dash.heading')}</h1>
          {data && (
            <p className="hint" data-testid="dash-range" data-from={data.from} data-to={data.to}>
              {t('dash.range', { from: beijingDate(data.from), to: beijingDate(data.to - 1) })} · {t('dash.clickHint')}
            </p>
          )}
        </div>
        <button type="button" className="btn" onClick={() => setReload((n) => n + 1)} disabled={busy}>
          {busy ? t('common.loading') : t('common.refresh')}
        </button>
      </div>

      <form className="panel pad dash-filters" onSubmit={(e) => e.preventDefault()} data-testid="dash-filters">
        <div className="mini-field">
          <span>{t('dash.period')}</span>
          <div className="segmented segmented-small" role="group" aria-label={t('dash.period')}>
            {PERIODS.map((p) => (
              <button key={p.id} type="button" className={period === p.id ? 'active' : ''} aria-pressed={period === p.id} onClick={() => choose(p.id)} data-testid={`dash-period-${p.id}`}>
                {t(p.label)}
              </button>
            ))}
          </div>
        </div>
        {period === 'custom' && (
          <>
            <label className="mini-field">
              <span>{t('search.from')}</span>
              <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="dash-from" />
            </label>
            <label className="mini-field">
              <span>{t('search.to')}</span>
              <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="dash-to" />
            </label>
          </>
        )}
        <label className="mini-field dash-branch">
          <span>{t('filter.branch')}</span>
          <ScopedBranchSelect value={branch} onChange={setBranch} testId="dash-branch" />
        </label>
      </form>

      <ErrorAlert error={error} onClose={() => setError(null)} />

      {!data ? (
        !error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <DashboardBody data={data} active={active} scope={scope} now={now} fmt={fmt} onOpenHits={onOpenHits} onOpenCases={onOpenCases} onImport={onImport} onShowLatest={showLatest} />
      )}
    </div>
  );
}

function DashboardBody({
  data,
  active,
  scope,
  now,
  fmt,
  onOpenHits,
  onOpenCases,
  onImport,
  onShowLatest,
}: {
  data: Dashboard;
  active: boolean;
  scope: string;
  now: number;
  fmt: (n: number) => string;
  onOpenHits: (f: HitFilter) => void;
  onOpenCases: () => void;
  onImport: () => void;
  onShowLatest: (last: number) => void;
}) {
  const { t, lang } = useI18n();
  const f = data.freshness;
  const period: HitFilter = { from: data.from, to: data.to, ...(scope && { branch: scope }) };
  const total = data.byDay.reduce((s, d) => s + d.hits, 0);
  const count = (status: string, severity?: string) => data.backlog.filter((b) => b.status === status && (!severity || b.severity === severity)).reduce((s, b) => s + b.hits, 0);
  const pending = count('new');
  const importAge = f.lastImportAt !== null ? daysSince(f.lastImportAt, now) : null;
  const stale = importAge === null || importAge > STALE_DAYS;
  const ago = (ms: number | null) => (ms === null ? undefined : daysSince(ms, now) < 1 ? t('dash.today') : t('dash.daysAgo', { n: fmt(daysSince(ms, now)) }));
  const latestOutside = f.lastMessageAt !== null && (f.lastMessageAt < data.from || f.lastMessageAt >= data.to);

  // hits per day and category: every day of the period on the axis, quiet days empty
  const trend = useMemo(() => {
    const points = new Map(data.byDay.map((p) => [`${p.day}|${p.category}`, p]));
    const present = new Set(data.byDay.map((p) => p.category));
    const cats = [...CATEGORIES.filter((c) => present.has(c)), ...[...present].filter((c) => !(CATEGORIES as readonly string[]).includes(c)).sort()];
    const rows: Record<string, number | string>[] = [];
    for (let day = data.from; day < data.to; day += DAY_MS) {
      const row: Record<string, number | string> = { key: beijingDate(day), label: beijingDate(day).slice(5) };
      for (const c of cats) row[c] = points.get(`${day}|${c}`)?.hits ?? 0;
      rows.push(row);
    }
    const series: Series[] = cats.map((c) => ({
      key: c,
      name: categoryLabel(c, lang),
      color: CATEGORY_COLORS[c] ?? '#7a8794',
      point: (row) => points.get(`${beijingMidnight(String(row.key))}|${c}`) ?? null,
    }));
    return { rows, series };
  }, [data, lang]);

  const branches = useMemo(() => {
    const rows = data.byBranch.map((b) => ({ key: b.branch, label: b.branch || t('dash.unattributed'), hits: b.hits }));
    const series: Series[] = [
      {
        key: 'hits',
        name: t('dash.hits'),
        color: '#1f5fae',
        point: (row) => {
          const b = data.byBranch.find((x) => x.branch === row.key);
          // a nameless group has no filter of its own: shown, not opened
          return b ? { hits: b.hits, filter: b.branch ? b.filter : null, title: b.branch ? undefined : t('dash.unattributedTip') } : null;
        },
      },
    ];
    return { rows, series };
  }, [data, t]);

  const staff = useMemo(() => {
    const rows = data.topStaff.map((s) => ({ key: s.staff, label: s.name || s.staff, high: s.high, other: s.hits - s.high, hits: s.hits }));
    const find = (row: Record<string, unknown>) => data.topStaff.find((s) => s.staff === row.key);
    const series: Series[] = [
      {
        key: 'high',
        name: t('dash.high'),
        color: SEVERITY_COLORS.high!,
        point: (row) => {
          const s = find(row);
          return s ? { hits: s.high, filter: { ...s.filter, severity: 'high' } } : null;
        },
      },
      {
        key: 'other',
        name: t('dash.other'),
        color: '#8fb3dc',
        // the rest of the bar opens all of the person's hits: its number is the bar's total
        point: (row) => {
          const s = find(row);
          return s ? { hits: s.hits, filter: s.filter, title: t('dash.staffAllTip', { name: s.name || s.staff, n: formatCount(s.hits, lang), high: formatCount(s.high, lang) }) } : null;
        },
      },
    ];
    return { rows, series };
  }, [data, t, lang]);

  const backlog = useMemo(() => {
    const present = new Set(data.backlog.map((b) => b.status));
    const statuses = [...STATUSES.filter((s) => present.has(s) || s === 'new' || s === 'escalated'), ...[...present].filter((s) => !(STATUSES as readonly string[]).includes(s))];
    const rows = statuses.map((s) => {
      const row: Record<string, number | string> = { key: s, label: STATUS_KEYS[s] ? t(STATUS_KEYS[s]!) : s, hits: count(s) };
      for (const sev of SEVERITIES) row[sev] = count(s, sev);
      return row;
    });
    const series: Series[] = SEVERITIES.map((sev) => ({
      key: sev,
      name: t(SEVERITY_KEYS[sev]!),
      color: SEVERITY_COLORS[sev]!,
      point: (row) => data.backlog.find((b) => b.status === row.key && b.severity === sev) ?? null,
    }));
    return { rows, series };
  }, [data, t]);

  return (
    <>
      <div className="tiles tiles-5" data-testid="dash-tiles">
        <StatTile label={t('dash.total')} value={total} testId="dash-total" onClick={() => onOpenHits(period)} title={t('dash.totalTip')} detail={t('dash.totalTip')} />
        <StatTile label={t('dash.pending')} value={pending} tone={pending ? 'warn' : 'ok'} testId="dash-pending" onClick={() => onOpenHits({ ...period, status: 'new' })} title={t('dash.pendingTip')} detail={t('dash.pendingHigh', { n: fmt(count('new', 'high')) })} />
        <StatTile label={t('dash.lastImport')} value={f.lastImportAt ?? 0} text={beijingTime(f.lastImportAt)?.slice(0, 16) ?? t('dash.never')} tone={stale ? 'warn' : 'ok'} testId="dash-last-import" detail={stale ? t('dash.stale', { n: STALE_DAYS }) : ago(f.lastImportAt)} />
        <StatTile label={t('dash.lastMessage')} value={f.lastMessageAt ?? 0} text={beijingTime(f.lastMessageAt)?.slice(0, 16) ?? t('dash.none')} tone="muted" testId="dash-last-message" detail={ago(f.lastMessageAt)} />
        <StatTile
          label={t('dash.cases')}
          value={f.openCases}
          tone={f.overdueCases ? 'danger' : undefined}
          testId="dash-open-cases"
          onClick={onOpenCases}
          title={t('dash.casesTip')}
          detail={<span data-testid="dash-overdue" data-value={f.overdueCases}>{f.overdueCases ? t('dash.overdue', { n: fmt(f.overdueCases) }) : t('dash.noOverdue')}</span>}
        />
      </div>

      {total === 0 ? (
        <div className="notice dash-empty" data-testid="dash-empty">
          <p className="strong">{f.lastMessageAt === null ? t('dash.noMessages') : t('dash.emptyPeriod')}</p>
          {f.lastMessageAt === null ? (
            <button type="button" className="btn btn-primary" onClick={onImport} data-testid="dash-go-import">
              {t('dash.goImport')}
            </button>
          ) : (
            latestOutside && (
              <button type="button" className="btn" onClick={() => onShowLatest(f.lastMessageAt!)} data-testid="dash-latest">
                {t('dash.showLatest', { date: beijingDate(f.lastMessageAt!) })}
              </button>
            )
          )}
        </div>
      ) : (
        <>
          <Card title={t('dash.trend')} testId="dash-trend">
            <BarPanel chart="trend" active={active} rows={trend.rows} series={trend.series} layout="columns" height={200} legend onOpen={onOpenHits} />
          </Card>
          <div className="grid-3">
            <Card title={t('dash.byBranch')} testId="dash-branches">
              {branches.rows.length ? <BarPanel chart="branch" active={active} rows={branches.rows} series={branches.series} layout="rows" height={rowsHeight(branches.rows.length)} total="hits" onOpen={onOpenHits} /> : <p className="muted">{t('dash.noBranchData')}</p>}
              <p className="hint">{t('dash.byBranchHint')}</p>
            </Card>
            <Card title={t('dash.topStaff')} testId="dash-staff">
              {staff.rows.length ? <BarPanel chart="staff" active={active} rows={staff.rows} series={staff.series} layout="rows" height={rowsHeight(staff.rows.length)} total="hits" legend onOpen={onOpenHits} /> : <p className="muted" data-testid="dash-staff-empty">{t('dash.noStaff')}</p>}
              <p className="hint">{t('dash.topStaffHint')}</p>
            </Card>
            <Card title={t('dash.backlog')} testId="dash-backlog">
              <BarPanel chart="backlog" active={active} rows={backlog.rows} series={backlog.series} layout="rows" height={rowsHeight(backlog.rows.length)} total="hits" legend onOpen={onOpenHits} />
              <p className="hint">{t('dash.backlogHint', { n: fmt(pending), m: fmt(count('escalated')) })}</p>
            </Card>
          </div>
        </>
      )}
    </>
  );
}

/** horizontal bars: a row each, within bounds */
const rowsHeight = (n: number) => Math.max(120, Math.min(360, 40 + n * 30));
