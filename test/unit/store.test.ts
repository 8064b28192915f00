import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importExports } from '../../main/core/import/importer.js';
import Database from 'better-sqlite3-multiple-ciphers';
import { keyringPath, LATEST_VERSION, openStore, revealDataKey } from '../../main/core/store/index.js';
import { migrate } from '../../main/core/store/migrations.js';
import { cli, PASS, newStore, reopen, textMsg, tmpDir, writeJsonl, ROOT } from '../helpers/store.js';

const SECRET = '客户身份证号11010519491231002X保本保收益';

function filesOf(dbPath: string): string[] {
  return [dbPath, `${dbPath}-journal`, `${dbPath}-wal`, `${dbPath}-shm`].filter((f) => fs.existsSync(f));
}

test('nothing readable on disk: messages, indexes and media stay encrypted (db and WAL)', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  const exportFile = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { text: { content: SECRET } }),
    { msgid: 'img1', action: 'send', from: 'zhangwei', tolist: ['wmC'], roomid: '', msgtime: 1700000000000, msgtype: 'image', image: { md5sum: crypto.createHash('md5').update('PLAINMEDIA-BYTES-中文').digest('hex'), filesize: 10, sdkfileid: 'x' } },
  ]);
  const mediaDir = path.join(dir, 'media');
  fs.mkdirSync(mediaDir);
  fs.writeFileSync(path.join(mediaDir, `${crypto.createHash('md5').update('PLAINMEDIA-BYTES-中文').digest('hex')}.jpg`), 'PLAINMEDIA-BYTES-中文');
  const summary = await importExports(store, { paths: [exportFile], mediaDir });
  assert.equal(summary.imported, 2);
  assert.equal(summary.mediaLinked, 1);
  // while open and after close
  for (const phase of ['open', 'closed']) {
    if (phase === 'closed') store.close();
    const files = filesOf(store.dbPath);
    assert.ok(files.length >= 1);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const needle of ['保本保收益', '11010519491231002X', 'zhangwei', 'PLAINMEDIA', 'CREATE TABLE', 'SQLite format 3']) {
        assert.equal(bytes.includes(Buffer.from(needle)), false, `${needle} readable in ${path.basename(f)} (${phase})`);
      }
    }
  }
  // the keyring holds no data and no key in the clear
  const keyring = fs.readFileSync(keyringPath(store.dbPath), 'utf8');
  const key = revealDataKey(store.dbPath, PASS);
  assert.equal(keyring.includes(key.toString('hex')), false);
  assert.equal(keyring.includes(key.toString('base64')), false);
  assert.equal(keyring.includes('zhangwei'), false);
});

test('an independent SQLCipher reader opens the store with the data key, and nothing without it', (t) => {
  const which = spawnSync('sh', ['-c', 'command -v sqlcipher']);
  if (which.status !== 0) return t.skip('sqlcipher CLI not installed');
  const dir = tmpDir();
  const store = newStore(dir);
  store.db.prepare(`INSERT INTO meta(key, value) VALUES ('probe', ?)`).run(SECRET);
  store.close();
  const key = revealDataKey(store.dbPath, PASS).toString('hex');
  const run = (k: string) =>
    spawnSync('sqlcipher', [store.dbPath], { input: `PRAGMA key="x'${k}'";\nPRAGMA cipher_page_size=16384;\nSELECT value FROM meta WHERE key='probe';\n`, encoding: 'utf8' });
  const ok = run(key);
  assert.equal(ok.stdout.trim(), SECRET);
  const bad = run('00'.repeat(32));
  assert.ok(!bad.stdout.includes(SECRET));
  assert.match(bad.stderr, /not a database|encrypted/);
});

test('wrong passphrase: exit 3, clear message, the file is not touched', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db, '--json']).code, 0);
  const before = Buffer.concat(filesOf(db).map((f) => fs.readFileSync(f)));
  const r = cli(['stats', '--db', db, '--json'], { WECOM_AUDIT_PASSPHRASE: 'not-the-passphrase' });
  assert.equal(r.code, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /密码错误/);
  assert.match(r.stderr, /Wrong user or passphrase/);
  const after = Buffer.concat(filesOf(db).map((f) => fs.readFileSync(f)));
  assert.ok(before.equals(after), 'store bytes changed after a wrong passphrase');
  assert.equal(cli(['stats', '--db', db, '--json']).code, 0);
});

test('init refuses to overwrite, and a too-short passphrase is a usage error', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db, '--json']).json.created, db);
  const again = cli(['init', '--db', db, '--json']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /拒绝覆盖/);
  const short = cli(['init', '--db', path.join(dir, 't.db')], { WECOM_AUDIT_PASSPHRASE: 'short' });
  assert.equal(short.code, 2);
  assert.equal(fs.existsSync(path.join(dir, 't.db')), false);
});

