import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { listAudit } from '../../main/core/review/audit.js';
import type { Result, Schedule, ScheduleRun } from '../../preload/api.js';
import { fireSchedule, listRuns, previousPeriod, runSchedule, Scheduler } from '../../main/core/scheduler/schedules.js';
import { openStore } from '../../main/core/store/index.js';
import { cli, PASS, SAMPLES, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

test('report periods end before now, in Beijing time', () => {
  const now = Date.parse('2026-11-26T09:00:00+08:00'); // a Thursday
  const d = previousPeriod('daily', now);
  assert.deepEqual([d.from, d.to, d.label], [Date.parse('2026-11-25T00:00:00+08:00'), Date.parse('2026-11-26T00:00:00+08:00'), '20261125-20261125']);
  const w = previousPeriod('weekly', now);
  assert.deepEqual([w.from, w.to], [Date.parse('2026-11-16T00:00:00+08:00'), Date.parse('2026-11-23T00:00:00+08:00')]);
  const m = previousPeriod('monthly', now);
  assert.deepEqual([m.from, m.to], [Date.parse('2026-10-01T00:00:00+08:00'), Date.parse('2026-11-01T00:00:00+08:00')]);
});

test('schedules: a watched folder is imported (new files only), scanned; a report lands in its folder; failures are recorded', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  const watch = path.join(dir, 'inbox');
  fs.mkdirSync(watch);
  fs.cpSync(path.join(SAMPLES, 'exports'), watch, { recursive: true });
  const add = cli(['schedule', 'add', '每日导入', '--kind', 'import', '--cron', '0 7 * * *', '--folder', watch, '--media', path.join(SAMPLES, 'media'), '--db', db, '--json']);
  assert.equal(add.code, 0, add.stderr);
  const id = String(add.json.id);
  const first = cli(['schedule', 'run', id, '--db', db, '--json']);
  assert.equal(first.json.ok, true, first.json.error);
  assert.match(first.json.summary, /隔离 3/); // the sample's deliberately bad lines
  const st = cli(['stats', '--db', db, '--json']).json;
  assert.ok(st.messages > 100);
  writeJsonl(path.join(watch, 'new.jsonl'), [textMsg(1, { text: { content: '新到的消息，保本' } })]);
  const second = cli(['schedule', 'run', id, '--db', db, '--json']);
  assert.match(second.json.summary, /导入 1，/);
  assert.match(second.json.summary, /跳过已导入文件 \d+/);
  const rep = cli(['schedule', 'add', '日报', '--kind', 'report', '--cron', '30 7 * * *', '--out-dir', path.join(dir, 'reports'), '--period', 'daily', '--db', db, '--json']);
  const r = cli(['schedule', 'run', String(rep.json.id), '--db', db, '--json']);
  assert.equal(r.json.ok, true, r.json.error);
  assert.equal(fs.readdirSync(path.join(dir, 'reports')).filter((f) => /^合规报表_\d{8}-\d{8}\.xlsx$/.test(f)).length, 1);
  fs.rmSync(watch, { recursive: true });
  const gone = cli(['schedule', 'run', id, '--db', db, '--json']);
  assert.equal(gone.code, 1);
  assert.match(gone.json.error, /不存在|does not exist/);
  const runs = cli(['schedule', 'runs', '--db', db, '--json']).json;
  assert.equal(runs.length, 4);
  assert.equal(cli(['schedule', 'add', 'bad', '--kind', 'scan', '--cron', 'every day', '--db', db]).code, 2);
  const list = cli(['schedule', 'list', '--db', db, '--json']).json;
  assert.equal(list.length, 2);
  assert.equal(list[0].lastRun.ok, false);
});

test('the scheduler fires enabled jobs on their cron and stops', async () => {
  const fired: number[] = [];
  const s = new Scheduler(async (id) => void fired.push(id));
  s.restart([
    { id: 1, name: 'a', kind: 'scan', cron: '* * * * * *', params: {}, enabled: true, createdBy: 'x', createdRole: 'admin', createdBranch: '', createdAt: 0, lastRun: null },
    { id: 2, name: 'b', kind: 'scan', cron: '* * * * * *', params: {}, enabled: false, createdBy: 'x', createdRole: 'admin', createdBranch: '', createdAt: 0, lastRun: null },
  ]);
  assert.equal(s.size, 1);
  await new Promise((r) => setTimeout(r, 2200));
  s.stop();
  const n = fired.length;
  assert.ok(n >= 1 && fired.every((id) => id === 1), `fired ${fired}`);
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(fired.length, n);
});

