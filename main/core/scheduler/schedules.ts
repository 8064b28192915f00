/**
 * Schedules while the app runs: import new exports from a watched folder (then index and scan),
 * scan, or write the daily / weekly / monthly report into a folder. Each run is recorded with
 * its outcome, so failures are seen, not lost. node-cron fires them (Beijing time); the same
 * runSchedule serves "run now" from the window or the CLI, and an OS task scheduler calling the CLI.
 *
 * A schedule acts for the one who made it: it records the creator's role and branch scope, and
 * every run (cron or run now, whoever starts it) uses exactly those, never more: a scoped
 * creator's report covers their branch only, an auditor's masks customers and PII. A scoped
 * creator can schedule reports only for their branch or one of its sub-branches. Every run is
 * written to the audit log under the acting user, with whose rights it ran.
 *
 * Editing makes the editor the owner (created_by/role/branch := the editor's); deleting is soft
 * (deleted_at/deleted_by), so the runs and the audit trail keep naming the schedule. Adding,
 * editing and deleting are written to the audit log here with what the schedule was and became,
 * beside dispatch's entry of the request.
 */
import fs from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import type { Method, Role, Schedule, ScheduleRun } from '../../../preload/api.js';
import type { Actor } from '../api/context.js';
import { CoreError } from '../api/errors.js';
import { ingest } from '../import/ingest.js';
import { writeReport } from '../report/workbook.js';
import { assertIntact } from '../store/check.js';
import { appendAudit } from '../review/audit.js';
import { PERMISSIONS, ROLE_ZH } from '../review/permissions.js';
import { withinScope } from '../review/scope.js';
import { getUser } from '../review/users.js';
import type { Store } from '../store/index.js';

/** a scheduled import or scan waits this long for another writer (a person's import) before its run fails */
const SCHEDULE_WAIT_MS = 10 * 60_000;

export type ScheduleKind = 'import' | 'scan' | 'report';

/** what a job does, as the method a person would call for it: its creator and runner need that permission */
const ACTION_OF: Record<ScheduleKind, Method> = { import: 'import.run', scan: 'scan.run', report: 'report.create' };
const KIND_ZH: Record<ScheduleKind, string> = { import: '导入', scan: '扫描', report: '报表' };

function mayDo(role: Role | '', kind: ScheduleKind): boolean {
  const allowed = PERMISSIONS[ACTION_OF[kind]];
  return allowed === 'open' || (role !== '' && allowed.includes(role));
}

/** The data a schedule covers: a report's branch (or its scoped creator's), else its creator's scope. */
export function scheduleScope(job: Schedule): string {
  if (job.kind === 'report') return (typeof job.params.branch === 'string' && job.params.branch) || job.createdBranch;
  return job.createdBranch;
}

/** roles that may switch other people's schedules on and off (within their scope): an auditor only their own */
const MANAGE_OTHERS: Role[] = ['admin', 'compliance_manager', 'risk_officer'];

/**
 * Who may run a schedule (change: switch it on and off): its creator; admin and a head-office
 * compliance manager any; anyone else only the schedules whose scope lies within their own (and
 * an auditor, read-only, switches none but their own). A runner also needs the permission the
 * job itself needs (an auditor cannot start an import).
 */
export function assertMayRun(store: Store, job: Schedule, actor: Actor, change = false): void {
  const [verbZh, verbEn] = change ? ['更改', 'change'] : ['运行', 'run'];
  if (!mayDo(actor.role, job.kind)) {
    throw new CoreError('forbidden', `无权${verbZh}${KIND_ZH[job.kind]}任务 ${job.id}：${ROLE_ZH[actor.role]}不能执行 ${ACTION_OF[job.kind]}`, `Not permitted to ${verbEn} schedule ${job.id}: the ${actor.role} role cannot ${ACTION_OF[job.kind]}`);
  }
  if (job.createdBy === actor.user || actor.role === 'admin' || (actor.role === 'compliance_manager' && !actor.branch)) return;
  if (change && !MANAGE_OTHERS.includes(actor.role)) {
    throw new CoreError('forbidden', `无权更改他人的定时任务 ${job.id}：${ROLE_ZH[actor.role]}只能更改自己的`, `Not permitted to change someone else's schedule ${job.id}: the ${actor.role} role changes only its own`);
  }
  const scope = scheduleScope(job);
  if (!withinScope(store.db, scope, actor.branch)) {
    throw new CoreError(
      'forbidden',
      `无权${verbZh}定时任务 ${job.id}（${job.name}）：它的范围是 ${scope || '全行'}，您的范围是 ${actor.branch}`,
      `Not permitted to ${verbEn} schedule ${job.id} (${job.name}): it covers ${scope || 'the whole bank'}, your scope is ${actor.branch}`,
    );
  }
}


