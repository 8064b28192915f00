/**
 * 定时任务: the schedules (schedules.list) with their last run, a new one per kind
 * (schedules.add: import → a watched folder and an optional media folder; scan; report → period
 * and output folder, and the branch), enable / disable (schedules.setEnabled), run now
 * (schedules.run), edit in the same form (schedules.update: the editor becomes the owner, said
 * before saving), delete after a confirmation (schedules.remove: soft, its runs stay) and the
 * run history (schedules.runs) with failures in red and their error, deleted schedules marked.
 * The core runs them while the window is open, in Beijing time.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, Schedule, ScheduleRun } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { ScopedBranchSelect } from '../../shared/branches.js';
import { Card, ConfirmDialog, ErrorAlert } from '../../shared/components.js';
import { useDirectory } from '../../shared/directory.js';
import { beijingTime } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/messages.js';
import { PathField } from '../../shared/pathField.js';
import { GuardButton, useSession } from '../../shared/session.js';
import { CRON_PRESETS, describeCron, presetOf } from './cron.js';

type Kind = Schedule['kind'];
const KINDS: Kind[] = ['import', 'scan', 'report'];
const KIND_KEYS: Record<Kind, MessageKey> = { import: 'sched.kind.import', scan: 'sched.kind.scan', report: 'sched.kind.report' };
const PERIODS = ['daily', 'weekly', 'monthly'] as const;
const PERIOD_KEYS: Record<string, MessageKey> = { daily: 'sched.period.daily', weekly: 'sched.period.weekly', monthly: 'sched.period.monthly' };
/** what a job does, as a method: a role that may not do it (an auditor: import, scan) may not schedule or run it */
const ACTION: Record<Kind, 'import.run' | 'scan.run' | 'report.create'> = { import: 'import.run', scan: 'scan.run', report: 'report.create' };
const RUNS_LIMIT = 100;
/** a param as text ('' when absent) */
const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** while shown, runs the clock fired appear without a click */
const POLL_MS = 30_000;