// ---- branch scope: a schedule acts with its creator's role and branch, never more ----

const PW = 'officer-pass-1';
const as = (user: string) => (user === 'admin' ? [] : ['--user', user]);
const env = (user: string): Record<string, string> => (user === 'admin' ? {} : { WECOM_AUDIT_PASSPHRASE: PW });

/**
 * Yesterday's messages (a daily report covers them) from three branches: 张伟 of 南京分行/河西支行,
 * 李娜 of 南京分行/鼓楼支行, 王芳 of 苏州分行/姑苏支行; a PII hit in 河西支行; named customers.
 */
function scopedStore() {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  fs.writeFileSync(path.join(dir, 'staff.csv'), '员工ID,姓名,分行,支行\nzhangwei,张伟,南京分行,河西支行\nlina,李娜,南京分行,鼓楼支行\nwangfang,王芳,苏州分行,姑苏支行\n');
  fs.writeFileSync(path.join(dir, 'contacts.csv'), '外部联系人ID,客户名称\nwmC1,陈小明\nwmC2,刘秀英\nwmC3,赵建国\n');
  assert.equal(cli(['people', 'import', '--db', db, path.join(dir, 'staff.csv'), '--kind', 'staff']).code, 0);
  assert.equal(cli(['people', 'import', '--db', db, path.join(dir, 'contacts.csv'), '--kind', 'contacts']).code, 0);
  const y = previousPeriod('daily').from + 10 * 3600_000; // yesterday 10:00 Beijing
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { msgtime: y, tolist: ['wmC1'], text: { content: '这款产品保本保收益，稳赚不赔' } }),
    textMsg(2, { msgtime: y + 60_000, tolist: ['wmC1'], text: { content: '请提供身份证11010519491231002X办理' } }),
    textMsg(3, { msgtime: y + 120_000, from: 'lina', tolist: ['wmC2'], text: { content: '保本的，放心' } }),
    textMsg(4, { msgtime: y + 180_000, from: 'wangfang', tolist: ['wmC3'], text: { content: '保本保收益，加我私人微信' } }),
  ]);
  assert.equal(cli(['import', '--db', db, file]).code, 0);
  for (const [name, role, branch] of [
    ['hx', 'risk_officer', '河西支行'],
    ['nj', 'auditor', '南京分行'],
    ['cm', 'compliance_manager', ''],
    ['gl', 'risk_officer', '鼓楼支行'],
  ] as const) {
    const r = cli(['users', 'add', name, '--role', role, ...(branch ? ['--branch', branch] : []), '--db', db, '--json'], { WECOM_AUDIT_NEW_PASSWORD: PW });
    assert.equal(r.code, 0, r.stderr);
  }
  return { dir, db };
}

function addReport(db: string, user: string, name: string, outDir: string, branch?: string) {
  return cli(['schedule', 'add', name, '--kind', 'report', '--cron', '0 7 * * *', '--out-dir', outDir, '--period', 'daily', ...(branch ? ['--branch', branch] : []), ...as(user), '--db', db, '--json'], env(user));
}

/** The hit rows of a report workbook, by header. */
async function hitRows(file: string): Promise<Record<string, string>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('命中明细')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, k) => [h, String(row.getCell(k + 1).value ?? '')])));
  });
  return rows;
}
const only = (dir: string) => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xlsx'));
  assert.equal(files.length, 1, files.join(', '));
  return path.join(dir, files[0]!);
};

