import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cli, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

function setup() {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { msgtime: Date.parse('2026-03-01T09:00:00+08:00') }),
    textMsg(2, { msgtime: Date.parse('2026-03-02T09:00:00+08:00'), from: 'wmCustomer0001', tolist: ['zhangwei'] }),
    textMsg(3, { msgtime: Date.parse('2026-03-03T09:00:00+08:00'), roomid: 'wrRoom1', tolist: ['a', 'b'] }),
    textMsg(4, { msgtime: 0 }),
    '{"msgid": 5, "from": "zhangwei", "msgtime": "later", "msgtype": "text"}',
  ]);
  assert.equal(cli(['init', '--db', db]).code, 0);
  return { dir, db, file };
}

test('import --json prints exactly one JSON document with the contract fields', () => {
  const { db, file } = setup();
  const r = cli(['import', '--db', db, file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  for (const k of ['read', 'imported', 'duplicates', 'quarantined', 'mediaLinked', 'mediaMissing', 'byType']) assert.ok(k in r.json, k);
  assert.deepEqual([r.json.read, r.json.imported, r.json.duplicates, r.json.quarantined], [5, 4, 0, 1]);
  assert.deepEqual(r.json.byType, { text: 4 });
  assert.match(r.stderr, /importing/); // progress goes to stderr
  const q = cli(['quarantine', '--db', db, '--json']);
  assert.equal(q.code, 0);
  assert.equal(q.json.length, 1);
  assert.deepEqual(Object.keys(q.json[0]).sort(), ['file', 'line', 'reason']);
  assert.equal(q.json[0].file, file);
  assert.equal(q.json[0].line, 5);
  assert.match(q.json[0].reason, /msgtime/);
});

test('stats and messages: counts, time order, filters, unknown time last', () => {
  const { db, file } = setup();
  cli(['import', '--db', db, file]);
  const st = cli(['stats', '--db', db, '--json']);
  assert.deepEqual({ ...st.json, media: undefined }, { messages: 4, conversations: 2, staff: 0, contacts: 0, byType: { text: 4 }, quarantined: 1, media: undefined });
  const all = cli(['messages', '--db', db, '--json']);
  assert.deepEqual(all.json.map((m: any) => m.msgid), ['m1', 'm2', 'm3', 'm4']);
  assert.equal(all.json[3].msgtime, 0); // kept, time unknown
  for (const k of ['msgid', 'msgtime', 'from', 'msgtype', 'text']) assert.ok(k in all.json[0]);
  const ranged = cli(['messages', '--db', db, '--from', '2026-03-02', '--to', '2026-03-03', '--json']);
  assert.deepEqual(ranged.json.map((m: any) => m.msgid), ['m2']);
  const conv = all.json[0].conversation;
  const byConv = cli(['messages', '--db', db, '--conversation', String(conv), '--json']);
  assert.deepEqual(byConv.json.map((m: any) => m.msgid), ['m1', 'm2', 'm4']); // one-to-one, both directions; unknown time last
  const limited = cli(['messages', '--db', db, '--limit', '1', '--json']);
  assert.equal(limited.json.length, 1);
  const human = cli(['messages', '--db', db]);
  assert.match(human.stdout, /2026-03-01 09:00:00/); // Beijing time for a person
});

test('usage errors exit 2; the passphrase is never an argument', () => {
  const { db, file } = setup();
  assert.equal(cli(['frobnicate']).code, 2);
  assert.equal(cli(['stats', '--db', db, '--bogus']).code, 2);
  assert.equal(cli(['import', '--db', db]).code, 2);
  assert.equal(cli(['import', '--db', db, file, '--passphrase', 'x']).code, 2);
  assert.equal(cli(['messages', '--db', db, '--limit', 'many']).code, 2);
  assert.equal(cli(['messages', '--db', db, '--from', 'yesterday-ish']).code, 2);
  const noPass = cli(['stats', '--db', db], { WECOM_AUDIT_PASSPHRASE: '' });
  assert.equal(noPass.code, 2);
  assert.match(noPass.stderr, /WECOM_AUDIT_PASSPHRASE/);
});

test('input rejected as a whole: exit 4 and nothing written', () => {
  const { dir, db } = setup();
  const r = cli(['import', '--db', db, path.join(dir, 'nope.jsonl'), '--json']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /找不到/);
  assert.match(r.stderr, /not found/);
  assert.equal(cli(['stats', '--db', db, '--json']).json.messages, 0);
});