const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;

export function validateSchedule(kind: string, expr: string, params: Record<string, unknown>): void {
  if (!['import', 'scan', 'report'].includes(kind)) throw new CoreError('usage', `任务类型无效：${kind}（import/scan/report）`, `Unknown job kind: ${kind}`);
  if (!cron.validate(expr)) throw new CoreError('usage', `定时表达式无效：${expr}（例如 0 7 * * * 表示每天 7:00）`, `Invalid cron expression: ${expr} (e.g. 0 7 * * * for 07:00 daily)`);
  if (kind === 'import' && typeof params.folder !== 'string') throw new CoreError('usage', '导入任务需要监视的文件夹 folder', 'An import job needs a folder to watch');
  if (kind === 'report') {
    if (typeof params.outDir !== 'string') throw new CoreError('usage', '报表任务需要输出文件夹 outDir', 'A report job needs an outDir');
    if (!['daily', 'weekly', 'monthly'].includes(String(params.period ?? 'daily'))) throw new CoreError('usage', '报表周期须为 daily/weekly/monthly', 'period must be daily, weekly or monthly');
  }
}

/**
 * The params as the owner may have them: a scoped owner's report is their branch, or one of its
 * sub-branches, never more (no branch: theirs). The one rule for adding and for editing.
 */
function ownedParams(store: Store, kind: ScheduleKind, params: Record<string, unknown>, owner: Actor, verbZh: string): Record<string, unknown> {
  const p = { ...params };
  if (kind !== 'report') return p;
  if (p.branch !== undefined && typeof p.branch !== 'string') throw new CoreError('usage', '报表任务的 branch 须为文字', 'A report job\'s branch must be text');
  if (owner.branch) {
    if (!p.branch) p.branch = owner.branch;
    else if (!withinScope(store.db, p.branch as string, owner.branch)) {
      throw new CoreError('forbidden', `无权为 ${String(p.branch)} ${verbZh}报表任务：您的范围是 ${owner.branch}`, `Not permitted to schedule reports for ${String(p.branch)}: your scope is ${owner.branch}`);
    }
  }
  return p;
}

/** What the audit log keeps of a schedule: enough to see what it did and with whose rights. */
function auditRecord(job: Schedule) {
  return { name: job.name, kind: job.kind, cron: job.cron, params: job.params, enabled: job.enabled, owner: { user: job.createdBy, role: job.createdRole, branch: job.createdBranch } };
}

export function addSchedule(store: Store, name: string, kind: ScheduleKind, expr: string, params: Record<string, unknown>, creator: Actor): Schedule {
  validateSchedule(kind, expr, params);
  if (!mayDo(creator.role, kind)) {
    throw new CoreError('forbidden', `无权创建${KIND_ZH[kind]}任务：${ROLE_ZH[creator.role]}不能执行 ${ACTION_OF[kind]}`, `Not permitted to schedule a ${kind} job: the ${creator.role} role cannot ${ACTION_OF[kind]}`);
  }
  const p = ownedParams(store, kind, params, creator, '创建');
  const id = Number(
    store.db
      .prepare('INSERT INTO schedules(name, kind, cron, params, enabled, created_by, created_role, created_branch, created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)')
      .run(name, kind, expr, JSON.stringify(p), creator.user, creator.role, creator.branch, Date.now()).lastInsertRowid,
  );
  const job = getSchedule(store, id);
  // dispatch logs the request; this entry has the id and the params as stored (a scoped creator's branch filled in)
  appendAudit(store.db, store.dbPath, creator.user, 'schedule.add', `id=${id}`, { schedule: id, ...auditRecord(job) });
  return job;
}

/** A schedule that exists (not deleted); not_found otherwise. */
export function getSchedule(store: Store, id: number): Schedule {
  const job = listSchedules(store).find((s) => s.id === id);
  if (!job) throw new CoreError('not_found', `没有这个定时任务：${id}`, `No such schedule: ${id}`);
  return job;
}