test('schedules and branch scope: a scoped user schedules reports only within their branch, and they run with the creator’s scope and role', async () => {
  const { dir, db } = scopedStore();
  // another branch, or the parent branch: refused (exit 6), in both languages, and logged
  for (const other of ['姑苏支行', '苏州分行', '南京分行', '鼓楼支行']) {
    const r = addReport(db, 'hx', `越权 ${other}`, path.join(dir, 'x'), other);
    assert.equal(r.code, 6, `${other}: ${r.stdout} ${r.stderr}`);
    assert.match(r.stderr, /无权为 .* 创建报表任务：您的范围是 河西支行/);
    assert.match(r.stderr, /Not permitted to schedule reports for .*: your scope is 河西支行/);
  }
  assert.equal(cli(['schedule', 'list', '--db', db, '--json']).json.length, 0);
  // their own branch: allowed; without --branch the branch is theirs all the same
  const own = addReport(db, 'hx', '河西日报', path.join(dir, 'hx'), '河西支行');
  assert.equal(own.code, 0, own.stderr);
  assert.deepEqual([own.json.createdBy, own.json.createdRole, own.json.createdBranch, own.json.params.branch], ['hx', 'risk_officer', '河西支行', '河西支行']);
  const implicit = addReport(db, 'hx', '河西日报2', path.join(dir, 'hx2'));
  assert.equal(implicit.code, 0, implicit.stderr);
  assert.equal(implicit.json.params.branch, '河西支行');
  // a branch's sub-branch: allowed (an auditor of 南京分行, for 河西支行); an auditor cannot schedule imports
  const aud = addReport(db, 'nj', '审计河西日报', path.join(dir, 'nj'), '河西支行');
  assert.equal(aud.code, 0, aud.stderr);
  assert.equal(cli(['schedule', 'add', '导入', '--kind', 'scan', '--cron', '0 7 * * *', '--user', 'nj', '--db', db], env('nj')).code, 6);
  // head office: the whole bank
  const all = addReport(db, 'admin', '全行日报', path.join(dir, 'all'));
  assert.equal(all.code, 0, all.stderr);

  // run now by the creator: only 河西支行's hits, PII in full for a risk officer
  const run = cli(['schedule', 'run', String(own.json.id), '--user', 'hx', '--db', db, '--json'], env('hx'));
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json.ok, true, run.json.error);
  assert.deepEqual([run.json.how, run.json.runBy, run.json.runAs], ['manual', 'hx', { user: 'hx', role: 'risk_officer', branch: '河西支行' }]);
  const hxRows = await hitRows(only(path.join(dir, 'hx')));
  assert.ok(hxRows.length >= 2, JSON.stringify(hxRows));
  assert.ok(hxRows.every((r) => r['支行'] === '河西支行' && r['员工'] === '张伟'), JSON.stringify(hxRows));
  assert.ok(hxRows.some((r) => r['客户'] === '陈小明'));
  assert.ok(hxRows.some((r) => r['命中内容'] === '11010519491231002X'));
  // the whole bank's report has the other branches: the scope above was the creator's
  assert.equal(cli(['schedule', 'run', String(all.json.id), '--db', db, '--json']).json.ok, true);
  const allRows = await hitRows(only(path.join(dir, 'all')));
  assert.ok(allRows.some((r) => r['支行'] === '姑苏支行') && allRows.some((r) => r['支行'] === '鼓楼支行'));

  // someone else's schedule: a compliance manager may run any, and it still is hx's report
  fs.rmSync(path.join(dir, 'hx'), { recursive: true });
  const byCm = cli(['schedule', 'run', String(own.json.id), '--user', 'cm', '--db', db, '--json'], env('cm'));
  assert.equal(byCm.json.ok, true, byCm.stderr);
  assert.deepEqual([byCm.json.runBy, byCm.json.runAs.user], ['cm', 'hx']);
  assert.ok((await hitRows(only(path.join(dir, 'hx')))).every((r) => r['支行'] === '河西支行'));
  // a scoped user may not run the whole bank's schedule, nor another branch's; nor switch it off
  assert.equal(cli(['schedule', 'run', String(all.json.id), '--user', 'hx', '--db', db], env('hx')).code, 6);
  const gl = cli(['schedule', 'run', String(own.json.id), '--user', 'gl', '--db', db], env('gl'));
  assert.equal(gl.code, 6);
  assert.match(gl.stderr, /无权运行定时任务[\s\S]*Not permitted to run schedule/);
  // … and does not see them
  assert.deepEqual(cli(['schedule', 'list', '--user', 'gl', '--db', db, '--json'], env('gl')).json, []);
  assert.deepEqual(cli(['schedule', 'list', '--user', 'hx', '--db', db, '--json'], env('hx')).json.map((j: any) => j.name), ['河西日报', '河西日报2', '审计河西日报']);

  // the auditor's schedule: customers and PII masked as the auditor sees them, whoever runs it
  const audRun = cli(['schedule', 'run', String(aud.json.id), '--user', 'cm', '--db', db, '--json'], env('cm'));
  assert.equal(audRun.json.ok, true, audRun.json.error);
  const audRows = await hitRows(only(path.join(dir, 'nj')));
  assert.ok(audRows.length >= 2);
  assert.ok(audRows.every((r) => r['支行'] === '河西支行'));
  assert.ok(audRows.every((r) => r['客户'] === '陈**'), JSON.stringify(audRows.map((r) => r['客户'])));
  const pii = audRows.find((r) => r['类别'] === '客户个人信息')!;
  assert.equal(pii['命中内容'], '110105********002X');
  assert.ok(!String(pii['消息内容']).includes('11010519491231002X'));

  // every run in the audit log under the acting user, with whose rights it ran; refusals too
  const store = openStore(db, PASS);
  try {
    const log = listAudit(store.db, { limit: 1000 }); // newest first
    const runs = log.reverse().filter((e) => e.action === 'schedule.run').map((e) => [e.user, (e.details as any).runAs.user, (e.details as any).how, (e.details as any).ok]);
    assert.deepEqual(runs, [
      ['hx', 'hx', 'manual', true],
      ['admin', 'admin', 'manual', true],
      ['cm', 'hx', 'manual', true],
      ['cm', 'nj', 'manual', true],
    ]);
    assert.ok(log.some((e) => e.user === 'hx' && e.action === 'denied:schedules.add'));
    assert.ok(log.some((e) => e.user === 'hx' && e.action === 'denied:schedules.run'));
    assert.ok(log.some((e) => e.user === 'gl' && e.action === 'denied:schedules.run'));

    // fired by cron while someone else has the window open: still the creator's scope, logged under the creator
    fs.rmSync(path.join(dir, 'hx'), { recursive: true });
    const cron = await runSchedule(store, own.json.id, { how: 'cron', session: 'admin' }, { appVersion: 't' });
    assert.equal(cron.ok, true, cron.error);
    assert.deepEqual([cron.how, cron.runBy, cron.runAs.branch], ['cron', 'hx', '河西支行']);
    assert.ok((await hitRows(only(path.join(dir, 'hx')))).every((r) => r['支行'] === '河西支行'));
    const last = listAudit(store.db, { action: 'schedule.run', limit: 1 })[0]!;
    assert.equal(last.user, 'hx');
    assert.deepEqual([(last.details as any).how, (last.details as any).session], ['cron', 'admin']);
    // a schedule made before this (no role recorded, a branch beyond its creator's scope) does not run
    store.db.prepare(`UPDATE schedules SET params = json_set(params, '$.branch', '姑苏支行') WHERE id = ?`).run(own.json.id);
    const beyond = await runSchedule(store, own.json.id, { how: 'cron' }, { appVersion: 't' });
    assert.equal(beyond.ok, false);
    assert.match(beyond.error, /超出任务创建人的范围/);
  } finally {
    store.close();
  }
  // a disabled creator's schedules stop
  assert.equal(cli(['users', 'disable', 'nj', '--db', db]).code, 0);
  const stopped = cli(['schedule', 'run', String(aud.json.id), '--db', db, '--json']);
  assert.equal(stopped.json.ok, false);
  assert.match(stopped.json.error, /已停用或不存在/);
});

