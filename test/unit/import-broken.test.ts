/**
 * Broken input and hostile conditions, on the real encrypted store and the real CLI: truncated
 * gzip, bad lines, wrong field types, oversized lines, files that vanish or shrink while being
 * read, files that are not exports, missing paths, conflicting msgids, a full disk, files that
 * are not stores, a wrong passphrase. Whatever breaks, what can be imported is, what cannot is
 * reported with file, line and reason, and the store stays whole.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { CoreError } from '../../main/core/api/errors.js';
import { importExports } from '../../main/core/import/importer.js';
import { keyringPath, openStore, type Db, type Store } from '../../main/core/store/index.js';
import { cli, newStore, PASS, SAMPLES, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

type Obj = Record<string, any>;

const count = (db: Db, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const msgids = (db: Db) => db.prepare('SELECT msgid FROM messages ORDER BY id').pluck().all() as string[];
const quarantine = (db: Db) => db.prepare('SELECT file, line, reason, kind FROM quarantine ORDER BY file, line').all() as Obj[];

async function withStore<T>(dir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = newStore(dir);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

function initCli(dir: string, name = 'cli.db'): string {
  const db = path.join(dir, name);
  const r = cli(['init', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return db;
}

/** Every byte of a store and its keyring, to prove a command left them alone. */
/** The store's files, byte for byte; of the keyring, everything but its wrong-password counter (which a failed unlock must update). */
function fingerprint(db: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(path.dirname(db)).sort()) {
    if (!f.startsWith(path.basename(db))) continue;
    let bytes = fs.readFileSync(path.join(path.dirname(db), f));
    if (f.endsWith('.keyring')) {
      const { failures: _counted, ...rest } = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      bytes = Buffer.from(JSON.stringify(rest));
    }
    out[f] = crypto.createHash('sha256').update(bytes).digest('hex');
  }
  return out;
}

/** n text messages with some bulk, one a line. */
function bulkLines(n: number, prefix: string, pad = 40): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(textMsg(i, { msgid: `${prefix}${i}`, tolist: [`wmC${i % 37}`], text: { content: `第${i}条：您好，这款理财产品业绩比较基准年化3.2%，${'详情请见产品说明书'.repeat(pad)}` } })),
  );
}

// ------------------------------------------------------------------ truncated input

test('truncated gzip (the bundled envelope cut in half): the records before the cut are imported, the file error names the truncation', async () => {
  const dir = tmpDir();
  const gz = fs.readFileSync(path.join(SAMPLES, 'exports', 'page3.json.gz'));
  const cut = path.join(dir, 'page3-cut.json.gz');
  fs.writeFileSync(cut, gz.subarray(0, gz.length >> 1));
  const order = [...zlib.gunzipSync(gz).toString('utf8').matchAll(/^\{"seq":\d+,"msgid":"([^"]+)"/gm)].map((m) => m[1]!);
  assert.ok(order.length > 20);
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [cut] });
    assert.ok(s.imported > 0, 'records before the cut imported');
    assert.ok(s.imported < order.length, 'records after the cut are not there');
    assert.deepEqual(msgids(store.db), order.slice(0, s.imported), 'exactly the records before the cut, in order');
    assert.equal(s.fileErrors.length, 1);
    assert.equal(s.fileErrors[0]!.file, cut);
    assert.match(s.fileErrors[0]!.reason, /截断/);
    assert.match(s.fileErrors[0]!.reason, /truncated/);
    const q = quarantine(store.db);
    assert.ok(q.some((x) => x.file === cut && x.kind === 'file' && /truncated/.test(x.reason)), 'the file problem is kept in the quarantine list');
    assert.equal(store.db.prepare('SELECT status FROM import_files WHERE path = ?').pluck().get(cut), 'failed');
  });
});

