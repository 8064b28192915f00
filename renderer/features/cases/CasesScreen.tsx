/**
 * 案件: the cases (cases.list with a status filter) and one case (cases.get): its hits, its
 * timeline, and the workflow through cases.update (open → investigating → closed with a
 * conclusion, assignee, due date, notes, more hits), and an evidence pack (evidence.create).
 */
import { useEffect, useState } from 'react';
import type { ApiError, CaseDetail, CaseRow, In, Out } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert } from '../../shared/components.js';
import { partyDetail } from '../../shared/directory.js';
import { beijingDate, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/messages.js';
import { PathField } from '../../shared/pathField.js';
import { HitText, SeverityBadge, StatusBadge, categoryLabel } from '../../shared/review.js';
import { GuardButton } from '../../shared/session.js';

type CaseStatus = CaseRow['status'];
const CASE_STATUS: Record<CaseStatus, MessageKey> = { open: 'cases.open', investigating: 'cases.investigating', closed: 'cases.closed' };
const CONCLUSION: Record<string, MessageKey> = { violation_confirmed: 'cases.violation_confirmed', not_confirmed: 'cases.not_confirmed' };
const EVENT: Record<string, MessageKey> = { created: 'cases.evCreated', status: 'cases.evStatus', conclusion: 'cases.evConclusion', assign: 'cases.evAssign', note: 'cases.evNote', hits: 'cases.evHits', due: 'cases.evDue', evidence: 'cases.evEvidence' };

export function CasesScreen({ active, focus }: { active: boolean; focus: { id: number; nonce: number } | null }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<'' | CaseStatus>('');
  const [rows, setRows] = useState<CaseRow[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (focus) {
      setChosen(focus.id);
      setStatus('');
      setReload((n) => n + 1);
    }
  }, [focus]);

  useEffect(() => {
    if (!active) return;
    let stale = false;
    call('cases.list', status ? { status } : {})
      .then((r) => !stale && setRows(r))
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [active, status, reload]);

  const current = chosen ?? rows?.[0]?.id ?? null;
  return (
    <div className="screen" data-testid="cases-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('cases.heading')}</h1>
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <div className="case-layout">
        <section className="panel">
          <div className="results-head">
            <select className="input select input-date" value={status} onChange={(e) => setStatus(e.target.value as '' | CaseStatus)} data-testid="cases-status-filter">
              <option value="">{t('cases.allStatus')}</option>
              {(Object.keys(CASE_STATUS) as CaseStatus[]).map((s) => (
                <option key={s} value={s}>
                  {t(CASE_STATUS[s])}
                </option>
              ))}
            </select>
            <span className="muted small">{rows ? t('search.total', { n: formatCount(rows.length, lang) }) : ''}</span>
          </div>
          {!rows ? (
            <p className="muted empty-note">{t('common.loading')}</p>
          ) : rows.length === 0 ? (
            <p className="muted empty-note">{t('cases.none')}</p>
          ) : (
            <ul className="case-list" data-testid="case-list">
              {rows.map((c) => (
                <li key={c.id}>
                  <button type="button" className={`case-item ${c.id === current ? 'active' : ''}`} onClick={() => setChosen(c.id)} data-testid="case-item" data-case={c.id} data-status={c.status}>
                    <span className="case-item-title">
                      #{c.id} {c.title}
                    </span>
                    <span className="hit-meta">
                      <span className={`st st-${c.status}`}>{t(CASE_STATUS[c.status])}</span>
                      {c.conclusion && <span>{t(CONCLUSION[c.conclusion] ?? 'cases.conclusion')}</span>}
                      <span>{t('cases.hitsN', { n: c.hits })}</span>
                      {c.assignee && <span>{t('cases.assigneeIs', { name: c.assignee })}</span>}
                      {c.dueAt !== null && <span className={c.status !== 'closed' && c.dueAt < Date.now() ? 'invalid-text' : ''}>{t('cases.dueIs', { date: beijingDate(c.dueAt) })}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        {current !== null ? <CaseView key={`${current}:${focus?.id === current ? focus.nonce : 0}`} id={current} active={active} onChanged={() => setReload((n) => n + 1)} onError={setError} /> : <div />}
      </div>
    </div>
  );
}

function CaseView({ id, active, onChanged, onError }: { id: number; active: boolean; onChanged: () => void; onError: (e: ApiError) => void }) {
  const { t, lang } = useI18n();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState(false);
  const [conclusion, setConclusion] = useState('');
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const [note, setNote] = useState('');
  const [addHits, setAddHits] = useState('');
  const [out, setOut] = useState('');
  const [pack, setPack] = useState<Out<'evidence.create'> | null>(null);

  // a suggested pack path beside the store: 案件3-证据包-2026-03-10.zip
  useEffect(() => {
    call('app.info', {})
      .then((i) => {
        const db = i.open?.dbPath;
        if (!db) return;
        const cut = Math.max(db.lastIndexOf('/'), db.lastIndexOf('\\'));
        const sep = db.includes('\\') && !db.includes('/') ? '\\' : '/';
        const folder = cut > 0 ? db.slice(0, cut) : '.';
        setOut((o) => o || `${folder}${sep}案件${id}-证据包-${beijingDate(Date.now())}.zip`);
      })
      .catch(() => {});
  }, [id]);

  useEffect(() => {
    if (!active) return;
    let stale = false;
    call('cases.get', { id })
      .then((r) => {
        if (stale) return;
        setC(r);
        setAssignee(r.assignee);
        setDue(r.dueAt !== null ? beijingDate(r.dueAt) : '');
        setConclusion(r.conclusion);
      })
      .catch((e: unknown) => !stale && onError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [id, reload, onError, active]);

  async function update(patch: Omit<In<'cases.update'>, 'id'>) {
    setBusy(true);
    try {
      await call('cases.update', { id, ...patch });
      setReload((n) => n + 1);
      onChanged();
      return true;
    } catch (e) {
      onError(errorOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  }
  async function close() {
    if (!conclusion) return onError(localError('cases.errConclusion'));
    await update({ status: 'closed', conclusion: conclusion as 'violation_confirmed' | 'not_confirmed' });
  }
  async function saveFields() {
    const patch: Omit<In<'cases.update'>, 'id'> = {};
    if (c && assignee.trim() !== c.assignee) patch.assignee = assignee.trim();
    const dueMs = due ? beijingMidnight(due) : null;
    if (c && dueMs !== c.dueAt) patch.dueAt = dueMs;
    if (note.trim()) patch.note = note.trim();
    if (addHits.trim()) {
      const ids = addHits.split(/[\s,，、]+/).filter(Boolean).map(Number);
      if (ids.some((n) => !Number.isInteger(n) || n <= 0)) return onError(localError('cases.errHitIds'));
      patch.addHits = ids;
    }
    if (!Object.keys(patch).length) return;
    if (await update(patch)) {
      setNote('');
      setAddHits('');
    }
  }
  async function makePack() {
    if (!out.trim()) return onError(localError('cases.errOut'));
    setBusy(true);
    setPack(null);
    try {
      setPack(await call('evidence.create', { case: id, out: out.trim() }));
      setReload((n) => n + 1);
    } catch (e) {
      onError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!c) return <p className="muted">{t('common.loading')}</p>;
  const closed = c.status === 'closed';
  return (
    <div className="screen" data-testid="case-view" data-case={c.id} data-status={c.status}>
      <Card
        title={
          <>
            #{c.id} {c.title}
          </>
        }
        actions={
          <>
            <span className={`st st-${c.status}`} data-testid="case-status" data-status={c.status}>
              {t(CASE_STATUS[c.status])}
            </span>
            {c.conclusion && (
              <span className={c.conclusion === 'violation_confirmed' ? 'invalid-text' : 'ok-text'} data-testid="case-conclusion" data-value={c.conclusion}>
                {t(CONCLUSION[c.conclusion] ?? 'cases.conclusion')}
              </span>
            )}
          </>
        }
      >
        <dl className="kv-grid">
          <dt>{t('cases.createdBy')}</dt>
          <dd>
            {c.createdBy} · <span className="mono small">{beijingTime(c.createdAt)}</span>
          </dd>
          {c.closedAt !== null && (
            <>
              <dt>{t('cases.closedAt')}</dt>
              <dd className="mono small">{beijingTime(c.closedAt)}</dd>
            </>
          )}
        </dl>
        <div className="triage-panel case-actions" style={{ marginTop: 12 }}>
          {c.status === 'open' && (
            <GuardButton method="cases.update" className="btn btn-small" disabled={busy} onClick={() => void update({ status: 'investigating' })} data-testid="case-investigate">
              {t('cases.startInvestigating')}
            </GuardButton>
          )}
          {!closed && (
            <>
              <label className="mini-field">
                <span>{t('cases.conclusion')}</span>
                <select className="input select" value={conclusion} onChange={(e) => setConclusion(e.target.value)} data-testid="case-conclusion-select">
                  <option value="">{t('cases.chooseConclusion')}</option>
                  <option value="violation_confirmed">{t('cases.violation_confirmed')}</option>
                  <option value="not_confirmed">{t('cases.not_confirmed')}</option>
                </select>
              </label>
              <GuardButton method="cases.update" className="btn btn-primary btn-small" disabled={busy} onClick={() => void close()} data-testid="case-close">
                {t('cases.close')}
              </GuardButton>
            </>
          )}
          {closed && <span className="muted small">{t('cases.closedNote')}</span>}
        </div>
        <div className="field-pair" style={{ marginTop: 12 }}>
          <label className="mini-field">
            <span>{t('cases.assignee')}</span>
            <input className="input" value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="case-assignee" />
          </label>
          <label className="mini-field">
            <span>{t('cases.due')}</span>
            <input className="input" type="date" value={due} onChange={(e) => setDue(e.target.value)} data-testid="case-due" />
          </label>
          <label className="mini-field">
            <span>{t('cases.addNote')}</span>
            <textarea className="input" rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="case-note" />
          </label>
          <label className="mini-field">
            <span>{t('cases.addHits')}</span>
            <input className="input" value={addHits} onChange={(e) => setAddHits(e.target.value)} placeholder={t('cases.addHitsHint')} data-testid="case-add-hits" />
          </label>
        </div>
        <div className="form-actions">
          <GuardButton method="cases.update" className="btn" disabled={busy} onClick={() => void saveFields()} data-testid="case-save">
            {t('common.save')}
          </GuardButton>
        </div>
      </Card>

      <Card title={t('cases.evidenceTitle')} testId="case-evidence">
        <p className="hint intro">{t('cases.evidenceHint')}</p>
        <div className="input-row">
          <div style={{ flex: 1, minWidth: 0 }}>
            <PathField value={out} onChange={setOut} kind="saveFile" placeholder={`D:\\证据\\案件${c.id}.zip`} testId="evidence-out" onError={onError} />
          </div>
          <GuardButton method="evidence.create" className="btn btn-primary" disabled={busy} onClick={() => void makePack()} data-testid="evidence-create">
            {busy ? t('common.working') : t('cases.makePack')}
          </GuardButton>
        </div>
        {pack && (
          <div className="notice notice-ok" data-testid="evidence-result" style={{ marginTop: 12 }}>
            <strong>{t('cases.packDone')}</strong>
            <dl className="kv-grid" style={{ marginTop: 6 }}>
              <dt>{t('cases.packPath')}</dt>
              <dd className="mono-wrap" data-testid="evidence-path">
                {pack.out}
              </dd>
              <dt>{t('cases.packFiles')}</dt>
              <dd data-testid="evidence-files">{formatCount(pack.files, lang)}</dd>
              <dt>SHA-256</dt>
              <dd className="mono-wrap" data-testid="evidence-sha">
                {pack.sha256}
              </dd>
              <dt>{t('cases.fingerprint')}</dt>
              <dd className="mono-wrap" data-testid="evidence-fingerprint">
                {pack.fingerprint}
              </dd>
            </dl>
          </div>
        )}
      </Card>

      <Card title={t('cases.hitsTitle', { n: c.hitRows.length })} testId="case-hits">
        {c.hitRows.length === 0 ? (
          <p className="muted">{t('cases.noHits')}</p>
        ) : (
          <ul className="hit-rows">
            {c.hitRows.map((h) => (
              <li key={h.id} className="hit-row" data-testid="case-hit" data-hit={h.id}>
                <div className="hit-main">
                  <div className="hit-meta">
                    <span className="mono">#{h.id}</span>
                    <SeverityBadge severity={h.severity} />
                    <span className="cat">{categoryLabel(h.category, lang)}</span>
                    <StatusBadge status={h.status} />
                    <span className="hit-time mono">{beijingTime(h.msgtime) ?? t('msg.timeUnknown')}</span>
                    <span className="hit-sender">
                      {h.from.name}
                      {partyDetail(h.from) && <span className="muted"> · {partyDetail(h.from)}</span>}
                    </span>
                    <code className="code-key small">{h.rule}</code>
                  </div>
                  <HitText hit={h} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t('cases.timeline')} testId="case-timeline">
        <ol className="timeline">
          {c.events.map((e, i) => (
            <li key={i} data-kind={e.kind}>
              <span className="mono small muted">{beijingTime(e.at)}</span> <strong>{e.user}</strong> {EVENT[e.kind] ? t(EVENT[e.kind]!) : e.kind}
              {e.text && (
                <>
                  {lang === 'zh' ? '：' : ': '}
                  {eventText(e.kind, e.text, t)}
                </>
              )}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}

function eventText(kind: string, text: string, t: (k: MessageKey) => string): string {
  if (kind === 'status' && text in CASE_STATUS) return t(CASE_STATUS[text as CaseStatus]);
  if (kind === 'conclusion' && CONCLUSION[text]) return t(CONCLUSION[text]!);
  if (kind === 'due') {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? beijingDate(ms) : '—';
  }
  return text;
}