test('schedules and branch scope through dispatch: a CoreError of the forbidden kind for another branch', async () => {
  const { dir, db } = scopedStore();
  const headOffice = addReport(db, 'admin', '全行日报', path.join(dir, 'all'));
  const audits = addReport(db, 'nj', '审计河西日报', path.join(dir, 'nj'), '河西支行');
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  assert.equal((await dispatch('store.unlock', { dbPath: db, passphrase: PW, user: 'hx' }, session)).ok, true);
  try {
    const denied = await dispatch('schedules.add', { name: '苏州日报', kind: 'report', cron: '0 7 * * *', params: { outDir: path.join(dir, 'x'), period: 'daily', branch: '苏州分行' } }, session);
    assert.equal(denied.ok, false);
    if (denied.ok) return;
    assert.equal(denied.error.code, 'forbidden');
    assert.match(denied.error.messageZh, /无权为 苏州分行 创建报表任务/);
    assert.match(denied.error.messageEn, /Not permitted to schedule reports for 苏州分行/);
    const ok = await dispatch('schedules.add', { name: '河西日报', kind: 'report', cron: '0 7 * * *', params: { outDir: path.join(dir, 'hx'), period: 'daily' } }, session);
    assert.equal(ok.ok, true);
    if (!ok.ok) return;
    const job = ok.value as { id: number; params: { branch: string } };
    assert.equal(job.params.branch, '河西支行');
    const run = await dispatch('schedules.run', { id: job.id }, session);
    assert.equal(run.ok && (run.value as { ok: boolean }).ok, true);
    const rows = await hitRows(only(path.join(dir, 'hx')));
    assert.ok(rows.length >= 2 && rows.every((r) => r['支行'] === '河西支行'));
    // switching schedules on and off: one's own, or within one's scope; not head office's
    assert.equal((await dispatch('schedules.setEnabled', { id: job.id, enabled: false }, session)).ok, true);
    const off = await dispatch('schedules.setEnabled', { id: headOffice.json.id, enabled: false }, session);
    assert.equal(!off.ok && off.error.code, 'forbidden');
    assert.equal((await dispatch('schedules.setEnabled', { id: audits.json.id, enabled: false }, session)).ok, true);
    // the list and the run history are the user's scope
    const list = await dispatch('schedules.list', {}, session);
    assert.deepEqual(list.ok && (list.value as { name: string }[]).map((j) => j.name), ['审计河西日报', '河西日报']);
  } finally {
    session.close();
  }
  // an auditor (read-only) switches only their own schedules, and runs reports only
  const nj = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  assert.equal((await dispatch('store.unlock', { dbPath: db, passphrase: PW, user: 'nj' }, nj)).ok, true);
  try {
    const other = await dispatch('schedules.setEnabled', { id: headOffice.json.id, enabled: false }, nj);
    assert.equal(!other.ok && other.error.code, 'forbidden');
    assert.equal((await dispatch('schedules.setEnabled', { id: audits.json.id, enabled: true }, nj)).ok, true);
    const scan = await dispatch('schedules.add', { name: '扫描', kind: 'scan', cron: '0 7 * * *', params: {} }, nj);
    assert.equal(!scan.ok && scan.error.code, 'forbidden');
  } finally {
    nj.close();
  }
});