test('truncated gzip of a multi-MiB JSON Lines export: a prefix imported; the CLI exits 1 and names the file on stderr', async () => {
  const dir = tmpDir();
  const lines = bulkLines(12_000, 'gz');
  const full = zlib.gzipSync(lines.join('\n') + '\n');
  const cut = path.join(dir, 'big-cut.jsonl.gz');
  fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [cut] });
    assert.ok(s.imported > 1000 && s.imported < 12_000, `imported ${s.imported}`);
    assert.deepEqual(msgids(store.db), lines.slice(0, s.imported).map((l) => (JSON.parse(l) as Obj).msgid));
    assert.equal(s.fileErrors.length, 1);
    assert.equal(s.fileErrors[0]!.file, cut);
    assert.match(s.fileErrors[0]!.reason, /truncated/);
    assert.equal(s.quarantined, 0, 'the half line at the cut is not quarantined as a bad record: the file error covers it');
  });
  const db = initCli(dir);
  const r = cli(['import', '--db', db, cut, '--json']);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(cut), `stderr names the file: ${r.stderr}`);
  assert.match(r.stderr, /截断|truncated/);
  assert.ok(r.json, 'still one JSON document on stdout');
  assert.ok(r.json.imported > 1000);
  assert.equal(r.json.fileErrors?.[0]?.file, cut);
});

test('a pretty JSON array cut in the middle of a record: earlier records imported, the cut record reported with its line', async () => {
  const dir = tmpDir();
  const recs = Array.from({ length: 10 }, (_, i) => textMsg(i));
  const text = JSON.stringify(recs, null, 2);
  const at = text.indexOf('"m7"') + 2;
  const file = path.join(dir, 'cut.json');
  fs.writeFileSync(file, text.slice(0, at));
  const cutLine = text.slice(0, text.lastIndexOf('{', at)).split('\n').length;
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [file] });
    assert.deepEqual(msgids(store.db), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const reported = [...quarantine(store.db).map((q) => ({ line: q.line, reason: q.reason })), ...s.fileErrors.map((f) => ({ line: f.line, reason: f.reason }))];
    assert.ok(reported.some((x) => x.line === cutLine && /truncated|截断/.test(x.reason)), `the cut at line ${cutLine} reported: ${JSON.stringify(reported)}`);
  });
});

// ------------------------------------------------------------------ bad records

test('an invalid JSON line is quarantined with file, line and reason; the rest is imported (core and CLI)', async () => {
  const dir = tmpDir();
  const file = writeJsonl(path.join(dir, 'bad-json.jsonl'), [textMsg(1), textMsg(2), '{"msgid":"m3","action":"send","from":"zhangwei",,}', textMsg(4), '{"msgid":"m5","text":{"content":"没写完', textMsg(6)]);
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [file] });
    assert.equal(s.read, 6);
    assert.equal(s.imported, 4);
    assert.equal(s.quarantined, 2);
    assert.deepEqual(msgids(store.db), ['m1', 'm2', 'm4', 'm6']);
    const q = quarantine(store.db);
    assert.deepEqual(q.map((x) => [x.file, x.line]), [[file, 3], [file, 5]]);
    for (const x of q) assert.match(x.reason, /JSON 格式错误.*invalid JSON/);
  });
  const db = initCli(dir);
  const r = cli(['import', '--db', db, file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.imported, 4);
  assert.equal(r.json.quarantined, 2);
  const q = cli(['quarantine', '--db', db, '--json']);
  assert.deepEqual(q.json.map((x: Obj) => [x.file, x.line]), [[file, 3], [file, 5]]);
  assert.ok(q.json.every((x: Obj) => /invalid JSON/.test(x.reason)));
});

test('JSON that is not a message (an object without msgid, arrays, scalars) is quarantined', async () => {
  const dir = tmpDir();
  const lines = writeJsonl(path.join(dir, 'not-messages.jsonl'), [
    textMsg(1),
    { action: 'send', from: 'zhangwei', tolist: ['wmC'], msgtime: 1700000000000, msgtype: 'text', text: { content: '没有 msgid' } },
    '[1,2,3]',
    '"just a string"',
    'null',
    { errcode: 0, errmsg: 'ok' },
    textMsg(2),
  ]);
  // a whole file that is a JSON array of numbers
  const numbers = path.join(dir, 'numbers.json');
  fs.writeFileSync(numbers, '[\n  1,\n  2,\n  3\n]\n');
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [lines, numbers] });
    assert.deepEqual(msgids(store.db), ['m1', 'm2']);
    assert.equal(s.quarantined, 8);
    const q = quarantine(store.db);
    const of = (f: string) => q.filter((x) => x.file === f).map((x) => [x.line, x.reason]);
    const l = of(lines);
    assert.deepEqual(l.map((x) => x[0]), [2, 3, 4, 5, 6]);
    assert.match(String(l[0]![1]), /msgid is missing/);
    for (const [, reason] of l.slice(1, 4)) assert.match(String(reason), /not a message/);
    assert.match(String(l[4]![1]), /msgid is missing/);
    const n = of(numbers);
    assert.deepEqual(n.map((x) => x[0]), [2, 3, 4], 'each number quarantined at its own line');
    for (const [, reason] of n) assert.match(String(reason), /not a message/);
  });
});

