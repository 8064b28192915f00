/**
 * 命中: the hits of the scans (hits.list) with filters, the match highlighted, context on demand,
 * a jump into the conversation, PII masked unless revealed (pii.unmask, audited), scanning
 * (scan.run with scan.progress), and triage: confirm / dismiss with a reason / escalate
 * (review.triage), a hit's history (review.history) and a case from the selection (cases.create).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError, CaseRow, HitFilter, HitRow, In, Proposal, Review, ScanResult, ScanStatus, TriageStatus, ViewMessage } from '../../../preload/api.js';
import { api, call, errorOf } from '../../platform/client.js';
import { ScopedBranchSelect } from '../../shared/branches.js';
import { ErrorAlert, ProgressBar } from '../../shared/components.js';
import { partyDetail, useDirectory } from '../../shared/directory.js';
import { DAY_MS, beijingDate, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { Icon } from '../../shared/icons.js';
import { CATEGORIES, DISMISS_REASONS, HitText, SEVERITIES, SEVERITY_KEYS, STATUSES, STATUS_KEYS, SeverityBadge, StatusBadge, categoryLabel, isPiiNumber, maskDigits, reasonLabel } from '../../shared/review.js';
import { GuardButton, useSession } from '../../shared/session.js';

const PAGE = 50;
const REVEAL_MS = 30_000;
export type HitJump = { conversation: number; index: number; msgid: string };

type Filters = { category: string; severity: string; status: string; branch: string; staff: string; from: string; to: string };
const EMPTY: Filters = { category: '', severity: '', status: '', branch: '', staff: '', from: '', to: '' };

/** A filter handed in from elsewhere (a dashboard chart): `to` is exclusive, as hits.list takes it. */
export type HitsPreset = { filter: HitFilter; nonce: number };

function fromPreset(f: HitFilter): Filters {
  return {
    category: f.category ?? '',
    severity: f.severity ?? '',
    status: f.status ?? '',
    branch: f.branch ?? '',
    staff: f.staff ?? '',
    from: f.from !== undefined ? beijingDate(f.from) : '',
    to: f.to !== undefined ? beijingDate(f.to - 1) : '',
  };
}

