/**
 * Real archives must never break the import (issue 12), on the real encrypted store and the
 * real CLI: hundreds of messages in one millisecond (which once hung the indexer: its time key
 * passed 2^53 and `key++` stopped changing it), and hostile records beside good ones: built-in
 * JavaScript names as msgtypes, times no clock can hold, numbers beyond 64 bits, wrong shapes,
 * half surrogate pairs, deep nesting, a media file over 2 GiB. Each bad record is quarantined with
 * its line and a bilingual reason; the good ones import, are indexed, scanned and found.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { CoreError } from '../../main/core/api/errors.js';
import { MAX_MSGTIME } from '../../main/core/archive/msgtime.js';
import { importExports } from '../../main/core/import/importer.js';
import { indexPending, msKey, SLOTS_PER_MS } from '../../main/core/search/indexer.js';
import { search } from '../../main/core/search/search.js';
import { migrate } from '../../main/core/store/migrations.js';
import { openStore, type Db } from '../../main/core/store/index.js';
import { newStore, PASS, ROOT, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

type Obj = Record<string, any>;

/** The real CLI, with a generous deadline so a hang fails this test instead of stalling the suite. */
function run(args: string[], input = ''): { code: number; stdout: string; stderr: string; json: any } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS },
    input,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.signal, null, `wecom-audit ${args[0]} did not finish (stopped by ${r.signal}): it hung`);
  let json: any;
  try {
    json = args.includes('--json') ? JSON.parse(r.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

function initStore(dir: string): string {
  const db = path.join(dir, 'cli.db');
  const r = run(['init', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return db;
}

const T = 1_767_225_600_123; // 2026-01-01 00:00:00.123 UTC: msgtime · 2^20 is far past 2^53

/** `n` text messages all at millisecond `t`, each with its own tag word and a shared one. */
function sameMillisecond(prefix: string, n: number, t = T): Obj[] {
  return Array.from({ length: n }, (_, i) => textMsg(i, { msgid: `${prefix}${i}`, msgtime: t, text: { content: `同一毫秒 ${prefix}标签${i}号 保本理财` } }));
}

const countOf = (db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;

/** Every search answer a time filter can give around T, against a plain count of the messages table. */
function assertTimeFiltersExact(db: Db, q: string) {
  const truth = (from?: number, to?: number) =>
    countOf(db, `SELECT count(*) FROM messages WHERE text LIKE ? AND (? IS NULL OR msgtime >= ?) AND (? IS NULL OR msgtime < ?)`, `%${q}%`, from ?? null, from ?? null, to ?? null, to ?? null);
  for (const [from, to] of [
    [T, T + 1],
    [T, undefined],
    [undefined, T],
    [T + 1, undefined],
    [undefined, T + 1],
    [T - 1, T],
    [T - 1, T + 2],
    [T + 1, T + 2],
    [0, MAX_MSGTIME],
    [-5, 10 ** 20],
  ] as [number | undefined, number | undefined][]) {
    const r = search(db, { q, ...(from !== undefined && { from }), ...(to !== undefined && { to }) });
    assert.equal(r.total, truth(from, to), `${q} from ${from} to ${to}`);
  }
}

// ------------------------------------------------------------------ one millisecond

test('400 messages in one millisecond of one file: imported, indexed (no hang), every one found, newest first, time filters exact at that millisecond', () => {
  const dir = tmpDir();
  const db = initStore(dir);
  const file = writeJsonl(path.join(dir, 'burst.jsonl'), [
    textMsg(9001, { msgid: 'before', msgtime: T - 1, text: { content: '前一毫秒 保本理财' } }),
    ...sameMillisecond('s', 400),
    textMsg(9002, { msgid: 'after', msgtime: T + 1, text: { content: '后一毫秒 保本理财' } }),
  ]);
  const r = run(['import', '--db', db, file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.imported, 402);
  assert.match(r.stderr, /搜索索引 \/ search index: 402/);

  // every message by its own tag, through the CLI (one query a line)
  const lines = run(['search', '--db', db, '--jsonl'], Array.from({ length: 400 }, (_, i) => JSON.stringify({ q: `s标签${i}号` })).join('\n') + '\n');
  assert.equal(lines.code, 0, lines.stderr);
  const totals = lines.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { total: number }).total);
  assert.deepEqual(totals, Array(400).fill(1));
  const all = run(['search', '--db', db, '保本理财', '--json']);
  assert.equal(all.json.total, 402);
  assert.equal(all.json.pendingIndex, 0);
  const inMs = run(['search', '--db', db, '保本理财', '--from', String(T), '--to', String(T + 1), '--json']);
  assert.equal(inMs.json.total, 400, 'exactly the messages of that millisecond');

  const store = openStore(db, PASS);
  try {
    const d = store.db;
    // keys: exact 64-bit integers, one millisecond's slots in id order
    const keys = d.prepare('SELECT d.key FROM search_docs d JOIN messages m ON m.id = d.message_id WHERE m.msgtime = ? ORDER BY m.id').pluck().safeIntegers(true).all(T) as bigint[];
    assert.deepEqual(keys, Array.from({ length: 400 }, (_, i) => msKey(T) + BigInt(i)));
    assert.equal(countOf(d, 'SELECT count(*) FROM search_unkeyed'), 0);
    // newest first: the later millisecond, then that millisecond's messages from the last imported
    assert.deepEqual(search(d, { q: '保本理财', limit: 3 }).results.map((h) => h.msgid), ['after', 's399', 's398']);
    assert.deepEqual(search(d, { q: '保本理财', limit: 3, offset: 399 }).results.map((h) => h.msgid), ['s1', 's0', 'before']);
    for (let i = 0; i < 400; i += 37) assert.deepEqual(search(d, { q: `s标签${i}号` }).results.map((h) => h.msgid), [`s${i}`]);
    assertTimeFiltersExact(d, '保本理财');
    assertTimeFiltersExact(d, '同一毫秒');
  } finally {
    store.close();
  }
});

test('one millisecond across files and across indexing runs: slots continue where the last run stopped, all found, filters exact before and after indexing', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  try {
    const a = writeJsonl(path.join(dir, 'a.jsonl'), sameMillisecond('a', 250));
    const b = writeJsonl(path.join(dir, 'b.jsonl'), sameMillisecond('b', 250));
    const s1 = await importExports(store, { paths: [a, b], batchSize: 90 });
    assert.equal(s1.imported, 500);
    // not indexed yet: scanned, exact all the same
    assert.equal(search(store.db, { q: '保本理财' }).pendingIndex, 500);
    assertTimeFiltersExact(store.db, '保本理财');
    await indexPending(store.db, { batchSize: 170 }); // batches that end inside the millisecond
    const c = writeJsonl(path.join(dir, 'c.jsonl'), [...sameMillisecond('c', 200), textMsg(1, { msgid: 'undated', msgtime: 0, text: { content: '时间未知 保本理财' } })]);
    await importExports(store, { paths: [c] });
    await indexPending(store.db, { batchSize: 64 });
    const r = search(store.db, { q: '保本理财', limit: 1000 });
    assert.equal(r.total, 701);
    assert.equal(r.pendingIndex, 0);
    // newest first: the millisecond's messages in reverse import order, the undated one last
    const order = store.db.prepare('SELECT msgid FROM messages WHERE msgtime = ? ORDER BY id DESC').pluck().all(T) as string[];
    assert.deepEqual(r.results.map((h) => h.msgid), [...order, 'undated']);
    const keys = store.db.prepare('SELECT d.key FROM search_docs d JOIN messages m ON m.id = d.message_id WHERE m.msgtime = ? ORDER BY m.id').pluck().safeIntegers(true).all(T) as bigint[];
    assert.deepEqual(keys, Array.from({ length: 700 }, (_, i) => msKey(T) + BigInt(i)), 'consecutive slots over three files and many batches');
    for (const tag of ['a标签0号', 'a标签249号', 'b标签0号', 'b标签249号', 'c标签199号']) assert.equal(search(store.db, { q: tag }).total, 1, tag);
    assertTimeFiltersExact(store.db, '保本理财');
    assert.equal(search(store.db, { q: '时间未知' }).total, 1);
    assert.equal(search(store.db, { q: '时间未知', to: T }).total, 0, 'an undated message is in no time range');
  } finally {
    store.close();
  }
});

test('no key for a time stored before times were checked (1e20, a fraction) or in a full millisecond: listed as unkeyed, scanned, found, filtered exactly', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  try {
    await importExports(store, { paths: [writeJsonl(path.join(dir, 'ok.jsonl'), [textMsg(1, { text: { content: '正常 保本' } })])] });
    // what an older version let into the store
    const ins = store.db.prepare(`INSERT INTO messages(msgid, action, sender, tolist, roomid, msgtime, msgtype, text, raw) VALUES (?, 'send', 'zhangwei', '[]', '', ?, 'text', ?, '{}')`);
    ins.run('legacy-huge', 1e20, '旧数据 保本');
    ins.run('legacy-frac', 1700000000000.5, '旧数据 保本');
    const ix = await indexPending(store.db);
    assert.equal(ix.indexed, 3);
    assert.equal(countOf(store.db, 'SELECT count(*) FROM search_unkeyed'), 2);
    const r = search(store.db, { q: '保本' });
    assert.equal(r.total, 3);
    assert.equal(r.pendingIndex, 0, 'unkeyed messages are not pending: they are scanned for good');
    assert.equal(search(store.db, { q: '旧数据', from: 1700000000000, to: 1700000000001 }).total, 1);
    assert.equal(search(store.db, { q: '旧数据', from: 1700000000001 }).total, 1);
    assert.equal(search(store.db, { q: '旧数据', to: 1700000000001 }).total, 1);

    // a millisecond whose 2^20 slots are taken (its last slot is): the next message there is unkeyed, still found
    store.db.prepare('INSERT INTO search_docs(key, message_id) VALUES (?, 0)').run(msKey(T) + SLOTS_PER_MS - 1n);
    await importExports(store, { paths: [writeJsonl(path.join(dir, 'full.jsonl'), [textMsg(2, { msgid: 'full-ms', msgtime: T, text: { content: '满了 保本' } })])] });
    await indexPending(store.db);
    assert.equal(countOf(store.db, 'SELECT count(*) FROM search_unkeyed'), 3);
    assert.equal(countOf(store.db, 'SELECT count(*) FROM search_docs WHERE key >= ?', msKey(T) + SLOTS_PER_MS), 0, 'no key spilled into the next millisecond');
    assert.deepEqual(search(store.db, { q: '满了', from: T, to: T + 1 }).results.map((h) => h.msgid), ['full-ms']);
    assert.equal(search(store.db, { q: '满了', from: T + 1 }).total, 0);
    assert.equal(search(store.db, { q: '保本' }).total, 4);
  } finally {
    store.close();
  }
});

test('migration 13: an index with the old rounded keys is dropped and rebuilt; the media reason column is added', async () => {
  const db = new Database(':memory:');
  try {
    migrate(db, 12);
    const ins = db.prepare(`INSERT INTO messages(id, msgid, action, sender, tolist, roomid, msgtime, msgtype, text, raw) VALUES (?, ?, 'send', 'a', '[]', '', ?, 'text', ?, '{}')`);
    for (let i = 1; i <= 5; i++) ins.run(i, `m${i}`, T, `旧索引 第${i}条`);
    // the old scheme: msgtime · 2^20 + id mod 2^20 as a double, rounded to a multiple of 256
    for (let i = 1; i <= 5; i++) {
      const key = T * 2 ** 20 + i + i * 256;
      db.prepare('INSERT INTO search_docs(key, message_id) VALUES (?, ?)').run(key, i);
      db.prepare('INSERT INTO search_index(rowid, tokens) VALUES (?, ?)').run(key, 'x');
    }
    db.prepare(`UPDATE meta SET value = '5' WHERE key = 'search_indexed_upto'`).run();
    migrate(db);
    assert.equal(db.prepare(`SELECT value FROM meta WHERE key = 'search_indexed_upto'`).pluck().get(), '0');
    assert.equal(countOf(db, 'SELECT count(*) FROM search_docs'), 0);
    assert.equal(countOf(db, `SELECT count(*) FROM search_index WHERE search_index MATCH 'x'`), 0);
    assert.ok((db.prepare('PRAGMA table_info(message_media)').all() as { name: string }[]).some((c) => c.name === 'reason'));
    assert.equal(search(db, { q: '旧索引' }).total, 5, 'found by scanning until indexed');
    await indexPending(db);
    const r = search(db, { q: '旧索引' });
    assert.equal(r.total, 5);
    assert.equal(r.pendingIndex, 0);
    assert.deepEqual(r.results.map((h) => h.msgid), ['m5', 'm4', 'm3', 'm2', 'm1']);
    assert.equal(search(db, { q: '旧索引', from: T, to: T + 1 }).total, 5);
    assert.equal(search(db, { q: '旧索引', from: T + 1 }).total, 0);
    assert.ok(SLOTS_PER_MS === 1n << 20n);
  } finally {
    db.close();
  }
});

// ------------------------------------------------------------------ hostile records

/** A record's text from fields given as raw JSON text, so numbers are written exactly as an export could. */
function raw(i: number, over: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    msgid: JSON.stringify(`g${i}`),
    action: '"send"',
    from: '"zhangwei"',
    tolist: '["wmCustomer1"]',
    roomid: '""',
    msgtime: String(1_767_225_600_000 + i * 1000),
    msgtype: '"text"',
    text: JSON.stringify({ content: `正常消息 ${i}` }),
  };
  const f = { ...base, ...over };
  return `{${Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** [record text, the English part of its quarantine reason] */
const BAD: [string, RegExp][] = [
  [raw(1, { msgtype: '"constructor"' }), /msgtype "constructor" is a built-in JavaScript object name/],
  [raw(2, { msgtype: '"toString"' }), /msgtype "toString" is a built-in/],
  [raw(3, { msgtype: '"__proto__"' }), /msgtype "__proto__" is a built-in/],
  [raw(4, { msgtype: '"hasOwnProperty"' }), /msgtype "hasOwnProperty" is a built-in/],
  [raw(5, { msgtype: '"valueOf"' }), /msgtype "valueOf" is a built-in/],
  [raw(6, { msgtime: '99999999999999999999' }), /msgtime out of range \(99999999999999999999\)/],
  [raw(7, { msgtime: '8640000000000001' }), /msgtime out of range \(8640000000000001\)/],
  [raw(8, { msgtime: '-8640000000000001' }), /msgtime out of range \(-8640000000000001\)/],
  [raw(9, { msgtime: '-1' }), /msgtime out of range \(-1\)/],
  [raw(10, { msgtime: String(MAX_MSGTIME) }), /msgtime out of range/],
  [raw(11, { msgtime: '1767225600000.5' }), /msgtime is not a whole number of milliseconds \(1767225600000\.5\)/],
  [raw(12, { msgtime: '"NaN"' }), /msgtime must be milliseconds since the epoch \("NaN"\)/],
  [raw(13, { msgtime: '"Infinity"' }), /msgtime must be milliseconds/],
  [raw(14, { msgtime: '"-5"' }), /msgtime must be milliseconds/],
  [raw(15, { msgtime: '1e400' }), /msgtime out of range \(1e400\)/],
  [raw(16, { msgtime: '[1767225600000]' }), /msgtime must be milliseconds since the epoch \(array\)/],
  [raw(17, { msgtime: undefined }), /msgtime is missing/],
  [raw(18, { seq: '1e400' }), /seq must be an integer from 0 to 2\^64−1 \(1e400\)/],
  [raw(19, { seq: '18446744073709551616' }), /seq must be an integer from 0 to 2\^64−1 \(18446744073709551616\)/],
  [raw(20, { seq: '-1' }), /seq must be an integer/],
  [raw(21, { seq: '"12ab"' }), /seq must be an integer/],
  [raw(22, { msgid: '1e400' }), /a numeric msgid must be a non-negative integer \(1e400\)/],
  [raw(23, { msgid: '1.5' }), /a numeric msgid must be a non-negative integer/],
  [raw(24, { msgid: '"  "' }), /msgid is empty/],
  [raw(25, { msgid: '["x"]' }), /msgid must be a string/],
  [raw(26, { msgid: '"bad\\ud800id"' }), /msgid holds an invalid UTF-16 surrogate/],
  [raw(27, { from: '123' }), /from must be a string/],
  [raw(28, { from: '["zhangwei"]' }), /from must be a string/],
  [raw(29, { from: '"zhang\\udc00wei"' }), /from holds an invalid UTF-16 surrogate/],
  [raw(30, { tolist: '{"0":"wmC"}' }), /tolist must be an array of strings/],
  [raw(31, { tolist: '["wmC",[1]]' }), /tolist must be an array of strings/],
  [raw(32, { tolist: '["wm\\ud800"]' }), /tolist holds an invalid UTF-16 surrogate/],
  [raw(33, { roomid: '{"id":"r"}' }), /roomid must be a string/],
  [raw(34, { action: '"constructor"' }), /unknown action: constructor/],
  [raw(35, { action: '{}' }), /action must be a string/],
  [raw(36, { msgtype: '["text"]' }), /msgtype must be a string/],
  [raw(37, { text: '["加我微信"]' }), /the message body text must be a JSON object/],
  [raw(38, { text: '"加我微信"' }), /the message body text must be a JSON object/],
  [raw(39, { text: `{"content":"x","n":${deep(100)}}` }), /nested too deep \(over 64 levels\)/],
  [raw(40, { text: '{"__proto__":{"content":"藏起来的话"},"content":"x"}' }), /holds a key named "__proto__"/],
  [raw(41, { ['__proto__']: '{"msgtype":"image"}' }), /holds a key named "__proto__"/],
  ['[1,2,3]', /not a message: expected a JSON object/],
  ['"just a string"', /not a message: expected a JSON object/],
  ['null', /not a message: expected a JSON object/],
  ['{"msgid":"sw-bad","action":"switch","time":99999999999999999999,"user":"zhangwei"}', /switch record: time out of range/],
  ['{"msgid":"sw-neg","action":"switch","time":-1,"user":"zhangwei"}', /switch record: time out of range/],
];

/** [record text, a check of what was stored] */
const GOOD: [string, (m: Obj, db: Db) => void][] = [
  [raw(100), (m) => assert.equal(m.text, '正常消息 100')],
  [raw(101, { text: '{"content":{"hidden":"加我微信详聊"}}' }), (m) => assert.match(m.text, /加我微信详聊/, 'words in a misshapen field are still scanned')],
  [raw(102, { text: '{"content":"坏\\ud800字"}' }), (m) => assert.equal(m.text, '坏\ufffd字', 'a half surrogate in text is stored as U+FFFD')],
  [raw(103, { seq: '18446744073709551615' }), (m) => assert.equal(m.seq, '18446744073709551615')],
  [raw(104, { msgid: '123456789012345678901234567890' }), (m) => assert.equal(m.msgid, '123456789012345678901234567890')],
  [raw(105, { msgtime: String(MAX_MSGTIME - 1) }), (m) => assert.equal(m.msgtime, MAX_MSGTIME - 1)],
  [raw(106, { msgtime: '0' }), (m) => assert.equal(m.msgtime, null, '0: time unknown')],
  [raw(107).replace('{', '{"seq":5,').replace(/}$/, ',"seq":7}'), (m) => assert.equal(m.seq, '7', 'a key given twice: the last, as JSON.parse reads it')],
  [
    raw(108, { msgtype: '"agree"', text: undefined, agree: '{"userid":"wmCustomer1","agree_time":1e30}' }),
    (m, db) => assert.equal(db.prepare('SELECT at FROM consents WHERE message_id = ?').pluck().get(m.id), m.msgtime, 'an impossible consent time falls back to the message time'),
  ],
  [
    raw(109, { msgtype: '"image"', text: undefined, image: '{"md5sum":"0123456789abcdef0123456789abcdef","filesize":1e300,"sdkfileid":"x"}' }),
    (m, db) => assert.equal(db.prepare('SELECT declared_size FROM message_media WHERE message_id = ?').pluck().get(m.id), null),
  ],
  [raw(110, { msgtype: '"solitaire_2027"', text: undefined, solitaire_2027: '{"title":"接龙：周末加我微信"}' }), (m) => assert.match(m.text, /接龙：周末加我微信/, 'an unknown type is stored, its words kept')],
  [raw(111, { text: `{"content":"浅","n":${deep(60)}}` }), (m) => assert.equal(m.text, '浅')],
];

test('hostile records beside good ones (JSON Lines, real CLI): each bad one quarantined with its line and a bilingual reason, every good one imported, indexed, scanned; exit 0', () => {
  const dir = tmpDir();
  const db = initStore(dir);
  // good and bad interleaved: a good record first, between and last
  const lines: string[] = [];
  const goodLines = new Map<number, number>();
  const badLines = new Map<number, RegExp>();
  const goods = [...GOOD];
  for (const [text, why] of BAD) {
    if (goods.length) {
      lines.push(goods[0]![0]);
      goodLines.set(lines.length, GOOD.length - goods.length);
      goods.shift();
    }
    lines.push(text);
    badLines.set(lines.length, why);
  }
  for (const [text] of goods) {
    lines.push(text);
    goodLines.set(lines.length, GOOD.length - goods.length);
    goods.shift();
  }
  const file = path.join(dir, 'hostile.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');

  const r = run(['import', '--db', db, file, '--json']);
  assert.equal(r.code, 0, `quarantined records are not a failure of the import (cli.md: exit 0): ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /内部错误|internal error/i);
  assert.equal(r.json.read, BAD.length + GOOD.length);
  assert.equal(r.json.imported, GOOD.length);
  assert.equal(r.json.quarantined, BAD.length);
  assert.deepEqual(r.json.fileErrors, []);
  assert.match(r.stderr, /检测 \/ scan: \d+ 条消息/, 'the scan ran over what was imported');

  const q = run(['quarantine', '--db', db, '--json']);
  assert.equal(q.code, 0, q.stderr);
  const byLine = new Map((q.json as { file: string; line: number; reason: string }[]).map((x) => [x.line, x]));
  assert.equal(byLine.size, BAD.length);
  for (const [line, why] of badLines) {
    const e = byLine.get(line);
    assert.ok(e, `line ${line} quarantined: ${lines[line - 1]!.slice(0, 80)}`);
    assert.equal(e.file, file);
    assert.match(e.reason, why, `line ${line}`);
    const [zh, en] = e.reason.split(' / ');
    assert.match(zh ?? '', /[\u4e00-\u9fff]/, `a Chinese reason first: ${e.reason}`);
    assert.match(en ?? '', /[a-z]{3}/, `then an English one: ${e.reason}`);
  }

  const store = openStore(db, PASS);
  try {
    const d = store.db;
    assert.equal(countOf(d, 'SELECT count(*) FROM messages'), GOOD.length);
    for (const [line, k] of goodLines) {
      const m = d.prepare('SELECT * FROM messages WHERE line = ?').get(line) as Obj | undefined;
      assert.ok(m, `good line ${line} imported: ${lines[line - 1]!.slice(0, 80)}`);
      GOOD[k]![1](m, d);
    }
    assert.equal(countOf(d, 'SELECT coalesce(sum(message_count), 0) FROM conversations'), GOOD.length - 0, 'conversation counts match the rows');
    assert.equal(countOf(d, 'SELECT records FROM import_files WHERE path = ?', file), GOOD.length);
    assert.equal(countOf(d, `SELECT count(*) FROM import_files WHERE status = 'done'`), 1);
    assert.equal(search(d, { q: '加我微信详聊' }).total, 1);
    assert.equal(search(d, { q: '藏起来的话' }).total, 0, 'the quarantined record is not in the archive');
    assert.equal(d.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }

  // a second run: the same records, nothing new, the same quarantine
  const again = run(['import', '--db', db, file, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.imported, 0);
  assert.equal(again.json.duplicates, GOOD.length);
  assert.equal(again.json.quarantined, BAD.length);
});

test('hostile records in a minified JSON array (all on line 1): quarantined by line and item, the rest imported', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'page.json');
  const items = [GOOD[0]![0], BAD[0]![0], GOOD[1]![0], BAD[5]![0], BAD[38]![0], GOOD[3]![0]];
  fs.writeFileSync(file, `[${items.join(',')}]`);
  const store = newStore(dir);
  try {
    const s = await importExports(store, { paths: [file] });
    assert.equal(s.imported, 3);
    assert.equal(s.quarantined, 3);
    const q = store.db.prepare('SELECT line, item, reason FROM quarantine ORDER BY item').all() as Obj[];
    assert.deepEqual(q.map((x) => [x.line, x.item]), [[1, 1], [1, 3], [1, 4]]);
    assert.match(q[0]!.reason, BAD[0]![1]);
    assert.match(q[1]!.reason, BAD[5]![1]);
    assert.match(q[2]!.reason, BAD[38]![1]);
  } finally {
    store.close();
  }
});