test('wrong field types are quarantined with a reason naming the field', async () => {
  const dir = tmpDir();
  const file = writeJsonl(path.join(dir, 'types.jsonl'), [
    textMsg(1, { msgtime: 'abc' }),
    textMsg(2, { tolist: 'zhangwei' }),
    textMsg(3, { from: 12345 }),
    textMsg(4, { roomid: 7 }),
    textMsg(5, { msgtype: 42 }),
    textMsg(6, { tolist: ['wmC', 5] }),
    textMsg(7, { msgtime: '2026-03-05 10:45:00' }),
    textMsg(8, { msgid: { id: 1 } }),
    textMsg(9, { action: 'delete' }),
    textMsg(10),
    textMsg(11, { msgtime: '1700000011000' }), // digits in a string: still milliseconds
  ]);
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [file] });
    assert.deepEqual(msgids(store.db), ['m10', 'm11']);
    assert.equal(store.db.prepare(`SELECT msgtime FROM messages WHERE msgid = 'm11'`).pluck().get(), 1700000011000);
    assert.equal(s.quarantined, 9);
    const reasons = new Map(quarantine(store.db).map((q) => [q.line as number, q.reason as string]));
    const expectField: [number, RegExp][] = [
      [1, /msgtime/],
      [2, /tolist/],
      [3, /\bfrom\b/],
      [4, /roomid/],
      [5, /msgtype/],
      [6, /tolist/],
      [7, /msgtime/],
      [8, /msgid/],
      [9, /action/],
    ];
    for (const [line, field] of expectField) {
      const r = reasons.get(line);
      assert.ok(r, `line ${line} quarantined`);
      assert.match(r, field, `line ${line}: ${r}`);
      assert.match(r, / \/ /, 'bilingual reason');
    }
  });
});

test('two bad records on one line (a minified SDK page) are both kept in the quarantine', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'page.json');
  fs.writeFileSync(file, JSON.stringify({ errcode: 0, errmsg: 'ok', chatdata: [textMsg(1), { foo: 1 }, textMsg(2, { msgtime: 'abc' }), textMsg(3)] }));
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [file] });
    assert.equal(s.imported, 2);
    assert.equal(s.quarantined, 2);
    const q = quarantine(store.db);
    assert.equal(q.length, 2, `both bad records listed: ${JSON.stringify(q)}`);
    assert.ok(q.some((x) => /msgid/.test(x.reason)) && q.some((x) => /msgtime/.test(x.reason)));
  });
});