// ---- editing and deleting ----

function valueOf<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

async function signIn(db: string, user: string): Promise<Session> {
  const s = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  const r = await dispatch('store.unlock', { dbPath: db, passphrase: user === 'admin' ? PASS : PW, user }, s);
  assert.equal(r.ok, true, r.ok ? '' : r.error.message);
  return s;
}

/** a new store (through the CLI) and admin signed in through dispatch */
async function newStoreAsAdmin(): Promise<{ dir: string; session: Session }> {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  return { dir, session: await signIn(db, 'admin') };
}

/** name, cron, params and owner: what an edit may change */
const shape = (j: Schedule) => ({ name: j.name, cron: j.cron, params: j.params, owner: [j.createdBy, j.createdRole, j.createdBranch] });

test('editing a schedule: the clock gets the new cron, the next run the new params; a bad edit changes nothing; add and edit are audited with before and after', async () => {
  const { dir, session } = await newStoreAsAdmin();
  // the app's clock, observed: handlers restart it after every change
  const clock: Schedule[][] = [];
  session.scheduler = { restart: (list) => void clock.push(list as Schedule[]), stop: () => {} };
  try {
    const job = valueOf<Schedule>(await dispatch('schedules.add', { name: '日报', kind: 'report', cron: '0 7 * * *', params: { outDir: path.join(dir, 'a'), period: 'daily' } }, session));
    const edited = valueOf<Schedule>(await dispatch('schedules.update', { id: job.id, name: '周报', cron: '30 6 * * 1', params: { outDir: path.join(dir, 'b'), period: 'weekly' } }, session));
    assert.deepEqual(shape(edited), { name: '周报', cron: '30 6 * * 1', params: { outDir: path.join(dir, 'b'), period: 'weekly' }, owner: ['admin', 'admin', ''] });
    assert.deepEqual(clock.at(-1)!.map((j) => [j.id, j.cron, j.enabled]), [[job.id, '30 6 * * 1', true]]);
    const run = valueOf<ScheduleRun>(await dispatch('schedules.run', { id: job.id }, session));
    assert.equal(run.ok, true, run.error);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'b')), [`合规报表_${previousPeriod('weekly').label}.xlsx`], 'last week’s report, in the new folder');
    assert.equal(fs.existsSync(path.join(dir, 'a')), false);
    assert.deepEqual([run.scheduleName, run.scheduleDeleted], ['周报', false]);

    // refused as a new schedule would be (usage), and nothing changes
    const restarts = clock.length;
    // (a valid name beside a bad part is not saved either)
    for (const bad of [{ name: '不应保存', cron: 'every day' }, { name: '不应保存', params: { period: 'hourly' } }, { params: { outDir: null } }, { params: { branch: 7 } }, {}]) {
      const r = await dispatch('schedules.update', { id: job.id, ...bad }, session);
      assert.equal(!r.ok && r.error.code, 'usage', JSON.stringify(bad));
    }
    const bad = await dispatch('schedules.update', { id: job.id, cron: 'every day' }, session);
    assert.match(!bad.ok ? bad.error.message : '', /定时表达式无效：every day[\s\S]*Invalid cron expression/);
    assert.deepEqual(shape(valueOf<Schedule[]>(await dispatch('schedules.list', {}, session))[0]!), shape(edited));
    assert.equal(clock.length, restarts, 'the clock is left alone');
    // params are merged: a key given changes, the rest stays; null removes an optional one
    const merged = valueOf<Schedule>(await dispatch('schedules.update', { id: job.id, params: { period: 'monthly', branch: '南京分行' } }, session));
    assert.deepEqual(merged.params, { outDir: path.join(dir, 'b'), period: 'monthly', branch: '南京分行' });
    assert.deepEqual(valueOf<Schedule>(await dispatch('schedules.update', { id: job.id, params: { branch: null } }, session)).params, { outDir: path.join(dir, 'b'), period: 'monthly' });
    const missing = await dispatch('schedules.update', { id: 999, name: 'x' }, session);
    assert.equal(!missing.ok && missing.error.code, 'not_found');

    const log = listAudit(session.requireStore().db, { action: 'schedule' }).reverse();
    const add = log.find((e) => e.action === 'schedule.add')!;
    assert.deepEqual([add.user, add.target, (add.details as any).schedule, (add.details as any).cron, (add.details as any).owner], ['admin', `id=${job.id}`, job.id, '0 7 * * *', { user: 'admin', role: 'admin', branch: '' }]);
    const update = log.find((e) => e.action === 'schedule.update')!;
    assert.deepEqual([(update.details as any).before.cron, (update.details as any).after.cron, (update.details as any).before.name, (update.details as any).after.name, (update.details as any).ownerChanged], ['0 7 * * *', '30 6 * * 1', '日报', '周报', false]);
    assert.equal(log.filter((e) => e.action === 'schedule.update').length, 3, 'only the edits that were made');
    // dispatch's own entries of the requests, refused ones not among them
    assert.deepEqual(
      log.filter((e) => e.action.startsWith('schedules.') && e.action !== 'schedules.list').map((e) => e.action),
      ['schedules.add', 'schedules.update', 'schedules.run', 'schedules.update', 'schedules.update'],
    );
  } finally {
    session.close();
  }
});