export function SchedulesScreen({ active }: { active: boolean }) {
  const { t } = useI18n();
  const dir = useDirectory();
  const [jobs, setJobs] = useState<Schedule[] | null>(null);
  const [runs, setRuns] = useState<ScheduleRun[] | null>(null);
  const [which, setWhich] = useState<number | null>(null);
  const [running, setRunning] = useState<Set<number>>(new Set());
  const session = useSession();
  // the list holds only schedules within this user's scope (the core filters it and checks again)
  const runRefused = (j: Schedule) => session.reason(ACTION[j.kind]);
  const changeRefused = (j: Schedule) => runRefused(j) ?? (session.who?.role === 'auditor' && j.createdBy !== session.who.user ? t('role.denyAuditor') : undefined);
  const [result, setResult] = useState<{ name: string; run: ScheduleRun } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const [busyDelete, setBusyDelete] = useState(false);
  const [done, setDone] = useState<{ text: string; testId: string } | null>(null);

  useEffect(() => {
    if (!active) return;
    let stale = false;
    Promise.all([call('schedules.list', {}), call('schedules.runs', { limit: RUNS_LIMIT, ...(which !== null && { id: which }) })])
      .then(([j, r]) => {
        if (stale) return;
        setJobs(j);
        setRuns(r);
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [active, reload, which]);

  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setReload((n) => n + 1), POLL_MS);
    return () => window.clearInterval(timer);
  }, [active]);

  async function runNow(job: Schedule) {
    setRunning((s) => new Set(s).add(job.id));
    setError(null);
    setResult(null);
    try {
      const run = await call('schedules.run', { id: job.id });
      setResult({ name: job.name, run });
      // an import changed the archive: names, branches and lists elsewhere reload
      if (job.kind === 'import') dir.invalidate();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setRunning((s) => {
        const n = new Set(s);
        n.delete(job.id);
        return n;
      });
      setReload((n) => n + 1);
    }
  }

  async function setEnabled(job: Schedule, enabled: boolean) {
    setError(null);
    try {
      await call('schedules.setEnabled', { id: job.id, enabled });
      setReload((n) => n + 1);
    } catch (e) {
      setError(errorOf(e));
    }
  }

  async function remove(job: Schedule) {
    setError(null);
    setBusyDelete(true);
    try {
      await call('schedules.remove', { id: job.id });
      setDone({ text: t('sched.deleted', { name: job.name }), testId: 'schedule-deleted' });
      if (editing?.id === job.id) setEditing(null);
      if (which === job.id) setWhich(null);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusyDelete(false);
      setDeleting(null);
      setReload((n) => n + 1);
    }
  }

  function saved(job: Schedule) {
    setEditing(null);
    setDone({ text: t('sched.saved', { name: job.name }), testId: 'schedule-saved' });
    setReload((n) => n + 1);
  }

  return (
    <div className="screen" data-testid="schedules-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('sched.heading')}</h1>
        <button type="button" className="btn" onClick={() => setReload((n) => n + 1)}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="hint">{t('sched.intro')}</p>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {result && (
        <div className={`notice ${result.run.ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="run-result" data-ok={String(result.run.ok)}>
          <button type="button" className="alert-close" onClick={() => setResult(null)} aria-label="×">
            ×
          </button>
          {result.run.ok ? t('sched.resultOk', { name: result.name, summary: result.run.summary }) : t('sched.resultFailed', { name: result.name, error: result.run.error })}
        </div>
      )}
      {done && (
        <div className="notice notice-ok" role="status" data-testid={done.testId}>
          <button type="button" className="alert-close" onClick={() => setDone(null)} aria-label="×">
            ×
          </button>
          {done.text}
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('sched.confirmTitle')}
          message={t('sched.confirmDelete', { name: deleting.name })}
          confirmLabel={t('sched.delete')}
          busy={busyDelete}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
          testId="schedule-confirm-delete"
        />
      )}

      <Card title={t('sched.listTitle')} testId="schedules-list">
        {!jobs ? (
          <p className="muted">{t('common.loading')}</p>
        ) : jobs.length === 0 ? (
          <p className="muted" data-testid="schedules-empty">
            {t('sched.none')}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table sched-table">
              <thead>
                <tr>
                  <th>{t('sched.name')}</th>
                  <th>{t('sched.kind')}</th>
                  <th>{t('sched.when')}</th>
                  <th>{t('sched.params')}</th>
                  <th>{t('sched.state')}</th>
                  <th>{t('sched.lastRun')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id} data-testid="schedule-row" data-id={j.id} data-kind={j.kind} data-enabled={String(j.enabled)} className={j.enabled ? '' : 'row-off'}>
                    <td className="strong">{j.name}</td>
                    <td>
                      <span className={`kind-tag kind-${j.kind}`}>{t(KIND_KEYS[j.kind])}</span>
                    </td>
                    <td>
                      <div>{describeCron(j.cron, t) ?? t('sched.desc.custom')}</div>
                      <code className="code-key small">{j.cron}</code>
                    </td>
                    <td className="sched-params">
                      <Params job={j} />
                    </td>
                    <td>{j.enabled ? <span className="ok-text">{t('sched.enabled')}</span> : <span className="muted">{t('sched.disabled')}</span>}</td>
                    <td className="sched-last" data-testid="schedule-last" data-ok={j.lastRun ? String(j.lastRun.ok) : undefined}>
                      <RunOutcome run={j.lastRun} />
                    </td>
                    <td>
                      <div className="button-row sched-actions">
                        <GuardButton method="schedules.run" className="btn btn-small btn-primary" disabled={running.has(j.id) || !!runRefused(j)} title={runRefused(j)} onClick={() => void runNow(j)} data-testid="schedule-run">
                          {running.has(j.id) ? t('sched.running') : t('sched.runNow')}
                        </GuardButton>
                        <GuardButton method="schedules.setEnabled" className="btn btn-small" disabled={!!changeRefused(j)} title={changeRefused(j)} onClick={() => void setEnabled(j, !j.enabled)} data-testid="schedule-toggle">
                          {j.enabled ? t('sched.disable') : t('sched.enable')}
                        </GuardButton>
                        <GuardButton method="schedules.update" className="btn btn-small" disabled={!!changeRefused(j)} title={changeRefused(j)} aria-pressed={editing?.id === j.id} onClick={() => setEditing(j)} data-testid="schedule-edit">
                          {t('sched.edit')}
                        </GuardButton>
                        <GuardButton method="schedules.remove" className="btn btn-small btn-danger" disabled={!!changeRefused(j)} title={changeRefused(j)} onClick={() => setDeleting(j)} data-testid="schedule-delete">
                          {t('sched.delete')}
                        </GuardButton>
                        <button type="button" className="btn btn-small" aria-pressed={which === j.id} onClick={() => setWhich(which === j.id ? null : j.id)} data-testid="schedule-runs">
                          {t('sched.showRuns')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <div className="grid-2 sched-grid">
        {/* a new key per schedule: the form starts from that schedule's values (or empty) */}
        <ScheduleForm key={editing?.id ?? 'new'} editing={editing} onAdded={() => setReload((n) => n + 1)} onSaved={saved} onCancel={() => setEditing(null)} onError={setError} />
        <Card
          title={t('sched.runsTitle')}
          testId="schedule-runs-card"
          actions={
            <select className="input select input-date" value={which ?? ''} onChange={(e) => setWhich(e.target.value ? Number(e.target.value) : null)} data-testid="runs-filter">
              <option value="">{t('sched.allJobs')}</option>
              {(jobs ?? []).map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          }
        >
          {!runs ? (
            <p className="muted">{t('common.loading')}</p>
          ) : runs.length === 0 ? (
            <p className="muted" data-testid="runs-empty">
              {t('sched.noRuns')}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table runs-table" data-testid="runs-table">
                <thead>
                  <tr>
                    <th>{t('sched.started')}</th>
                    <th>{t('sched.job')}</th>
                    <th>{t('sched.result')}</th>
                    <th>{t('sched.summary')}</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.id} className={r.ok === false ? 'run-failed' : ''} data-testid="run-row" data-run={r.id} data-schedule={r.scheduleId} data-ok={r.ok === null ? 'running' : String(r.ok)}>
                      <td className="mono small">
                        {beijingTime(r.startedAt)}
                        {r.finishedAt !== null && <div className="muted">{t('sched.seconds', { n: ((r.finishedAt - r.startedAt) / 1000).toFixed(1) })}</div>}
                      </td>
                      <td data-testid="run-name">
                        {r.scheduleName}
                        {r.scheduleDeleted && (
                          <>
                            {' '}
                            <span className="kind-tag deleted-tag" data-testid="run-deleted">
                              {t('sched.deletedTag')}
                            </span>
                          </>
                        )}
                      </td>
                      <td>
                        <OutcomeBadge ok={r.ok} />
                      </td>
                      <td className="run-text">
                        {r.summary && <div data-testid="run-summary">{r.summary}</div>}
                        {r.error && (
                          <div className="run-error" data-testid="run-error">
                            {r.error}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}

function OutcomeBadge({ ok }: { ok: boolean | null }) {
  const { t } = useI18n();
  if (ok === null) return <span className="st st-investigating">{t('sched.inProgress')}</span>;
  return ok ? <span className="st st-closed">{t('sched.ok')}</span> : <span className="st st-failed">{t('sched.failed')}</span>;
}

function RunOutcome({ run }: { run: ScheduleRun | null }) {
  const { t } = useI18n();
  if (!run) return <span className="muted">{t('sched.never')}</span>;
  return (
    <>
      <OutcomeBadge ok={run.ok} /> <span className="mono small muted">{beijingTime(run.startedAt)?.slice(0, 16)}</span>
      {run.ok === false && run.error && <div className="run-error small">{run.error}</div>}
    </>
  );
}

function Params({ job }: { job: Schedule }) {
  const { t } = useI18n();
  const p = job.params;
  if (job.kind === 'import') {
    return (
      <>
        <div className="mono-wrap small">{t('sched.folder', { path: text(p.folder) })}</div>
        {text(p.media) && <div className="mono-wrap small muted">{t('sched.media', { path: text(p.media) })}</div>}
      </>
    );
  }
  if (job.kind === 'report') {
    const period = text(p.period) || 'daily';
    return (
      <>
        <div className="mono-wrap small">{t('sched.reportParams', { period: PERIOD_KEYS[period] ? t(PERIOD_KEYS[period]!) : period, path: text(p.outDir) })}</div>
        <div className="small muted">{t('sched.branch', { branch: text(p.branch) || t('sched.allBranches') })}</div>
      </>
    );
  }
  return <span className="small muted">{t('sched.scanParams')}</span>;
}

type FormProps = { editing: Schedule | null; onAdded: (s: Schedule) => void; onSaved: (s: Schedule) => void; onCancel: () => void; onError: (e: ApiError) => void };

/** New schedule, or (editing) the same form with that schedule's values; its kind then stays. */
function ScheduleForm({ editing, onAdded, onSaved, onCancel, onError }: FormProps) {
  const { t } = useI18n();
  const session = useSession();
  const scope = session.who?.branch ?? '';
  const p = editing?.params ?? {};
  const [name, setName] = useState(editing?.name ?? '');
  const [kind, setKind] = useState<Kind>(editing?.kind ?? 'import');
  const refused = (k: Kind) => !!session.reason(ACTION[k]);
  useEffect(() => {
    if (!editing && refused(kind)) setKind('report');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.loaded, session.who]);
  useEffect(() => {
    // the form is below the list: bring it into view with the name ready to change
    if (editing) document.getElementById('sched-name')?.focus();
  }, [editing]);
  const [cron, setCron] = useState(editing?.cron ?? CRON_PRESETS[0]!.cron);
  const [folder, setFolder] = useState(text(p.folder));
  const [media, setMedia] = useState(text(p.media));
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>((PERIODS as readonly string[]).includes(text(p.period)) ? (text(p.period) as (typeof PERIODS)[number]) : 'daily');
  const [outDir, setOutDir] = useState(text(p.outDir));
  const [branch, setBranch] = useState(text(p.branch));
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  /** The form's params (an optional one left empty is null: an edit removes it), or what is missing. */
  function formParams(): { params: Record<string, unknown> } | { missing: ApiError } {
    if (kind === 'import') {
      if (!folder.trim()) return { missing: localError('sched.errFolder') };
      return { params: { folder: folder.trim(), media: media.trim() || null } };
    }
    if (kind === 'report') {
      if (!outDir.trim()) return { missing: localError('sched.errOutDir') };
      // a scoped user's reports are their branch (or the sub-branch the schedule already has)
      return { params: { period, outDir: outDir.trim(), branch: (scope ? branch || scope : branch) || null } };
    }
    return { params: {} };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return onError(localError('sched.errName'));
    if (!cron.trim()) return onError(localError('sched.errCron'));
    const form = formParams();
    if ('missing' in form) return onError(form.missing);
    const { params } = form;
    const fields = { name: name.trim(), cron: cron.trim().replace(/\s+/g, ' ') };
    setBusy(true);
    setAdded(null);
    try {
      if (editing) {
        onSaved(await call('schedules.update', { id: editing.id, ...fields, params }));
        return;
      }
      const added = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null));
      const s = await call('schedules.add', { ...fields, kind, params: added });
      setAdded(s.name);
      setName('');
      onAdded(s);
    } catch (err) {
      onError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const preset = presetOf(cron);
  const described = describeCron(cron, t);
  return (
    <Card title={editing ? `${t('sched.editTitle')} · ${editing.name}` : t('sched.addTitle')} testId={editing ? 'schedule-edit-form' : 'schedule-add'}>
      <form className="form" onSubmit={submit} noValidate>
        {editing && editing.createdBy !== session.who?.user && (
          <div className="notice notice-warn" data-testid="sched-owner-change">
            {t('sched.editOwner', { owner: editing.createdBy })}
          </div>
        )}
        {added && (
          <div className="notice notice-ok" data-testid="schedule-added">
            {t('sched.added', { name: added })}
          </div>
        )}
        <div className="field-pair">
          <div className="field">
            <label htmlFor="sched-name">{t('sched.name')}</label>
            <input id="sched-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('sched.namePlaceholder')} autoComplete="off" data-testid="sched-name" />
          </div>
          <div className="field">
            <span className="field-label">{t('sched.kind')}</span>
            <div className="segmented" role="group" aria-label={t('sched.kind')}>
              {KINDS.map((k) => (
                <button
                  key={k}
                  type="button"
                  className={kind === k ? 'active' : ''}
                  aria-pressed={kind === k}
                  disabled={editing ? k !== kind : refused(k)}
                  title={editing ? t('sched.kindFixed') : session.reason(ACTION[k])}
                  onClick={() => setKind(k)}
                  data-testid={`sched-kind-${k}`}
                >
                  {t(KIND_KEYS[k])}
                </button>
              ))}
            </div>
          </div>
        </div>

        {kind === 'import' && (
          <>
            <div className="field">
              <label htmlFor="sched-folder">{t('sched.watchFolder')}</label>
              <PathField id="sched-folder" value={folder} onChange={setFolder} kind="folder" placeholder="D:\存档导出\每日" testId="sched-folder" onError={onError} />
              <p className="hint">{t('sched.watchHint')}</p>
            </div>
            <div className="field">
              <label htmlFor="sched-media">{t('sched.mediaFolder')}</label>
              <PathField id="sched-media" value={media} onChange={setMedia} kind="folder" placeholder="D:\存档导出\媒体" testId="sched-media" onError={onError} />
            </div>
          </>
        )}
        {kind === 'scan' && <p className="hint">{t('sched.scanHint')}</p>}
        {kind === 'report' && (
          <>
            <div className="field-pair">
              <div className="field">
                <label htmlFor="sched-period">{t('sched.reportPeriod')}</label>
                <select id="sched-period" className="input select" value={period} onChange={(e) => setPeriod(e.target.value as (typeof PERIODS)[number])} data-testid="sched-period">
                  {PERIODS.map((p) => (
                    <option key={p} value={p}>
                      {t(PERIOD_KEYS[p]!)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <span className="field-label">{t('sched.reportBranch')}</span>
                <ScopedBranchSelect value={branch} onChange={setBranch} testId="sched-branch" />
                {scope && <p className="hint">{t('sched.scopeReport', { branch: scope })}</p>}
              </div>
            </div>
            <div className="field">
              <label htmlFor="sched-out">{t('sched.outDir')}</label>
              <PathField id="sched-out" value={outDir} onChange={setOutDir} kind="folder" placeholder="D:\合规报表" testId="sched-out" onError={onError} />
              <p className="hint">{t('sched.outHint')}</p>
            </div>
          </>
        )}

        <div className="field-pair">
          <div className="field">
            <label htmlFor="sched-preset">{t('sched.cron')}</label>
            <select id="sched-preset" className="input select" value={preset} onChange={(e) => e.target.value !== 'custom' && setCron(CRON_PRESETS.find((p) => p.id === e.target.value)!.cron)} data-testid="sched-preset">
              {CRON_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {t(p.label)}
                </option>
              ))}
              <option value="custom">{t('sched.preset.custom')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="sched-cron">{t('sched.cronExpr')}</label>
            <input id="sched-cron" className="input mono" value={cron} onChange={(e) => setCron(e.target.value)} spellCheck={false} autoComplete="off" data-testid="sched-cron" />
          </div>
        </div>
        <p className="hint" data-testid="sched-cron-desc">
          {described ? <strong>{described}</strong> : null} {t('sched.cronHint')}
        </p>
        <div className="form-actions">
          {editing ? (
            <>
              <GuardButton method="schedules.update" type="submit" className="btn btn-primary" disabled={busy} data-testid="sched-save">
                {t('sched.save')}
              </GuardButton>
              <button type="button" className="btn" onClick={onCancel} data-testid="sched-cancel">
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <GuardButton method="schedules.add" type="submit" className="btn btn-primary" disabled={busy} data-testid="sched-add">
              {t('sched.add')}
            </GuardButton>
          )}
        </div>
      </form>
    </Card>
  );
}