export function setScheduleEnabled(store: Store, id: number, enabled: boolean, actor: Actor): void {
  assertMayRun(store, getSchedule(store, id), actor, true);
  store.db.prepare('UPDATE schedules SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
}

export type ScheduleChange = { name?: string | undefined; cron?: string | undefined; params?: Record<string, unknown> | undefined };

/** params merged over the current ones; a key given as null is removed */
function mergeParams(current: Record<string, unknown>, change: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...current, ...change }).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Edit a schedule's name, cron or params; its kind stays (another kind is another job).
 * Validated exactly as a new one, and allowed to whoever may change it (assertMayRun).
 *
 * The editor becomes the owner: the schedule then runs with the editor's recorded role and
 * branch. Why not keep the creator's: a schedule runs unattended under its owner's name, so
 * whoever decided what it does must be the one whose rights it uses and who answers for it. If
 * the creator stayed, a head-office editor could make a branch officer's schedule do things
 * under the officer's name, and the officer would answer for a job they never set; if the
 * editor's rights silently applied while the creator's name stayed, the record would lie. A
 * scoped editor's report stays within their scope (the rule of adding), so an edit never widens
 * what the schedule reaches beyond what the editor may reach. The audit log keeps before and
 * after, owner included.
 */
export function updateSchedule(store: Store, id: number, change: ScheduleChange, editor: Actor): Schedule {
  const before = getSchedule(store, id);
  assertMayRun(store, before, editor, true);
  if (change.name === undefined && change.cron === undefined && change.params === undefined) {
    throw new CoreError('usage', `没有要修改的内容：定时任务 ${id}（name、cron 或 params）`, `Nothing to change in schedule ${id} (name, cron or params)`);
  }
  const name = change.name ?? before.name;
  const expr = change.cron ?? before.cron;
  const merged = mergeParams(before.params, change.params);
  validateSchedule(before.kind, expr, merged);
  const params = ownedParams(store, before.kind, merged, editor, '设置');
  store.db
    .prepare('UPDATE schedules SET name = ?, cron = ?, params = ?, created_by = ?, created_role = ?, created_branch = ? WHERE id = ? AND deleted_at IS NULL')
    .run(name, expr, JSON.stringify(params), editor.user, editor.role, editor.branch, id);
  const after = getSchedule(store, id);
  appendAudit(store.db, store.dbPath, editor.user, 'schedule.update', `id=${id}`, {
    schedule: id,
    before: auditRecord(before),
    after: auditRecord(after),
    ownerChanged: before.createdBy !== after.createdBy || before.createdRole !== after.createdRole || before.createdBranch !== after.createdBranch,
  });
  return after;
}

/**
 * Delete softly: the row stays with when and by whom, hidden from the list, never fired or run,
 * not editable; its runs stay in the history under its name (an audit trail loses nothing).
 */
export function removeSchedule(store: Store, id: number, actor: Actor): void {
  const job = getSchedule(store, id);
  assertMayRun(store, job, actor, true);
  store.db.prepare('UPDATE schedules SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL').run(Date.now(), actor.user, id);
  const runs = store.db.prepare('SELECT count(*) FROM schedule_runs WHERE schedule_id = ?').pluck().get(id) as number;
  appendAudit(store.db, store.dbPath, actor.user, 'schedule.remove', `id=${id}`, { schedule: id, ...auditRecord(job), runs });
}

const runRow = (r: Record<string, any>): ScheduleRun => ({
  id: r.id,
  scheduleId: r.schedule_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ok: r.ok === null ? null : !!r.ok,
  summary: r.summary,
  error: r.error,
  how: r.how,
  runBy: r.run_by,
  runAs: { user: r.as_user, role: r.as_role, branch: r.as_branch },
  scheduleName: r.schedule_name,
  scheduleDeleted: !!r.schedule_deleted,
});

/** runs with their schedule's name and whether it was deleted */
const RUNS = 'SELECT r.*, s.name AS schedule_name, s.deleted_at IS NOT NULL AS schedule_deleted FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id';

/** Every schedule not deleted; with a viewer, only those they may run (a scoped user sees their scope's). */
export function listSchedules(store: Store, viewer?: Actor): Schedule[] {
  const all = readSchedules(store, false);
  return viewer ? all.filter((j) => visibleTo(store, j, viewer)) : all;
}

function readSchedules(store: Store, withDeleted: boolean): Schedule[] {
  const last = store.db.prepare(`${RUNS} WHERE r.schedule_id = ? ORDER BY r.id DESC LIMIT 1`);
  return (store.db.prepare(`SELECT * FROM schedules ${withDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY id`).all() as Record<string, any>[]).map((r): Schedule => {
    const lr = last.get(r.id) as Record<string, any> | undefined;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      cron: r.cron,
      params: JSON.parse(r.params) as Record<string, unknown>,
      enabled: !!r.enabled,
      createdBy: r.created_by,
      createdRole: r.created_role,
      createdBranch: r.created_branch,
      createdAt: r.created_at,
      lastRun: lr ? runRow(lr) : null,
    };
  });
}