test('editing someone else’s schedule: only who may change it, a scoped editor never widens a report, and the editor becomes the owner', async () => {
  const { dir, db } = scopedStore();
  const own = addReport(db, 'hx', '河西日报', path.join(dir, 'hx'));
  assert.equal(own.code, 0, own.stderr);
  const id: number = own.json.id;
  const before = cli(['schedule', 'list', '--db', db, '--json']).json[0];
  const unchanged = () => assert.deepEqual(cli(['schedule', 'list', '--db', db, '--json']).json[0], before);
  const hx = await signIn(db, 'hx');
  const gl = await signIn(db, 'gl');
  const nj = await signIn(db, 'nj');
  const cm = await signIn(db, 'cm');
  try {
    // the owner, scoped to 河西支行: not the parent branch, not another branch
    for (const branch of ['南京分行', '鼓楼支行']) {
      const wide = await dispatch('schedules.update', { id, params: { branch } }, hx);
      assert.equal(!wide.ok && wide.error.code, 'forbidden');
      assert.match(!wide.ok ? wide.error.message : '', new RegExp(`无权为 ${branch} 设置报表任务：您的范围是 河西支行[\\s\\S]*Not permitted to schedule reports for ${branch}`));
    }
    // another branch's officer; an auditor whose scope holds it (an auditor changes only their own)
    for (const who of [gl, nj]) {
      const r = await dispatch('schedules.update', { id, name: '改名', cron: '0 8 * * *' }, who);
      assert.equal(!r.ok && r.error.code, 'forbidden');
      assert.match(!r.ok ? r.error.messageZh : '', /无权更改/);
      const d = await dispatch('schedules.remove', { id }, who);
      assert.equal(!d.ok && d.error.code, 'forbidden');
    }
    unchanged();

    // head office's compliance manager edits it: now it is theirs, and it still covers 河西支行 only
    const taken = valueOf<Schedule>(await dispatch('schedules.update', { id, name: '河西日报（合规部）' }, cm));
    assert.deepEqual(shape(taken), { ...shape(before), name: '河西日报（合规部）', owner: ['cm', 'compliance_manager', ''] });
    const run = valueOf<ScheduleRun>(await dispatch('schedules.run', { id }, hx));
    assert.equal(run.ok, true, run.error);
    assert.deepEqual([run.runBy, run.runAs], ['hx', { user: 'cm', role: 'compliance_manager', branch: '' }]);
    assert.ok((await hitRows(only(path.join(dir, 'hx')))).every((r) => r['支行'] === '河西支行'));

    const log = listAudit(cm.requireStore().db, { limit: 1000 });
    const update = log.find((e) => e.action === 'schedule.update')!;
    assert.equal(update.user, 'cm');
    assert.deepEqual([(update.details as any).before.owner, (update.details as any).after.owner, (update.details as any).ownerChanged], [{ user: 'hx', role: 'risk_officer', branch: '河西支行' }, { user: 'cm', role: 'compliance_manager', branch: '' }, true]);
    for (const [user, action] of [['hx', 'denied:schedules.update'], ['gl', 'denied:schedules.update'], ['nj', 'denied:schedules.update'], ['gl', 'denied:schedules.remove'], ['nj', 'denied:schedules.remove']]) {
      assert.ok(log.some((e) => e.user === user && e.action === action), `${user} ${action}`);
    }
  } finally {
    for (const s of [hx, gl, nj, cm]) s.close();
  }
});

