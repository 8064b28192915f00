/**
 * One writer at a time per store: two imports, or an import beside a scan, at once — from two
 * processes and from one — follow each other or are refused in our words, never "database is
 * locked", and whatever one committed is indexed and scanned by the next run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { openStore } from '../../main/core/store/index.js';
import { acquireWriter, writerLockPath } from '../../main/core/store/writerLock.js';
import { cli, PASS, ROOT, textMsg, tmpDir } from '../helpers/store.js';

const BIN = path.join(ROOT, 'bin/wecom-audit.js');
const env = { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS };

/** an export of n text messages, a few of them risky so that the scan has something to find */
function exportFile(file: string, n: number, prefix: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const text = i % 50 === 0 ? `这款产品保本保收益，年化${i % 7}%` : `第${i}条：您好，明天上午十点网点见，${'详情'.repeat(i % 9)}`;
    lines.push(JSON.stringify(textMsg(i, { msgid: `${prefix}-${i}`, tolist: [`wm${prefix}${i % 300}`], text: { content: text } })));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function state(dbPath: string) {
  const s = openStore(dbPath, PASS);
  try {
    const one = (sql: string) => s.db.prepare(sql).pluck().get() as number | string;
    return {
      messages: Number(one('SELECT count(*) FROM messages')),
      maxId: Number(one('SELECT coalesce(max(id), 0) FROM messages')),
      indexedUpto: Number(one(`SELECT value FROM meta WHERE key = 'search_indexed_upto'`)),
      scanUpto: Number(one(`SELECT value FROM meta WHERE key = 'scan_upto'`) ?? 0),
      guaranteeHits: Number(one(`SELECT count(DISTINCT message_id) FROM hits WHERE category = 'guarantee'`)),
    };
  } finally {
    s.close();
  }
}

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '', code: null as number | null };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const done = new Promise<typeof out>((resolve) => child.on('close', (code) => resolve(Object.assign(out, { code }))));
  return { child, out, done };
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('two imports at once: the second waits for the first, both complete, everything indexed and scanned', { timeout: 240_000 }, async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const a = exportFile(path.join(dir, 'a.jsonl'), 60_000, 'a');
  const b = exportFile(path.join(dir, 'b.jsonl'), 5_000, 'b');
  assert.equal(cli(['init', '--db', db]).code, 0);

  const first = start(['import', '--db', db, a, '--json', '--batch-size', '5000']);
  await until('the first import to take the writer lock', () => fs.existsSync(writerLockPath(db)));
  const second = start(['import', '--db', db, b, '--json']);
  const [r1, r2] = await Promise.all([first.done, second.done]);
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /存储库正忙，等待中/);
  assert.match(r2.stderr, /the store is busy/);
  assert.doesNotMatch(r1.stderr + r2.stderr, /database is locked|内部错误/);
  const j1 = JSON.parse(r1.stdout);
  const j2 = JSON.parse(r2.stdout);
  assert.equal(j1.imported + j2.imported, 65_000);
  assert.ok(j1.scan && j2.scan, 'each import ran its scan');
  const s = state(db);
  assert.equal(s.messages, 65_000);
  assert.equal(s.indexedUpto, s.maxId, 'every message indexed');
  assert.equal(s.scanUpto, s.maxId, 'every message scanned');
  assert.equal(s.guaranteeHits, 1200 + 100);
  assert.equal(fs.existsSync(writerLockPath(db)), false, 'the lock is released');
});

test('a scan beside an import is refused in our words with --wait 0, and waits by default', { timeout: 240_000 }, async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const a = exportFile(path.join(dir, 'a.jsonl'), 60_000, 'a');
  assert.equal(cli(['init', '--db', db]).code, 0);
  const imp = start(['import', '--db', db, a, '--batch-size', '5000']);
  await until('the import to take the writer lock', () => fs.existsSync(writerLockPath(db)));
  const refused = cli(['scan', '--db', db, '--wait', '0']);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /存储库正忙：用户 admin 正在导入/);
  assert.match(refused.stderr, /The store is busy: admin is running import/);
  assert.doesNotMatch(refused.stderr, /database is locked|内部错误/);
  const waited = start(['scan', '--db', db, '--json']);
  const [ri, rs] = await Promise.all([imp.done, waited.done]);
  assert.equal(ri.code, 0, ri.stderr);
  assert.equal(rs.code, 0, rs.stderr);
  const s = state(db);
  assert.equal(s.scanUpto, s.maxId);
  assert.equal(s.guaranteeHits, 1200);
});

