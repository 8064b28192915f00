/**
 * Schedules while the app runs: import new exports from a watched folder (then index and scan),
 * scan, or write the daily / weekly / monthly report into a folder. Each run is recorded with
 * its outcome, so failures are seen, not lost. node-cron fires them (Beijing time); the same
 * runJob serves "run now" from the window or the CLI, and an OS task scheduler calling the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import type { Schedule, ScheduleRun } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import { importExports } from '../import/importer.js';
import { writeReport } from '../report/workbook.js';
import { scan } from '../scan/scan.js';
import { indexPending } from '../search/indexer.js';
import type { Store } from '../store/index.js';

export type ScheduleKind = 'import' | 'scan' | 'report';


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

export function addSchedule(store: Store, name: string, kind: ScheduleKind, expr: string, params: Record<string, unknown>, user: string): Schedule {
  validateSchedule(kind, expr, params);
  const id = Number(store.db.prepare('INSERT INTO schedules(name, kind, cron, params, enabled, created_by, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)').run(name, kind, expr, JSON.stringify(params), user, Date.now()).lastInsertRowid);
  return listSchedules(store).find((s) => s.id === id)!;
}

export function setScheduleEnabled(store: Store, id: number, enabled: boolean): void {
  if (!store.db.prepare('UPDATE schedules SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id).changes) throw new CoreError('not_found', `没有这个定时任务：${id}`, `No such schedule: ${id}`);
}

const runRow = (r: Record<string, any>): ScheduleRun => ({ id: r.id, scheduleId: r.schedule_id, startedAt: r.started_at, finishedAt: r.finished_at, ok: r.ok === null ? null : !!r.ok, summary: r.summary, error: r.error });

export function listSchedules(store: Store): Schedule[] {
  const last = store.db.prepare('SELECT * FROM schedule_runs WHERE schedule_id = ? ORDER BY id DESC LIMIT 1');
  return (store.db.prepare('SELECT * FROM schedules ORDER BY id').all() as Record<string, any>[]).map((r) => {
    const lr = last.get(r.id) as Record<string, any> | undefined;
    return { id: r.id, name: r.name, kind: r.kind, cron: r.cron, params: JSON.parse(r.params) as Record<string, unknown>, enabled: !!r.enabled, createdBy: r.created_by, createdAt: r.created_at, lastRun: lr ? runRow(lr) : null };
  });
}

export function listRuns(store: Store, scheduleId?: number, limit = 100): ScheduleRun[] {
  return (store.db.prepare(`SELECT * FROM schedule_runs ${scheduleId ? 'WHERE schedule_id = ?' : ''} ORDER BY id DESC LIMIT ?`).all(...(scheduleId ? [scheduleId, limit] : [limit])) as Record<string, any>[]).map(runRow);
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

export async function runSchedule(store: Store, id: number, user: string, ctx: { defaultDictionary?: string; appVersion: string }): Promise<ScheduleRun> {
  const job = listSchedules(store).find((s) => s.id === id);
  if (!job) throw new CoreError('not_found', `没有这个定时任务：${id}`, `No such schedule: ${id}`);
  const runId = Number(store.db.prepare('INSERT INTO schedule_runs(schedule_id, started_at) VALUES (?, ?)').run(id, Date.now()).lastInsertRowid);
  let ok = true;
  let summary = '';
  let error = '';
  try {
    if (job.kind === 'import') {
      const folder = String(job.params.folder);
      if (!fs.existsSync(folder)) throw new CoreError('rejected', `监视的文件夹不存在：${folder}`, `The watched folder does not exist: ${folder}`);
      const media = typeof job.params.media === 'string' ? job.params.media : undefined;
      const s = await importExports(store, { paths: [folder], ...(media && { mediaDir: media }), skipDone: true });
      await indexPending(store.db);
      const sc = await scan(store.db, { user, ...(ctx.defaultDictionary && { defaultDictionary: ctx.defaultDictionary }) });
      summary = `导入 ${s.imported}，重复 ${s.duplicates}，隔离 ${s.quarantined}，跳过已导入文件 ${s.skippedFiles ?? 0}；新增命中 ${sc.hits}`;
      if (s.fileErrors.length) {
        ok = false;
        error = s.fileErrors.map((f) => `${f.file}:${f.line} ${f.reason}`).join('; ');
      }
    } else if (job.kind === 'scan') {
      const sc = await scan(store.db, { user, ...(ctx.defaultDictionary && { defaultDictionary: ctx.defaultDictionary }) });
      summary = `扫描 ${sc.scanned}，新增命中 ${sc.hits}`;
    } else {
      const p = previousPeriod(String(job.params.period ?? 'daily'));
      const out = path.join(String(job.params.outDir), `合规报表_${p.label}.xlsx`);
      const r = await writeReport(store, { from: p.from, to: p.to, out, ...(typeof job.params.branch === 'string' && { branch: job.params.branch }), user, role: 'admin', appVersion: ctx.appVersion });
      summary = `${r.out}（命中 ${r.hits}）`;
    }
  } catch (e) {
    ok = false;
    error = e instanceof CoreError ? e.message : String((e as Error).message ?? e);
  }
  store.db.prepare('UPDATE schedule_runs SET finished_at = ?, ok = ?, summary = ?, error = ? WHERE id = ?').run(Date.now(), ok ? 1 : 0, summary, error, runId);
  return listRuns(store, id, 1)[0]!;
}

/** Fires the enabled schedules while the app runs; restart() after a change. */
export class Scheduler {
  private tasks: { stop(): void }[] = [];
  constructor(private readonly run: (id: number) => Promise<unknown>) {}
  restart(schedules: Schedule[]): void {
    this.stop();
    for (const s of schedules.filter((x) => x.enabled)) {
      this.tasks.push(cron.schedule(s.cron, () => void this.run(s.id), { timezone: 'Asia/Shanghai', noOverlap: true, name: `schedule-${s.id}` }));
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