test('schedule edit and delete from the command line: exit codes; a deleted schedule is hidden, never run, and its runs stay in the history', async () => {
  const { dir, db } = scopedStore();
  const own = addReport(db, 'hx', '河西日报', path.join(dir, 'hx'));
  const id = String(own.json.id);
  const hx = (args: string[]) => cli([...args, '--user', 'hx', '--db', db], env('hx'));
  assert.equal(hx(['schedule', 'run', id, '--json']).json.ok, true);
  const before = hx(['schedule', 'list', '--json']).json;

  assert.equal(hx(['schedule', 'edit', id, '--cron', 'every day']).code, 2);
  assert.equal(hx(['schedule', 'edit', id]).code, 2, 'nothing to change');
  assert.equal(hx(['schedule', 'edit', id, '--bogus', 'x']).code, 2);
  assert.equal(hx(['schedule', 'edit', id, '--branch', '南京分行']).code, 6);
  const gl = cli(['schedule', 'edit', id, '--name', '改名', '--user', 'gl', '--db', db], env('gl'));
  assert.equal(gl.code, 6);
  assert.match(gl.stderr, /无权更改定时任务[\s\S]*Not permitted to change schedule/);
  assert.equal(cli(['schedule', 'edit', '999', '--name', 'x', '--db', db]).code, 1, 'not found: failed');
  assert.deepEqual(hx(['schedule', 'list', '--json']).json, before, 'refused edits change nothing');

  const edited = hx(['schedule', 'edit', id, '--name', '河西周报', '--cron', '15 8 * * 1', '--period', 'weekly', '--json']);
  assert.equal(edited.code, 0, edited.stderr);
  assert.deepEqual([edited.json.name, edited.json.cron, edited.json.params.period, edited.json.params.branch, edited.json.params.outDir], ['河西周报', '15 8 * * 1', 'weekly', '河西支行', path.join(dir, 'hx')]);
  const human = hx(['schedule', 'edit', id, '--cron', '0 9 * * 1']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /已修改定时任务 schedule changed: \d+ 河西周报（0 9 \* \* 1）/);

  assert.equal(cli(['schedule', 'delete', id, '--user', 'gl', '--db', db], env('gl')).code, 6);
  const del = hx(['schedule', 'delete', id, '--json']);
  assert.equal(del.code, 0, del.stderr);
  assert.deepEqual(del.json, { id: Number(id), deleted: true });
  assert.deepEqual(hx(['schedule', 'list', '--json']).json, []);
  assert.deepEqual(cli(['schedule', 'list', '--db', db, '--json']).json, []);
  for (const args of [['schedule', 'run', id], ['schedule', 'edit', id, '--name', 'x'], ['schedule', 'delete', id]]) {
    const r = cli([...args, '--db', db]);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /没有这个定时任务：\d+[\s\S]*No such schedule/);
  }
  // the history keeps its run, under its name, marked deleted; for its scoped owner too
  const runs = hx(['schedule', 'runs', '--json']).json;
  assert.deepEqual(runs.map((r: ScheduleRun) => [r.scheduleId, r.scheduleName, r.scheduleDeleted, r.ok]), [[Number(id), '河西周报', true, true]]);
  assert.match(hx(['schedule', 'runs']).stdout, /河西周报（已删除 deleted）/);

  const store = openStore(db, PASS);
  try {
    assert.deepEqual(store.db.prepare('SELECT deleted_by, deleted_at > 0 AS at FROM schedules WHERE id = ?').get(id), { deleted_by: 'hx', at: 1 });
    // the app's clock, if it still had the deleted schedule's timer, does nothing
    assert.equal(await fireSchedule(store, { id: Number(id), cron: '0 9 * * 1' }, 'admin', { appVersion: 't' }), null);
    assert.equal(listRuns(store).length, 1);
    const removed = listAudit(store.db, { action: 'schedule.remove' });
    assert.equal(removed.length, 1);
    assert.deepEqual([removed[0]!.user, (removed[0]!.details as any).name, (removed[0]!.details as any).runs, (removed[0]!.details as any).owner.user], ['hx', '河西周报', 1, 'hx']);
    const actions = listAudit(store.db, { limit: 1000 }).map((e) => `${e.user} ${e.action}`);
    for (const a of ['hx schedules.update', 'hx schedule.update', 'hx schedules.remove', 'hx denied:schedules.update', 'gl denied:schedules.update', 'gl denied:schedules.remove']) assert.ok(actions.includes(a), a);
  } finally {
    store.close();
  }
});

