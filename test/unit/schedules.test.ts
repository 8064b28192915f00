import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { previousPeriod, Scheduler } from '../../main/core/scheduler/schedules.js';
import { cli, SAMPLES, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

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
    { id: 1, name: 'a', kind: 'scan', cron: '* * * * * *', params: {}, enabled: true, createdBy: 'x', createdAt: 0, lastRun: null },
    { id: 2, name: 'b', kind: 'scan', cron: '* * * * * *', params: {}, enabled: false, createdBy: 'x', createdAt: 0, lastRun: null },
  ]);
  assert.equal(s.size, 1);
  await new Promise((r) => setTimeout(r, 2200));
  s.stop();
  const n = fired.length;
  assert.ok(n >= 1 && fired.every((id) => id === 1), `fired ${fired}`);
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(fired.length, n);
});