function visibleTo(store: Store, job: Schedule, viewer: Actor): boolean {
  return !viewer.branch || job.createdBy === viewer.user || withinScope(store.db, scheduleScope(job), viewer.branch);
}

export function listRuns(store: Store, scheduleId?: number, limit = 100, viewer?: Actor): ScheduleRun[] {
  const where: string[] = [];
  const args: number[] = [];
  if (scheduleId) {
    where.push('r.schedule_id = ?');
    args.push(scheduleId);
  }
  if (viewer?.branch) {
    // deleted schedules too: their runs stay in the history of those who could see them
    const ids = readSchedules(store, true)
      .filter((j) => visibleTo(store, j, viewer))
      .map((j) => j.id);
    where.push(`r.schedule_id IN (${ids.map(() => '?').join(',') || 'NULL'})`);
    args.push(...ids);
  }
  return (store.db.prepare(`${RUNS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`).all(...args, limit) as Record<string, any>[]).map(runRow);
}

/** The report period that ended before `now`: yesterday, last week (Mon–Sun) or last month, in Beijing time. */
export function previousPeriod(period: string, now = Date.now()): { from: number; to: number; label: string } {
  const local = new Date(now + BEIJING);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - BEIJING;
  let from: number, to: number;
  if (period === 'weekly') {
    const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
    to = midnight - dow * DAY;
    from = to - 7 * DAY;
  } else if (period === 'monthly') {
    to = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - BEIJING;
    from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - BEIJING;
  } else {
    to = midnight;
    from = to - DAY;
  }
  const d = (ms: number) => new Date(ms + BEIJING).toISOString().slice(0, 10).replace(/-/g, '');
  return { from, to, label: `${d(from)}-${d(to - 1)}` };
}

/** How a run was started: run now by a signed-in user, or fired by the app's cron (on behalf of the creator). */
export type RunTrigger = { how: 'manual'; by: Actor } | { how: 'cron'; session?: string };

/**
 * The creator's rights for this run: their role and branch as recorded when the schedule was
 * made. A run refuses (and is recorded as failed) when the creator has since been disabled or
 * has another role or branch: a schedule never outlives, or outgrows, its creator's rights.
 */
function runAsOf(store: Store, job: Schedule): Actor {
  const now = getUser(store, job.createdBy);
  if (!now || now.disabled || !job.createdRole) {
    throw new CoreError('forbidden', `任务创建人 ${job.createdBy} 已停用或不存在，任务不再运行；请重新创建`, `The schedule's creator ${job.createdBy} is disabled or unknown, so it no longer runs; create it again`);
  }
  if (now.role !== job.createdRole || now.branch !== job.createdBranch) {
    throw new CoreError(
      'forbidden',
      `任务创建人 ${job.createdBy} 的角色或范围已变更（创建时 ${job.createdRole}/${job.createdBranch || '全行'}，现在 ${now.role}/${now.branch || '全行'}），任务不再运行；请重新创建`,
      `The role or scope of the schedule's creator ${job.createdBy} has changed since it was made (${job.createdRole}/${job.createdBranch || 'whole bank'} then, ${now.role}/${now.branch || 'whole bank'} now), so it no longer runs; create it again`,
    );
  }
  return { user: job.createdBy, role: job.createdRole, branch: job.createdBranch };
}