test('switching a schedule on and off is in the audit log; the clock fires only an enabled schedule at the time the store has', async () => {
  const { session } = await newStoreAsAdmin();
  try {
    const job = valueOf<Schedule>(await dispatch('schedules.add', { name: '扫描', kind: 'scan', cron: '0 7 * * *', params: {} }, session));
    valueOf(await dispatch('schedules.setEnabled', { id: job.id, enabled: false }, session));
    const store = session.requireStore();
    const timer = { id: job.id, cron: '0 7 * * *' };
    assert.equal(await fireSchedule(store, timer, 'admin', { appVersion: 't' }), null);
    const e = listAudit(store.db, { action: 'schedules.setEnabled' })[0]!;
    assert.deepEqual([e.user, e.target, e.details], ['admin', `id=${job.id}`, { id: job.id, enabled: false }]);
    valueOf(await dispatch('schedules.setEnabled', { id: job.id, enabled: true }, session));
    assert.equal((await fireSchedule(store, timer, 'admin', { appVersion: 't' }))?.ok, true);
    // a timer set for another time than the store now has (edited elsewhere) runs nothing
    assert.equal(await fireSchedule(store, { ...timer, cron: '0 8 * * *' }, 'admin', { appVersion: 't' }), null);
    assert.equal(listRuns(store, job.id).length, 1);
  } finally {
    session.close();
  }
});