// ------------------------------------------------------------------ errors while writing a record

test('a record SQLite refuses while writing: that record quarantined with the reason, the batch and the rest of the file imported, counts consistent', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  try {
    // a value the store refuses, as SQLite would for one too big or against a constraint
    store.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.msgid LIKE 'refused%' BEGIN SELECT RAISE(ABORT, 'the store refused this value'); END`);
    const records = Array.from({ length: 60 }, (_, i) => textMsg(i, { msgid: i % 20 === 7 ? `refused${i}` : `ok${i}`, tolist: [`wmC${i % 4}`] }));
    const file = writeJsonl(path.join(dir, 'e.jsonl'), records);
    const s = await importExports(store, { paths: [file], batchSize: 25 });
    assert.equal(s.imported, 57);
    assert.equal(s.quarantined, 3);
    assert.deepEqual(s.fileErrors, []);
    const q = store.db.prepare('SELECT line, reason FROM quarantine ORDER BY line').all() as Obj[];
    assert.deepEqual(q.map((x) => x.line), [8, 28, 48]);
    for (const x of q) assert.match(x.reason, /导入此记录时出错（the store refused this value）.* \/ importing this record failed \(the store refused this value\); quarantined/);
    assert.equal(countOf(store.db, 'SELECT count(*) FROM messages'), 57);
    assert.equal(countOf(store.db, 'SELECT sum(message_count) FROM conversations'), 57, 'conversation counts match the rows');
    assert.equal(countOf(store.db, 'SELECT count(*) FROM conversations'), 4, 'no conversation left from an undone record');
    assert.equal(countOf(store.db, 'SELECT records FROM import_files'), 57);
    assert.equal(countOf(store.db, `SELECT count(*) FROM import_files WHERE status = 'done'`), 1);
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }
});

test('a full disk while records are written one by one still ends the import with disk_full; the batch is rolled back whole', async () => {
  const dir = tmpDir();
  const exp = path.join(dir, 'e.jsonl');
  // one refused record first, so the batch is written record by record; then far more than fits
  writeJsonl(exp, [textMsg(0, { msgid: 'refused0' }), ...Array.from({ length: 400 }, (_, i) => textMsg(i + 1, { text: { content: `第${i}条 ${'理财产品说明'.repeat(200)}` } }))]);
  const created = newStore(dir);
  const pages = created.db.pragma('page_count', { simple: true }) as number;
  const dbPath = created.dbPath;
  created.close();
  const limited = openStore(dbPath, PASS, 'admin', { maxPageCount: pages + 60 });
  let err: unknown;
  try {
    limited.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.msgid LIKE 'refused%' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    await importExports(limited, { paths: [exp], batchSize: 1000 });
  } catch (e) {
    err = e;
  } finally {
    limited.close();
  }
  assert.ok(err instanceof CoreError, `a CoreError, got ${err}`);
  assert.equal(err.code, 'disk_full');
  const store = openStore(dbPath, PASS);
  try {
    assert.equal(countOf(store.db, 'SELECT count(*) FROM messages'), 0, 'the one batch is rolled back whole');
    assert.equal(countOf(store.db, 'SELECT count(*) FROM quarantine'), 0);
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }
});

// ------------------------------------------------------------------ media

test('a media file over 2 GiB (sparse): never read, its message records too_large with the reason, the rest of the file and its media import (real CLI)', () => {
  const dir = tmpDir();
  const db = initStore(dir);
  const media = path.join(dir, 'media');
  fs.mkdirSync(media);
  const bigMd5 = 'b'.repeat(32);
  const big = path.join(media, `${bigMd5}.mp4`);
  fs.closeSync(fs.openSync(big, 'w'));
  fs.truncateSync(big, 2 * 1024 ** 3 + 1); // 2 GiB + 1 byte, no blocks on disk
  const smallBytes = Buffer.from('a small picture');
  const smallMd5 = md5(smallBytes);
  fs.writeFileSync(path.join(media, `${smallMd5}.jpg`), smallBytes);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1),
    { ...textMsg(2, { msgid: 'video-big', msgtype: 'video' }), text: undefined, video: { md5sum: bigMd5, filesize: 2 * 1024 ** 3 + 1, sdkfileid: 'v' } },
    { ...textMsg(3, { msgid: 'image-small', msgtype: 'image' }), text: undefined, image: { md5sum: smallMd5, filesize: smallBytes.length, sdkfileid: 'i' } },
    textMsg(4),
  ]);
  const r = run(['import', '--db', db, file, '--media', media, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.imported, 4);
  assert.equal(r.json.quarantined, 0);
  assert.equal(r.json.mediaLinked, 1);
  assert.equal(r.json.mediaNotStored, 1);
  assert.equal(r.json.mediaMissing, 0);
  assert.ok(fs.statSync(db).size < 64 * 1024 ** 2, 'the 2 GiB file is not in the store');
  const store = openStore(db, PASS);
  try {
    const row = store.db.prepare(`SELECT x.status, x.reason, x.sha256 FROM message_media x JOIN messages m ON m.id = x.message_id WHERE m.msgid = 'video-big'`).get() as Obj;
    assert.equal(row.status, 'too_large');
    assert.equal(row.sha256, null);
    assert.match(row.reason, /媒体文件过大（2147483649 字节，上限 536870912 字节）.* \/ media file too large \(2147483649 bytes, limit 536870912\); not stored/);
    assert.equal(countOf(store.db, 'SELECT count(*) FROM media'), 1);
    assert.equal(countOf(store.db, `SELECT count(*) FROM message_media WHERE status = 'linked'`), 1);
  } finally {
    store.close();
  }
  const st = run(['stats', '--db', db, '--json']);
  assert.deepEqual(st.json.media, { linked: 1, missing: 0, mismatched: 0, notStored: 1 });
});

test('the media limit is an import option; a media file gone after the folder was listed is recorded unreadable, not an abort', async () => {
  const dir = tmpDir();
  const media = path.join(dir, 'media');
  fs.mkdirSync(media);
  const a = Buffer.from('x'.repeat(1000));
  const b = Buffer.from('y'.repeat(10));
  const c = Buffer.from('z'.repeat(20));
  for (const bytes of [a, b, c]) fs.writeFileSync(path.join(media, md5(bytes)), bytes);
  const image = (i: number, bytes: Buffer) => ({ ...textMsg(i, { msgid: `img${i}`, msgtype: 'image' }), text: undefined, image: { md5sum: md5(bytes), sdkfileid: `s${i}` } });
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [image(1, a), image(2, b), image(3, c), textMsg(4)]);
  const store = newStore(dir);
  try {
    const s = await importExports(store, {
      paths: [file],
      mediaDir: media,
      maxMediaBytes: 100,
      beforeFile: () => fs.rmSync(path.join(media, md5(c))), // listed, then gone before it is read
    });
    assert.equal(s.imported, 4);
    assert.deepEqual([s.mediaLinked, s.mediaNotStored, s.mediaMissing], [1, 2, 0]);
    const rows = store.db.prepare(`SELECT m.msgid, x.status, x.reason FROM message_media x JOIN messages m ON m.id = x.message_id ORDER BY m.id`).all() as Obj[];
    assert.deepEqual(rows.map((x) => [x.msgid, x.status]), [['img1', 'too_large'], ['img2', 'linked'], ['img3', 'unreadable']]);
    assert.match(rows[0]!.reason, /1000 bytes, limit 100/);
    assert.equal(rows[1]!.reason, null);
    assert.match(rows[2]!.reason, /媒体文件无法读取（ENOENT）.* \/ the media file cannot be read \(ENOENT\); not stored/);
  } finally {
    store.close();
  }
});

function md5(b: Buffer): string {
  return crypto.createHash('md5').update(b).digest('hex');
}