test('killed with kill -9 mid-import: the stale lock is taken over and the next run indexes and scans what was committed', { timeout: 240_000 }, async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const a = exportFile(path.join(dir, 'a.jsonl'), 150_000, 'a');
  assert.equal(cli(['init', '--db', db]).code, 0);
  const imp = start(['import', '--db', db, a, '--batch-size', '5000']);
  await until('a committed batch', () => /imported=[1-9]/.test(imp.out.stderr), 120_000);
  imp.child.kill('SIGKILL');
  await imp.done;
  assert.ok(fs.existsSync(writerLockPath(db)), 'kill -9 leaves the lock file');
  const before = state(db);
  assert.ok(before.messages > 0 && before.messages < 150_000, `killed midway (${before.messages})`);
  assert.ok(before.scanUpto < before.maxId, 'the committed messages were not scanned yet');

  // a scan of its own completes the interrupted pipeline: the index first, then the scan
  const sc = cli(['scan', '--db', db, '--json', '--wait', '0']);
  assert.equal(sc.code, 0, sc.stderr);
  const after = state(db);
  assert.equal(after.indexedUpto, after.maxId);
  assert.equal(after.scanUpto, after.maxId);
  assert.equal(after.guaranteeHits, Math.ceil(after.messages / 50));
  assert.equal(fs.existsSync(writerLockPath(db)), false);
});

test('a lock whose process is gone is stale; one held by a live process is not', async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(gone.stdout);
  fs.writeFileSync(writerLockPath(db), JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), op: 'import', user: 'x', startedAt: Date.now(), token: 't' }));
  const lock = await acquireWriter(db, 'scan', 'admin');
  assert.equal(JSON.parse(fs.readFileSync(writerLockPath(db), 'utf8')).pid, process.pid);
  // the same process again (a second window action, or a schedule beside a run): refused at once
  await assert.rejects(acquireWriter(db, 'import', 'admin'), (e: Error & { code?: string }) => e.code === 'busy' && /存储库正忙/.test(e.message));
  lock.release();
  assert.equal(fs.existsSync(writerLockPath(db)), false);
  // another live process's lock (here: a sleeping child's) is respected
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    fs.writeFileSync(writerLockPath(db), JSON.stringify({ pid: sleeper.pid, host: (await import('node:os')).hostname(), op: 'import', user: 'li', startedAt: Date.now(), token: 'u' }));
    await assert.rejects(acquireWriter(db, 'scan', 'admin', { waitMs: 300 }), (e: Error & { code?: string }) => e.code === 'busy' && /li/.test(e.message) && /300|0 秒|waited/.test(e.message));
  } finally {
    sleeper.kill();
  }
});

test('one window: a second import while one runs is refused cleanly; the first completes', { timeout: 120_000 }, async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const a = exportFile(path.join(dir, 'a.jsonl'), 30_000, 'a');
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false, defaultDictionary: path.join(ROOT, 'resources/dictionaries/default.json') });
  assert.equal((await dispatch('store.create', { dbPath: db, passphrase: PASS }, session)).ok, true);
  const running = dispatch('import.run', { paths: [a], batchSize: 5000 }, session);
  const second = await dispatch('scan.run', {}, session);
  assert.equal(second.ok, false);
  assert.equal(!second.ok && second.error.code, 'busy');
  assert.match(!second.ok ? second.error.messageZh : '', /存储库正忙/);
  const first = await running;
  assert.equal(first.ok, true, JSON.stringify(first));
  const v = first.ok ? (first.value as { imported: number; indexed: { indexed: number }; scan: { scanned: number } }) : null;
  assert.equal(v?.imported, 30_000);
  assert.equal(v?.indexed.indexed, 30_000);
  assert.equal(v?.scan.scanned, 30_000);
  session.close();
});

test('permission comes before input: a forbidden call with bad input says not permitted, and is logged as denied', async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  assert.equal((await dispatch('store.unlock', { dbPath: db, passphrase: PASS }, session)).ok, true);
  assert.equal((await dispatch('users.add', { user: 'aud', role: 'auditor', password: 'auditor-pass-1' }, session)).ok, true);
  session.close();
  assert.equal((await dispatch('store.unlock', { dbPath: db, passphrase: 'auditor-pass-1', user: 'aud' }, session)).ok, true);
  const r = await dispatch('users.add', { user: 42, role: 'nonsense' }, session);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'forbidden');
  const log = session.store!.db.prepare(`SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1`).pluck().get();
  assert.equal(log, 'denied:users.add');
  // a permitted call with bad input is still a usage error
  const u = await dispatch('search.query', { q: 5 }, session);
  assert.equal(!u.ok && u.error.code, 'usage');
  session.close();
});