export async function runSchedule(store: Store, id: number, trigger: RunTrigger, ctx: { defaultDictionary?: string; appVersion: string }): Promise<ScheduleRun> {
  const job = getSchedule(store, id);
  // run now: the one who asks must be allowed to (nothing is recorded as a run when refused)
  if (trigger.how === 'manual') assertMayRun(store, job, trigger.by);
  const runBy = trigger.how === 'manual' ? trigger.by.user : job.createdBy;
  const runId = Number(
    store.db
      .prepare('INSERT INTO schedule_runs(schedule_id, started_at, how, run_by, as_user, as_role, as_branch) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, Date.now(), trigger.how, runBy, job.createdBy, job.createdRole, job.createdBranch).lastInsertRowid,
  );
  let ok = true;
  let summary = '';
  let error = '';
  try {
    const as = runAsOf(store, job);
    if (!mayDo(as.role, job.kind)) throw new CoreError('forbidden', `任务创建人的角色（${ROLE_ZH[as.role]}）不能执行 ${ACTION_OF[job.kind]}`, `The creator's role (${as.role}) cannot ${ACTION_OF[job.kind]}`);
    if (job.kind === 'import') {
      const folder = String(job.params.folder);
      if (!fs.existsSync(folder)) throw new CoreError('rejected', `监视的文件夹不存在：${folder}`, `The watched folder does not exist: ${folder}`);
      const media = typeof job.params.media === 'string' ? job.params.media : undefined;
      const r = await ingest(store, { import: { paths: [folder], ...(media && { mediaDir: media }), skipDone: true }, scan: {}, user: as.user, waitMs: SCHEDULE_WAIT_MS, ...(ctx.defaultDictionary && { defaultDictionary: ctx.defaultDictionary }) });
      const s = r.import!;
      const sc = r.scan ?? { hits: 0 };
      summary = `导入 ${s.imported}，重复 ${s.duplicates}，隔离 ${s.quarantined}，跳过已导入文件 ${s.skippedFiles ?? 0}；新增命中 ${sc.hits}`;
      if (s.fileErrors.length) {
        ok = false;
        error = s.fileErrors.map((f) => `${f.file}:${f.line} ${f.reason}`).join('; ');
      }
    } else if (job.kind === 'scan') {
      const sc = (await ingest(store, { scan: {}, user: as.user, waitMs: SCHEDULE_WAIT_MS, ...(ctx.defaultDictionary && { defaultDictionary: ctx.defaultDictionary }) })).scan!;
      summary = `扫描 ${sc.scanned}，新增命中 ${sc.hits}`;
    } else {
      // the creator's report: their branch scope (a schedule from before may name more: refused), their role's masking
      const branch = scheduleScope(job);
      if (!withinScope(store.db, branch, as.branch)) {
        throw new CoreError('forbidden', `报表范围 ${branch || '全行'} 超出任务创建人的范围 ${as.branch}`, `The report's scope ${branch || 'whole bank'} is outside the creator's scope ${as.branch}`);
      }
      const p = previousPeriod(String(job.params.period ?? 'daily'));
      const out = path.join(String(job.params.outDir), `合规报表_${p.label}.xlsx`);
      // the same check as a report from the window or the CLI: a damaged store makes no report
      assertIntact(store, { zh: '报表', en: 'report' });
      const r = await writeReport(store, { from: p.from, to: p.to, out, ...(branch && { branch }), user: as.user, role: as.role, appVersion: ctx.appVersion });
      summary = `${r.out}（命中 ${r.hits}）`;
    }
  } catch (e) {
    ok = false;
    error = e instanceof CoreError ? e.message : String((e as Error).message ?? e);
  }
  store.db.prepare('UPDATE schedule_runs SET finished_at = ?, ok = ?, summary = ?, error = ? WHERE id = ?').run(Date.now(), ok ? 1 : 0, summary, error, runId);
  // every run in the audit log, under the acting user, with whose rights it ran and how it ended
  appendAudit(store.db, store.dbPath, runBy, 'schedule.run', `id=${id}`, {
    schedule: id,
    name: job.name,
    kind: job.kind,
    run: runId,
    how: trigger.how,
    ...(trigger.how === 'cron' && trigger.session && { session: trigger.session }),
    runAs: { user: job.createdBy, role: job.createdRole, branch: job.createdBranch },
    ...(job.kind === 'report' && { branch: scheduleScope(job) || '' }),
    ok,
    ...(ok ? { summary } : { error }),
  });
  return listRuns(store, id, 1)[0]!;
}

/**
 * What the app's clock calls, with the cron its timer was set for. The store may have changed
 * since (the command line, while the window is open): a schedule deleted, disabled or given
 * another time is not run (null), and the caller sets the timers again. A deleted schedule never fires.
 */
export async function fireSchedule(store: Store, timer: { id: number; cron: string }, session: string | undefined, ctx: { defaultDictionary?: string; appVersion: string }): Promise<ScheduleRun | null> {
  if (!listSchedules(store).some((j) => j.id === timer.id && j.enabled && j.cron === timer.cron)) return null;
  return runSchedule(store, timer.id, { how: 'cron', ...(session !== undefined && { session }) }, ctx);
}

/** Fires the enabled schedules while the app runs; restart() after a change. */
export class Scheduler {
  private tasks: { stop(): void }[] = [];
  constructor(private readonly run: (id: number, cron: string) => Promise<unknown>) {}
  restart(schedules: Schedule[]): void {
    this.stop();
    for (const s of schedules.filter((x) => x.enabled)) {
      this.tasks.push(cron.schedule(s.cron, () => void this.run(s.id, s.cron), { timezone: 'Asia/Shanghai', noOverlap: true, name: `schedule-${s.id}` }));
    }
  }
  stop(): void {
    for (const t of this.tasks) t.stop();
    this.tasks = [];
  }
  get size(): number {
    return this.tasks.length;
  }
}