export function HitsScreen({ active, onOpen, onCaseCreated, preset }: { active: boolean; onOpen: (j: HitJump) => void; onCaseCreated: (id: number) => void; preset?: HitsPreset | null }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const session = useSession();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; hits: HitRow[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [reload, setReload] = useState(0);
  // scanning
  const [scanning, setScanning] = useState(false);
  const [progress, setProgress] = useState<{ scanned: number; total: number } | null>(null);
  const [scan, setScan] = useState<ScanResult | null>(null);
  const [scanState, setScanState] = useState<ScanStatus | null>(null);
  // triage
  const [dismissOpen, setDismissOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [triaged, setTriaged] = useState<{ n: number; status: TriageStatus; proposals: Proposal[] } | null>(null);
  const [caseOpen, setCaseOpen] = useState(false);
  const [caseTitle, setCaseTitle] = useState('');
  const [openCases, setOpenCases] = useState<CaseRow[]>([]);
  const [existing, setExisting] = useState('');
  const [working, setWorking] = useState(false);

  useEffect(() => {
    if (!preset) return;
    setFilters(fromPreset(preset.filter));
    setOffset(0);
  }, [preset]);

  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setOffset(0);
  };

  const query = useMemo((): In<'hits.list'> | ApiError => {
    const q: In<'hits.list'> = { limit: PAGE, offset };
    if (filters.category) q.category = filters.category;
    if (filters.severity) q.severity = filters.severity as 'high' | 'medium' | 'low';
    if (filters.status) q.status = filters.status;
    if (filters.branch) q.branch = filters.branch;
    if (filters.staff) q.staff = filters.staff;
    const f = filters.from ? beijingMidnight(filters.from) : null;
    const to = filters.to ? beijingMidnight(filters.to) : null;
    if (f !== null) q.from = f;
    if (to !== null) q.to = to + DAY_MS;
    if (f !== null && to !== null && to + DAY_MS <= f) return localError('search.errRange');
    return q;
  }, [filters, offset]);

  useEffect(() => {
    if (!active) return;
    if ('code' in query) return setError(query);
    let stale = false;
    setBusy(true);
    call('hits.list', query)
      .then((r) => {
        if (stale) return;
        setData(r);
        setError(null);
        setSelected((s) => new Set([...s].filter((id) => r.hits.some((h) => h.id === id))));
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)))
      .finally(() => !stale && setBusy(false));
    return () => {
      stale = true;
    };
  }, [active, query, reload]);

  useEffect(() => api.on('scan.progress', (p) => setProgress(p)), []);
  // were the hits found by the rules in force now? (after every reload: scans and dictionary edits elsewhere)
  useEffect(() => {
    let stale = false;
    call('scan.status', {})
      .then((st) => !stale && setScanState(st))
      .catch(() => !stale && setScanState(null));
    return () => {
      stale = true;
    };
  }, [reload, active]);

  async function runScan(full: boolean) {
    setScanning(true);
    setProgress(null);
    setError(null);
    try {
      const r = await call('scan.run', full ? { full: true } : {});
      setScan(r);
      setReload((n) => n + 1);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setScanning(false);
    }
  }

  async function triage(status: TriageStatus) {
    const hits = [...selected];
    if (!hits.length) return;
    if (status === 'dismissed' && !reason) return setError(localError('hits.errReason'));
    if (status === 'dismissed' && reason === '其他' && !note.trim()) return setError(localError('hits.errOtherNote'));
    setWorking(true);
    setError(null);
    try {
      const input: In<'review.triage'> = { hits, status };
      if (status === 'dismissed') input.reason = reason;
      if (note.trim()) input.note = note.trim();
      const r = await call('review.triage', input);
      setTriaged({ n: r.updated, status: r.status, proposals: r.proposals });
      setSelected(new Set());
      setDismissOpen(false);
      setReason('');
      setNote('');
      setReload((n) => n + 1);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setWorking(false);
    }
  }

  useEffect(() => {
    if (!caseOpen) return;
    call('cases.list', {})
      .then((r) => setOpenCases(r.filter((c) => c.status !== 'closed')))
      .catch(() => setOpenCases([]));
  }, [caseOpen]);

  async function addToCase() {
    const id = Number(existing);
    if (!id) return setError(localError('hits.errChooseCase'));
    setWorking(true);
    setError(null);
    try {
      await call('cases.update', { id, addHits: [...selected] });
      setCaseOpen(false);
      setExisting('');
      setSelected(new Set());
      onCaseCreated(id);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setWorking(false);
    }
  }

  async function createCase() {
    const hits = [...selected];
    if (!caseTitle.trim()) return setError(localError('hits.errCaseTitle'));
    setWorking(true);
    setError(null);
    try {
      const r = await call('cases.create', { title: caseTitle.trim(), hits });
      setCaseOpen(false);
      setCaseTitle('');
      setSelected(new Set());
      onCaseCreated(r.id);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setWorking(false);
    }
  }

  const hits = data?.hits ?? [];
  const allOnPage = hits.length > 0 && hits.every((h) => selected.has(h.id));
  const toggleAll = () => setSelected(allOnPage ? new Set() : new Set(hits.map((h) => h.id)));
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  // a branch-scoped user sees their scope only (the core limits the list; other branches would be refused)
  const scope = session.who?.branch ?? '';
  const staffOptions = useMemo(() => {
    const b = scope || filters.branch;
    return b ? dir.staffList.filter((s) => s.branch === b || s.subBranch === b) : dir.staffList;
  }, [dir.staffList, filters.branch, scope]);
  const fmt = (n: number) => formatCount(n, lang);
  const none = selected.size === 0;
  const noneTip = none ? t('hits.selectFirst') : undefined;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  const page = Math.floor(offset / PAGE) + 1;

  return (
    <div className="screen" data-testid="hits-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('hits.heading')}</h1>
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setReload((n) => n + 1)} disabled={busy}>
            {t('common.refresh')}
          </button>
          <GuardButton method="scan.run" className="btn" onClick={() => void runScan(true)} disabled={scanning} title={t('hits.scanFullTip')} data-testid="scan-full">
            {t('hits.scanFull')}
          </GuardButton>
          <GuardButton method="scan.run" className="btn btn-primary" onClick={() => void runScan(false)} disabled={scanning} title={t('hits.scanTip')} data-testid="scan-run">
            {scanning ? t('hits.scanning') : t('hits.scan')}
          </GuardButton>
        </div>
      </div>

      {!scanning && scanState && (scanState.rulesChanged || scanState.unscanned > 0) && (
        <div className="notice notice-warn notice-row" role="status" data-testid="scan-stale">
          <span>
            {scanState.rulesChanged && <span data-testid="scan-rules-changed">{t('hits.rulesChanged')} </span>}
            {scanState.unscanned > 0 && <span data-testid="scan-unscanned">{t('hits.unscanned', { n: fmt(scanState.unscanned) })}</span>}
          </span>
          <GuardButton method="scan.run" className="btn" onClick={() => void runScan(scanState.rulesChanged)} data-testid="scan-stale-run">
            {scanState.rulesChanged ? t('hits.scanFull') : t('hits.scan')}
          </GuardButton>
        </div>
      )}

      {scanning && (
        <div className="panel pad" data-testid="scan-progress">
          <div className="progress-head">
            <span className="progress-file">{t('hits.scanning')}</span>
            <span className="progress-pct">{progress ? `${fmt(progress.scanned)} / ${fmt(progress.total)}` : t('import.starting')}</span>
          </div>
          <ProgressBar value={progress?.scanned ?? 0} max={progress?.total ?? 0} label={t('hits.scanning')} />
        </div>
      )}
      {scan && !scanning && <ScanSummary scan={scan} onClose={() => setScan(null)} />}

      <form className="panel filter-grid pad" onSubmit={(e) => e.preventDefault()} data-testid="hits-filters">
        <label className="mini-field">
          <span>{t('hits.category')}</span>
          <select className="input select" value={filters.category} onChange={(e) => set({ category: e.target.value })} data-testid="hits-category">
            <option value="">{t('hits.allCategories')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="mini-field">
          <span>{t('hits.severity')}</span>
          <select className="input select" value={filters.severity} onChange={(e) => set({ severity: e.target.value })} data-testid="hits-severity">
            <option value="">{t('hits.all')}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(SEVERITY_KEYS[s]!)}
              </option>
            ))}
          </select>
        </label>
        <label className="mini-field">
          <span>{t('hits.status')}</span>
          <select className="input select" value={filters.status} onChange={(e) => set({ status: e.target.value })} data-testid="hits-status-filter">
            <option value="">{t('hits.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_KEYS[s]!)}
              </option>
            ))}
          </select>
        </label>
        <label className="mini-field">
          <span>{t('filter.branch')}</span>
          <ScopedBranchSelect value={filters.branch} onChange={(v) => set({ branch: v, staff: '' })} testId="hits-branch" />
        </label>
        <label className="mini-field">
          <span>{t('filter.staff')}</span>
          <select className="input select" value={filters.staff} onChange={(e) => set({ staff: e.target.value })} data-testid="hits-staff">
            <option value="">{t('filter.allStaff')}</option>
            {staffOptions.map((s) => (
              <option key={s.userid} value={s.userid}>{`${s.name} · ${s.subBranch || s.branch || s.userid}`}</option>
            ))}
          </select>
        </label>
        <label className="mini-field">
          <span>{t('search.from')}</span>
          <input className="input" type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} data-testid="hits-from" />
        </label>
        <label className="mini-field">
          <span>{t('search.to')}</span>
          <input className="input" type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} data-testid="hits-to" />
        </label>
        <div className="mini-field filter-reset">
          <span>&nbsp;</span>
          <button type="button" className="btn" onClick={() => set(EMPTY)} disabled={JSON.stringify(filters) === JSON.stringify(EMPTY)}>
            {t('common.clear')}
          </button>
        </div>
      </form>
      <p className="hint">{t('hits.timeHint')}</p>

      <ErrorAlert error={error} onClose={() => setError(null)} />

      {triaged && (
        <div className="notice notice-ok" role="status" data-testid="triage-result">
          <button type="button" className="alert-close" onClick={() => setTriaged(null)} aria-label="×">
            ×
          </button>
          {t('hits.triaged', { n: fmt(triaged.n), status: t(STATUS_KEYS[triaged.status]!) })}
          {triaged.proposals.length > 0 && (
            <div data-testid="triage-proposals">
              <p className="strong">{t('hits.proposalsMade')}</p>
              <ul className="plain-list">
                {triaged.proposals.map((p) => (
                  <li key={p.id}>
                    <code>{p.rule}</code> · “{p.phrase}” · {t('dict.dismissals', { n: p.dismissals })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}

      <section className="panel" data-testid="hits-list">
        <div className="results-head hits-toolbar">
          <label className="check-all">
            <input type="checkbox" checked={allOnPage} onChange={toggleAll} disabled={!hits.length} data-testid="hits-select-all" />
            {t('hits.selectPage')}
          </label>
          <span className="muted small" data-testid="hits-selected" data-value={selected.size}>
            {t('hits.selected', { n: fmt(selected.size) })}
          </span>
          <GuardButton method="review.triage" className="btn btn-small" disabled={none || working} title={noneTip} onClick={() => void triage('confirmed')} data-testid="triage-confirm">
            {t('hits.confirm')}
          </GuardButton>
          <GuardButton method="review.triage" className="btn btn-small" disabled={none || working} title={noneTip} onClick={() => setDismissOpen((o) => !o)} data-testid="triage-dismiss">
            {t('hits.dismiss')}
          </GuardButton>
          <GuardButton method="review.triage" className="btn btn-small" disabled={none || working} title={noneTip} onClick={() => void triage('escalated')} data-testid="triage-escalate">
            {t('hits.escalate')}
          </GuardButton>
          <GuardButton method="cases.create" className="btn btn-small" disabled={none || working} title={noneTip} onClick={() => {
              if (!caseOpen && !caseTitle.trim()) setCaseTitle(suggestTitle(hits.filter((h) => selected.has(h.id)), lang));
              setCaseOpen((o) => !o);
            }} data-testid="case-from-hits">
            {t('hits.makeCase')}
          </GuardButton>
          <span className="toolbar-spacer" />
          {data && (
            <strong className="results-total" data-testid="hits-total" data-value={data.total}>
              {t('search.total', { n: fmt(data.total) })}
            </strong>
          )}
          {pages > 1 && (
            <div className="pager">
              <button type="button" className="btn btn-small" disabled={busy || page <= 1} onClick={() => setOffset(offset - PAGE)} data-testid="hits-prev">
                {t('search.prev')}
              </button>
              <span className="pager-pos small">{t('search.page', { i: fmt(page), n: fmt(pages) })}</span>
              <button type="button" className="btn btn-small" disabled={busy || page >= pages} onClick={() => setOffset(offset + PAGE)} data-testid="hits-next">
                {t('search.next')}
              </button>
            </div>
          )}
        </div>

        {dismissOpen && !none && (
          <div className="triage-panel" data-testid="dismiss-panel">
            <label className="mini-field">
              <span>{t('hits.reason')}</span>
              <select className="input select" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="dismiss-reason">
                <option value="">{t('hits.chooseReason')}</option>
                {DISMISS_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {reasonLabel(r, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label className="mini-field grow">
              <span>{t('hits.note')}</span>
              <input className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('hits.notePlaceholder')} data-testid="dismiss-note" />
            </label>
            <button type="button" className="btn btn-primary btn-small" disabled={working} onClick={() => void triage('dismissed')} data-testid="dismiss-submit">
              {t('hits.dismissN', { n: fmt(selected.size) })}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setDismissOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
        {caseOpen && !none && (
          <div className="triage-panel" data-testid="case-panel">
            <label className="mini-field grow">
              <span>{t('cases.title')}</span>
              <input className="input" value={caseTitle} onChange={(e) => setCaseTitle(e.target.value)} placeholder={t('cases.titlePlaceholder')} data-testid="case-title" />
            </label>
            <button type="button" className="btn btn-primary btn-small" disabled={working} onClick={() => void createCase()} data-testid="case-create-submit">
              {t('hits.makeCaseN', { n: fmt(selected.size) })}
            </button>
            {openCases.length > 0 && (
              <>
                <span className="muted small">{t('hits.orAddTo')}</span>
                <select className="input select" value={existing} onChange={(e) => setExisting(e.target.value)} data-testid="case-existing" style={{ width: 'auto', maxWidth: 280 }}>
                  <option value="">{t('hits.chooseCase')}</option>
                  {openCases.map((c) => (
                    <option key={c.id} value={c.id}>{`#${c.id} ${c.title}`}</option>
                  ))}
                </select>
                <GuardButton method="cases.update" className="btn btn-small" disabled={working || !existing} onClick={() => void addToCase()} data-testid="case-add-submit">
                  {t('hits.addToCase')}
                </GuardButton>
              </>
            )}
            <button type="button" className="btn btn-small" onClick={() => setCaseOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        )}

        {!data ? (
          <p className="muted empty-note">{t('common.loading')}</p>
        ) : hits.length === 0 ? (
          <p className="muted empty-note" data-testid="hits-empty">
            {t('hits.none')}
          </p>
        ) : (
          <ul className="hit-rows">
            {hits.map((h) => (
              <HitItem key={h.id} hit={h} checked={selected.has(h.id)} onToggle={() => toggle(h.id)} onOpen={onOpen} onError={setError} canUnmask={session.can('pii.unmask')} unmaskReason={session.reason('pii.unmask')} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** "张伟 · 承诺保本保收益 等 3 条命中": the people and categories of the selection. */
function suggestTitle(rows: HitRow[], lang: 'zh' | 'en'): string {
  if (!rows.length) return '';
  const names = [...new Set(rows.map((h) => h.from.name))].slice(0, 2).join('、');
  const cats = [...new Set(rows.map((h) => categoryLabel(h.category, lang)))].slice(0, 2).join('、');
  return lang === 'zh' ? `${names} · ${cats}（${rows.length} 条命中）` : `${names} · ${cats} (${rows.length} hits)`;
}

function ScanSummary({ scan, onClose }: { scan: ScanResult; onClose: () => void }) {
  const { t, lang } = useI18n();
  const fmt = (n: number) => formatCount(n, lang);
  return (
    <section className="panel pad scan-summary" data-testid="scan-summary">
      <button type="button" className="alert-close float-close" onClick={onClose} aria-label="×">
        ×
      </button>
      <div className="facts-inline">
        <span>
          {t('hits.scanned')} <strong data-testid="scan-scanned" data-value={scan.scanned}>{fmt(scan.scanned)}</strong>
        </span>
        <span>
          {t('hits.scanNew')} <strong data-testid="scan-new" data-value={scan.hits}>{fmt(scan.hits)}</strong>
        </span>
        <span>
          {t('hits.scanRetired')} <strong data-testid="scan-retired" data-value={scan.retired}>{fmt(scan.retired)}</strong>
        </span>
        <span>
          {t('hits.scanActive')} <strong>{fmt(scan.active)}</strong>
        </span>
        <span className="muted small">{t('search.took', { ms: scan.tookMs })}</span>
        <span className="muted small">{scan.dictionaries.map((d) => `${d.name} v${d.version}`).join('，')}</span>
      </div>
      {(scan.appeared.length > 0 || scan.disappeared.length > 0) && scan.scanId > 1 && (
        <div className="grid-2 scan-changes">
          <ChangeList title={t('hits.appeared', { n: fmt(scan.appeared.length) })} rows={scan.appeared} testId="scan-appeared" tone="add" />
          <ChangeList title={t('hits.disappeared', { n: fmt(scan.disappeared.length) })} rows={scan.disappeared} testId="scan-disappeared" tone="del" />
        </div>
      )}
    </section>
  );
}

function ChangeList({ title, rows, testId, tone }: { title: string; rows: ScanResult['appeared']; testId: string; tone: 'add' | 'del' }) {
  const { lang } = useI18n();
  return (
    <div data-testid={testId}>
      <h3 className="sub-title">{title}</h3>
      <ul className={`change-list change-${tone}`}>
        {rows.slice(0, 100).map((r) => (
          <li key={`${r.hit}`}>
            <code>{r.rule}</code> {categoryLabel(r.category, lang)} · “{r.category === 'pii' ? '***' : r.match}”
          </li>
        ))}
        {rows.length > 100 && <li className="muted">… +{rows.length - 100}</li>}
      </ul>
    </div>
  );
}

function HitItem({
  hit,
  checked,
  onToggle,
  onOpen,
  onError,
  canUnmask,
  unmaskReason,
}: {
  hit: HitRow;
  checked: boolean;
  onToggle: () => void;
  onOpen: (j: HitJump) => void;
  onError: (e: ApiError) => void;
  canUnmask: boolean;
  unmaskReason: string | undefined;
}) {
  const { t, lang } = useI18n();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [context, setContext] = useState<{ index: number; offset: number; messages: ViewMessage[] } | null>(null);
  const [history, setHistory] = useState<Review[] | null>(null);
  const [loading, setLoading] = useState<string | null>(null);

  // a revealed number is masked again after a while
  useEffect(() => {
    if (!revealed) return;
    const timer = window.setTimeout(() => setRevealed(null), REVEAL_MS);
    return () => window.clearTimeout(timer);
  }, [revealed]);

  const locate = useCallback(async () => {
    const at = await call('conversations.locate', { msgid: hit.msgid });
    if (!at) throw new Error(t('search.noConversation'));
    return at;
  }, [hit.msgid, t]);

  async function run(what: string, fn: () => Promise<void>) {
    setLoading(what);
    try {
      await fn();
    } catch (e) {
      onError(e instanceof Error && !('error' in e) ? localError('search.noConversation') : errorOf(e));
    } finally {
      setLoading(null);
    }
  }

  const toggleContext = () =>
    context
      ? setContext(null)
      : run('context', async () => {
          const at = await locate();
          const offset = Math.max(0, at.index - 3);
          const w = await call('conversations.messages', { conversation: at.conversation, offset, limit: 7 });
          setContext({ index: at.index, offset: w.offset, messages: w.messages });
        });
  const open = () =>
    run('open', async () => {
      const at = await locate();
      onOpen({ conversation: at.conversation, index: at.index, msgid: hit.msgid });
    });
  const toggleHistory = () => (history ? setHistory(null) : run('history', async () => setHistory(await call('review.history', { hit: hit.id }))));
  const reveal = () => (revealed ? setRevealed(null) : run('unmask', async () => setRevealed((await call('pii.unmask', { hit: hit.id })).match)));

  const sender = hit.from;
  const detail = partyDetail(sender);
  return (
    <li className={`hit-row ${checked ? 'selected' : ''}`} data-testid="hit-row" data-hit={hit.id} data-category={hit.category} data-rule={hit.rule} data-status={hit.status}>
      <input type="checkbox" checked={checked} onChange={onToggle} aria-label={t('hits.selectOne')} data-testid="hit-check" />
      <div className="hit-main">
        <div className="hit-meta">
          <span className="mono" title={t('hits.number')}>
            #{hit.id}
          </span>
          <SeverityBadge severity={hit.severity} />
          <span className={`cat cat-${hit.category}`}>{categoryLabel(hit.category, lang)}</span>
          <StatusBadge status={hit.status} />
          <span className="hit-time mono">{beijingTime(hit.msgtime) ?? t('msg.timeUnknown')}</span>
          <span className="hit-sender" title={sender.id}>
            {sender.name}
            {detail && <span className="muted"> · {detail}</span>}
          </span>
          <code className="code-key small" title={t('hits.rule')}>
            {hit.rule}
          </code>
        </div>
        <HitText hit={hit} revealed={revealed} />
        <div className="hit-actions">
          <button type="button" className="link-button small" onClick={() => void toggleContext()} disabled={loading !== null} data-testid="hit-context">
            {context ? t('hits.hideContext') : t('hits.context')}
          </button>
          <button type="button" className="link-button small" onClick={() => void open()} disabled={loading !== null || hit.conversation === null} data-testid="hit-open">
            <Icon name="chat" size={12} /> {t('hits.openConversation')}
          </button>
          <button type="button" className="link-button small" onClick={() => void toggleHistory()} disabled={loading !== null} data-testid="hit-history">
            {history ? t('hits.hideHistory') : t('hits.history')}
          </button>
          {isPiiNumber(hit) && (
            <button
              type="button"
              className="link-button small"
              onClick={() => void reveal()}
              disabled={loading !== null || !canUnmask}
              title={unmaskReason ?? t('hits.unmaskTip')}
              data-denied={canUnmask ? undefined : 'true'}
              data-testid="hit-unmask"
            >
              {revealed ? t('hits.mask') : t('hits.unmask')}
            </button>
          )}
          {loading && <span className="muted small">{t('common.working')}</span>}
        </div>
        {context && (
          <ol className="hit-context" data-testid="hit-context-list">
            {context.messages.map((m, i) => (
              <li key={m.id} className={context.offset + i === context.index ? 'current' : ''}>
                <span className="mono small muted">{beijingTime(m.msgtime) ?? ''}</span> <strong>{m.from.name}</strong>：{m.text ? maskDigits(m.text) : <span className="muted">[{m.msgtype}]</span>}
              </li>
            ))}
          </ol>
        )}
        {history && (
          <table className="table hit-history" data-testid="hit-history-table">
            <thead>
              <tr>
                <th>{t('log.at')}</th>
                <th>{t('log.user')}</th>
                <th>{t('hits.status')}</th>
                <th>{t('hits.reason')}</th>
                <th>{t('hits.note')}</th>
              </tr>
            </thead>
            <tbody>
              {history.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    {t('hits.noHistory')}
                  </td>
                </tr>
              ) : (
                history.map((r, i) => (
                  <tr key={i}>
                    <td className="mono">{beijingTime(r.at)}</td>
                    <td>{r.user}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{r.reason ? reasonLabel(r.reason, lang) : '—'}</td>
                    <td>{r.note || '—'}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        )}
      </div>
    </li>
  );
}