test('a line bigger than maxRecordBytes is quarantined as too long and the following lines still import (core and CLI)', async () => {
  const dir = tmpDir();
  const huge = JSON.stringify(textMsg(2, { text: { content: '长'.repeat(700_000) } })); // about 2 MiB
  assert.ok(Buffer.byteLength(huge) > 2_000_000);
  const file = writeJsonl(path.join(dir, 'huge.jsonl'), [textMsg(1), huge, textMsg(3), textMsg(4)]);
  // the same with the huge line first, where the reader still has to decide what kind of file this is
  const first = writeJsonl(path.join(dir, 'huge-first.jsonl'), [huge, textMsg(5), textMsg(6)]);
  const LIMIT = 1024 * 1024;
  await withStore(dir, async (store) => {
    const s = await importExports(store, { paths: [file], maxRecordBytes: LIMIT });
    assert.deepEqual(msgids(store.db), ['m1', 'm3', 'm4']);
    assert.equal(s.quarantined, 1);
    assert.deepEqual(s.fileErrors, []);
    const q = quarantine(store.db);
    assert.equal(q.length, 1);
    assert.equal(q[0]!.line, 2);
    assert.match(q[0]!.reason, /too long/);
    assert.match(q[0]!.reason, /过长/);

    const s2 = await importExports(store, { paths: [first], maxRecordBytes: LIMIT });
    assert.equal(s2.imported, 2, 'the lines after a huge first line import');
    assert.deepEqual(s2.fileErrors, []);
    assert.deepEqual(msgids(store.db).slice(3), ['m5', 'm6']);
    const q2 = quarantine(store.db).filter((x) => x.file === first);
    assert.equal(q2.length, 1);
    assert.equal(q2[0]!.line, 1);
    assert.match(q2[0]!.reason, /too long/);
  });
  const db = initCli(dir);
  const r = cli(['import', '--db', db, file, '--max-record-bytes', String(LIMIT), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.imported, 3);
  assert.equal(r.json.quarantined, 1);
  const q = cli(['quarantine', '--db', db, '--json']);
  assert.deepEqual(q.json.map((x: Obj) => x.line), [2]);
  assert.match(q.json[0].reason, /too long/);
});

// ------------------------------------------------------------------ files that change under the importer

test('an export that vanishes midway (second of three deleted before it is opened): its error is reported, the others import', async () => {
  const dir = tmpDir();
  const exp = path.join(dir, 'exports');
  fs.mkdirSync(exp);
  const a = writeJsonl(path.join(exp, 'a.jsonl'), [textMsg(1), textMsg(2)]);
  const b = writeJsonl(path.join(exp, 'b.jsonl'), [textMsg(3), textMsg(4)]);
  const c = writeJsonl(path.join(exp, 'c.jsonl'), [textMsg(5), textMsg(6)]);
  const seen: string[] = [];
  await withStore(dir, async (store) => {
    const s = await importExports(store, {
      paths: [exp],
      beforeFile: (f) => {
        seen.push(f);
        if (f === b) fs.rmSync(f);
      },
    });
    assert.deepEqual(seen, [a, b, c]);
    assert.deepEqual(msgids(store.db), ['m1', 'm2', 'm5', 'm6']);
    assert.equal(s.imported, 4);
    assert.equal(s.fileErrors.length, 1);
    assert.equal(s.fileErrors[0]!.file, b);
    assert.match(s.fileErrors[0]!.reason, /ENOENT/);
    assert.match(s.fileErrors[0]!.reason, /无法打开|cannot open/);
    assert.ok(quarantine(store.db).some((q) => q.file === b && q.kind === 'file'));
  });
});

/** A JSON Lines export of several MiB, and the byte offset where each line starts. */
function bigExport(file: string, n: number): { lines: string[]; starts: number[] } {
  const lines = bulkLines(n, 'big', 30);
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) {
    starts.push(off);
    off += Buffer.byteLength(l) + 1;
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { lines, starts };
}

test('a file truncated mid-line while it is being read: the lines before the cut import, the cut line is reported, nothing half-stored', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'shrinking.jsonl');
  const { lines, starts } = bigExport(file, 12_000); // about 12 MiB, read in 1 MiB chunks
  const keep = 9_000;
  const cutAt = starts[keep]! + 50; // 50 bytes into line keep+1
  let cut = false;
  await withStore(dir, async (store) => {
    const s = await importExports(store, {
      paths: [file],
      onProgress: (p) => {
        if (!cut && p.bytesRead > 0 && p.bytesRead < cutAt) {
          fs.truncateSync(file, cutAt);
          cut = true;
        }
      },
    });
    assert.ok(cut, 'the file was cut while being read');
    assert.equal(s.imported, keep);
    assert.deepEqual(msgids(store.db), lines.slice(0, keep).map((l) => (JSON.parse(l) as Obj).msgid));
    const reported = [...quarantine(store.db).map((q) => ({ line: q.line as number })), ...s.fileErrors.map((f) => ({ line: f.line }))];
    assert.ok(reported.some((x) => x.line === keep + 1), `line ${keep + 1} (cut in half) reported: ${JSON.stringify(reported)}`);
  });
});