test('a file that is not a store: exit 3 with or without a keyring, bytes unchanged', () => {
  const dir = tmpDir();
  const junk = path.join(dir, 'junk.db');
  fs.writeFileSync(junk, crypto.randomBytes(65536));
  const before = fs.readFileSync(junk);
  const noKeyring = cli(['stats', '--db', junk, '--json']);
  assert.equal(noKeyring.code, 3);
  assert.match(noKeyring.stderr, /不是本应用的存储库/);
  // a genuine keyring beside foreign bytes: the key unwraps, the file does not decrypt
  const real = path.join(dir, 'real.db');
  assert.equal(cli(['init', '--db', real]).code, 0);
  fs.copyFileSync(keyringPath(real), keyringPath(junk));
  const withKeyring = cli(['stats', '--db', junk, '--json']);
  assert.equal(withKeyring.code, 3);
  assert.match(withKeyring.stderr, /not a store of this app|damaged/);
  assert.ok(fs.readFileSync(junk).equals(before));
  // a plain (unencrypted) SQLite file is not a store either
  const plain = path.join(dir, 'plain.db');
  spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3-multiple-ciphers');const d=new D(${JSON.stringify(plain)});d.exec('create table t(x)');d.close()`], { cwd: ROOT });
  fs.copyFileSync(keyringPath(real), keyringPath(plain));
  assert.equal(cli(['stats', '--db', plain]).code, 3);
});

test('a page edited on disk is detected (per-page HMAC), never silently read', () => {
  const dir = tmpDir();
  const store = newStore(dir);
  const ins = store.db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?)`);
  for (let i = 0; i < 2000; i++) ins.run(`k${i}`, `value ${i} ${SECRET}`);
  store.close();
  const original = fs.readFileSync(store.dbPath);
  const pages = original.length / 16384;
  assert.ok(pages > 4);
  for (const page of [2, Math.floor(pages / 2), pages - 1]) {
    const bytes = Buffer.from(original);
    const offset = page * 16384 + 700;
    bytes[offset] = bytes[offset]! ^ 0x01; // one bit
    fs.writeFileSync(store.dbPath, bytes);
    let verdict: string;
    try {
      const s = openStore(store.dbPath, PASS);
      try {
        verdict = String(s.db.pragma('integrity_check', { simple: true }));
      } finally {
        s.close();
      }
    } catch (e) {
      verdict = (e as Error).message;
    }
    assert.notEqual(verdict, 'ok', `bit flip in page ${page} went unnoticed`);
  }
  fs.writeFileSync(store.dbPath, original);
  const s = openStore(store.dbPath, PASS);
  assert.equal(s.db.pragma('integrity_check', { simple: true }), 'ok');
  s.close();
});

test('the store written by schema 1 opens with the current code and migrates, keeping every message', () => {
  const dir = tmpDir();
  const src = path.join(ROOT, 'test/fixtures/store-v1.db');
  const db = path.join(dir, 'old.db');
  fs.copyFileSync(src, db);
  fs.copyFileSync(`${src}.keyring`, `${db}.keyring`);
  const store = openStore(db, 'fixture-passphrase');
  try {
    assert.equal(store.migratedFrom, 1);
    assert.equal(store.schemaVersion, LATEST_VERSION);
    assert.equal(store.db.pragma('user_version', { simple: true }), LATEST_VERSION);
    assert.equal(store.db.prepare('SELECT count(*) FROM messages').pluck().get(), 3);
    assert.equal(store.db.prepare(`SELECT text FROM messages WHERE msgid = 'v1-a'`).pluck().get(), '这款产品保本保收益');
    // migration 2 backfilled the recall link and the consent from the stored raw records
    assert.equal(store.db.prepare('SELECT pre_msgid FROM recalls').pluck().get(), 'v1-a');
    assert.deepEqual(store.db.prepare('SELECT contact, status FROM consents').get(), { contact: 'wmC1', status: 'agree' });
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }
  // and it keeps working: a re-open does not migrate again
  const again = openStore(db, 'fixture-passphrase');
  assert.equal(again.migratedFrom, LATEST_VERSION);
  again.close();
});

test('schema 12: schedules and runs written by schema 11 are kept, none of them deleted', () => {
  const db = new Database(':memory:');
  try {
    migrate(db, 11);
    db.prepare(`INSERT INTO schedules(id, name, kind, cron, params, created_by, created_at, created_role) VALUES (1, '日报', 'report', '0 7 * * *', '{}', 'admin', 1, 'admin')`).run();
    db.prepare('INSERT INTO schedule_runs(schedule_id, started_at, ok) VALUES (1, 2, 1)').run();
    assert.deepEqual(migrate(db), { from: 11, to: LATEST_VERSION });
    assert.deepEqual(db.prepare('SELECT name, deleted_at, deleted_by FROM schedules').get(), { name: '日报', deleted_at: null, deleted_by: '' });
    assert.equal(db.prepare('SELECT count(*) FROM schedule_runs WHERE schedule_id = 1').pluck().get(), 1);
  } finally {
    db.close();
  }
});

test('reopen keeps data; the data key is random per store', () => {
  const a = newStore();
  a.db.prepare(`INSERT INTO meta(key, value) VALUES ('x', 'y')`).run();
  const a2 = reopen(a);
  assert.equal(a2.db.prepare(`SELECT value FROM meta WHERE key = 'x'`).pluck().get(), 'y');
  a2.close();
  const b = newStore();
  b.close();
  assert.notEqual(revealDataKey(a.dbPath, PASS).toString('hex'), revealDataKey(b.dbPath, PASS).toString('hex'));
});