test('a file truncated at a line boundary while it is being read: the import reports that the file changed', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'shrinking.jsonl');
  const { starts } = bigExport(file, 12_000);
  const keep = 9_000;
  let cut = false;
  await withStore(dir, async (store) => {
    const s = await importExports(store, {
      paths: [file],
      onProgress: (p) => {
        if (!cut && p.bytesRead > 0 && p.bytesRead < starts[keep]!) {
          fs.truncateSync(file, starts[keep]!);
          cut = true;
        }
      },
    });
    assert.ok(cut);
    assert.equal(s.imported, keep);
    assert.equal(s.fileErrors.length, 1, 'the shrink is reported');
    assert.equal(s.fileErrors[0]!.file, file);
  });
});

// ------------------------------------------------------------------ input rejected as a whole

function emptyStats(db: string): Obj {
  const r = cli(['stats', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return r.json;
}

/** A real PNG (8×8, one colour). */
function pngBytes(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0]);
  const rows = Buffer.concat(Array.from({ length: 8 }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(24, 0x7f)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('a file that is not an export (PNG bytes named .json): rejected; alone it exits 4 and writes nothing', async () => {
  const dir = tmpDir();
  const png = path.join(dir, 'photo.json');
  fs.writeFileSync(png, pngBytes());
  const good = writeJsonl(path.join(dir, 'good.jsonl'), [textMsg(1), textMsg(2)]);

  // core, alone: rejected as a whole, not a row written
  await withStore(dir, async (store) => {
    await assert.rejects(importExports(store, { paths: [png] }), (e: unknown) => {
      assert.ok(e instanceof CoreError);
      assert.equal(e.code, 'rejected');
      assert.match(e.messageZh, /未写入任何数据/);
      assert.match(e.messageEn, /nothing was written/);
      assert.ok(e.message.includes(png), 'names the file');
      return true;
    });
    for (const t of ['messages', 'quarantine', 'import_files', 'conversations']) assert.equal(count(store.db, t), 0, `${t} empty`);
    assert.equal(store.db.prepare(`SELECT count(*) FROM meta WHERE key = 'last_import_at'`).pluck().get(), 0);
  });

  // CLI, alone: exit 4, stats unchanged
  const db = initCli(dir);
  const before = emptyStats(db);
  const r = cli(['import', '--db', db, png, '--json']);
  assert.equal(r.code, 4, r.stderr);
  assert.ok(r.stderr.includes(png), `stderr names the file: ${r.stderr}`);
  assert.deepEqual(emptyStats(db), before);
  const q = cli(['quarantine', '--db', db, '--json']);
  assert.deepEqual(q.json, []);

  // with a good export beside it: the good one imports, the PNG is a file error, exit 1
  const r2 = cli(['import', '--db', db, png, good, '--json']);
  assert.equal(r2.code, 1, r2.stderr);
  assert.equal(r2.json.imported, 2);
  assert.deepEqual(r2.json.fileErrors.map((f: Obj) => f.file), [png]);
  assert.match(r2.json.fileErrors[0].reason, /not a JSON archive export/);
  assert.ok(r2.stderr.includes(png));
});

test('a path that does not exist: exit 4 and nothing written, even beside a good export', async () => {
  const dir = tmpDir();
  const missing = path.join(dir, 'no-such-export.jsonl');
  const good = writeJsonl(path.join(dir, 'good.jsonl'), [textMsg(1)]);
  await withStore(dir, async (store) => {
    await assert.rejects(importExports(store, { paths: [good, missing] }), (e: unknown) => e instanceof CoreError && e.code === 'rejected' && e.message.includes(missing));
    assert.equal(count(store.db, 'messages'), 0);
    assert.equal(count(store.db, 'import_files'), 0);
  });
  const db = initCli(dir);
  const before = emptyStats(db);
  const r = cli(['import', '--db', db, missing, '--json']);
  assert.equal(r.code, 4, r.stderr);
  assert.ok(r.stderr.includes(missing));
  const r2 = cli(['import', '--db', db, good, missing, '--json']);
  assert.equal(r2.code, 4, r2.stderr);
  assert.deepEqual(emptyStats(db), before);
  // an empty folder, or one with no export files in it, is rejected too
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  fs.writeFileSync(path.join(empty, 'notes.txt'), '不是导出文件');
  assert.equal(cli(['import', '--db', db, empty, '--json']).code, 4);
  assert.deepEqual(emptyStats(db), before);
});

// ------------------------------------------------------------------ conflicts

test('the same msgid with different content is quarantined with a clear reason and the stored message is unchanged', async () => {
  const dir = tmpDir();
  const first = writeJsonl(path.join(dir, 'first.jsonl'), [textMsg(1, { text: { content: '原始内容：年化3.2%，不保本' } }), textMsg(2)]);
  const second = writeJsonl(path.join(dir, 'second.jsonl'), [textMsg(3), textMsg(1, { text: { content: '篡改后的内容：保本保收益' } }), textMsg(2)]);
  await withStore(dir, async (store) => {
    await importExports(store, { paths: [first] });
    const before = store.db.prepare(`SELECT * FROM messages WHERE msgid = 'm1'`).get() as Obj;
    const s = await importExports(store, { paths: [second] });
    assert.equal(s.imported, 1);
    assert.equal(s.duplicates, 1, 'm2 is an exact duplicate');
    assert.equal(s.quarantined, 1);
    const after = store.db.prepare(`SELECT * FROM messages WHERE msgid = 'm1'`).get() as Obj;
    assert.deepEqual(after, before, 'the stored message is untouched');
    assert.match(after.text, /原始内容/);
    const q = quarantine(store.db);
    assert.equal(q.length, 1);
    assert.equal(q[0]!.file, second);
    assert.equal(q[0]!.line, 2);
    assert.match(q[0]!.reason, /msgid/);
    assert.match(q[0]!.reason, /different content/);
    assert.match(q[0]!.reason, /内容不同/);
    // the conflicting record is kept for review
    const excerpt = store.db.prepare('SELECT excerpt FROM quarantine').pluck().get() as string;
    assert.match(excerpt, /篡改后的内容/);
    // and it stays reported when the same file is imported again
    await importExports(store, { paths: [second] });
    assert.equal(quarantine(store.db).length, 1);
    assert.deepEqual(store.db.prepare(`SELECT * FROM messages WHERE msgid = 'm1'`).get(), before);
  });
});

// ------------------------------------------------------------------ full disk

test('a full disk midway: disk_full with a bilingual message, the store opens, passes integrity_check, holds whole batches, and a rerun completes', async () => {
  const dir = tmpDir();
  const exp = path.join(dir, 'exports');
  fs.mkdirSync(exp);
  const BATCH = 50;
  const FILES = 30;
  // one batch per file: each file holds exactly BATCH records, well under one read chunk
  for (let f = 0; f < FILES; f++) {
    writeJsonl(
      path.join(exp, `part-${String(f).padStart(2, '0')}.jsonl`),
      bulkLines(BATCH, `f${f}-`, 30).map((l) => JSON.parse(l) as Obj),
    );
  }
  const total = FILES * BATCH;
  // calibrate on a scratch store: how many pages the whole import takes, whatever the schema
  const scratch = newStore(tmpDir());
  const emptyPages = scratch.db.pragma('page_count', { simple: true }) as number;
  await importExports(scratch, { paths: [exp], batchSize: BATCH });
  const fullPages = scratch.db.pragma('page_count', { simple: true }) as number;
  scratch.close();
  assert.ok(fullPages - emptyPages > 20, `the import needs pages: ${emptyPages} → ${fullPages}`);

  const created = newStore(dir);
  const dbPath = created.dbPath;
  const pages = created.db.pragma('page_count', { simple: true }) as number;
  created.close();

  // room for about half of it
  const limited = openStore(dbPath, PASS, 'admin', { maxPageCount: pages + Math.floor((fullPages - emptyPages) / 2) });
  let err: unknown;
  try {
    await importExports(limited, { paths: [exp], batchSize: BATCH });
  } catch (e) {
    err = e;
  } finally {
    limited.close();
  }
  assert.ok(err instanceof CoreError, `a CoreError, got ${err}`);
  assert.equal(err.code, 'disk_full');
  assert.match(err.messageZh, /磁盘已满/);
  assert.match(err.messageEn, /[Dd]isk full/);

  const store = openStore(dbPath, PASS);
  try {
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(store.db.pragma('foreign_key_check'), []);
    const n = count(store.db, 'messages');
    assert.ok(n > 0 && n < total, `failed midway: ${n} of ${total}`);
    assert.equal(n % BATCH, 0, `only whole batches: ${n}`);
    assert.equal(store.db.prepare('SELECT coalesce(sum(message_count), 0) FROM conversations').pluck().get(), n, 'conversation counts match the rows');
    assert.equal(store.db.prepare('SELECT coalesce(sum(records), 0) FROM import_files').pluck().get(), n, 'file counts match the rows');

    const s = await importExports(store, { paths: [exp], batchSize: BATCH });
    assert.equal(s.imported, total - n);
    assert.equal(s.duplicates, n);
    assert.equal(s.quarantined, 0);
    assert.equal(count(store.db, 'messages'), total);
    assert.equal(store.db.prepare('SELECT count(DISTINCT msgid) FROM messages').pluck().get(), total);
    assert.equal(store.db.prepare('SELECT sum(message_count) FROM conversations').pluck().get(), total);
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }
});

// ------------------------------------------------------------------ not a store, wrong passphrase

test('a file that is not a store (random bytes, with or without a keyring; a plain SQLite file): exit 3, bytes unchanged', () => {
  const dir = tmpDir();
  const exp = writeJsonl(path.join(dir, 'e.jsonl'), [textMsg(1)]);
  const real = newStore(tmpDir());
  const realKeyring = fs.readFileSync(keyringPath(real.dbPath));
  real.close();

  const cases: [string, (db: string) => void][] = [
    ['random bytes, no keyring', (db) => fs.writeFileSync(db, crypto.randomBytes(64 * 1024))],
    [
      'random bytes with a valid keyring',
      (db) => {
        fs.writeFileSync(db, crypto.randomBytes(64 * 1024));
        fs.writeFileSync(keyringPath(db), realKeyring);
      },
    ],
    [
      'a plain SQLite database with a valid keyring',
      (db) => {
        const plain = new Database(db);
        plain.exec(`CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('store_id', 'x');`);
        plain.close();
        fs.writeFileSync(keyringPath(db), realKeyring);
      },
    ],
  ];
  cases.forEach(([label, make], i) => {
    const sub = path.join(dir, `case${i}`);
    fs.mkdirSync(sub);
    const db = path.join(sub, 'store.db');
    make(db);
    const before = fingerprint(db);
    for (const args of [['import', '--db', db, exp, '--json'], ['stats', '--db', db, '--json'], ['messages', '--db', db, '--json']]) {
      const r = cli(args);
      assert.equal(r.code, 3, `${label}: ${args[0]} exits 3 (${r.stderr})`);
      assert.ok(r.stderr.trim().length > 0, 'says why on stderr');
      assert.deepEqual(fingerprint(db), before, `${label}: ${args[0]} left every byte alone`);
    }
    assert.deepEqual(fs.readdirSync(sub).sort(), Object.keys(before).sort(), `${label}: no side files`);
  });
});

test('a wrong passphrase: exit 3 and the store file bytes are unchanged', () => {
  const dir = tmpDir();
  const db = initCli(dir);
  const exp = writeJsonl(path.join(dir, 'e.jsonl'), [textMsg(1)]);
  assert.equal(cli(['import', '--db', db, exp, '--json']).code, 0);
  const before = fingerprint(db);
  for (const args of [['import', '--db', db, exp, '--json'], ['stats', '--db', db, '--json'], ['quarantine', '--db', db, '--json']]) {
    const r = cli(args, { WECOM_AUDIT_PASSPHRASE: 'not-the-passphrase' });
    assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /口令|密码/);
    assert.match(r.stderr, /passphrase/i);
    assert.deepEqual(fingerprint(db), before, `${args[0]} left the store alone`);
  }
  // an unknown user with the right passphrase gets the same answer
  const r = cli(['stats', '--db', db, '--json', '--user', 'nobody']);
  assert.equal(r.code, 3);
  assert.deepEqual(fingerprint(db), before);
  // and the right passphrase still opens it, with the message there
  const ok = cli(['stats', '--db', db, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.json.messages, 1);
});
