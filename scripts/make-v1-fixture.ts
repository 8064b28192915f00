/**
 * Writes test/fixtures/store-v1.db(+.keyring): a store at schema version 1, holding messages
 * as the first importer wrote them (a revoke and an agree among them, whose links migration 2
 * must backfill). Run once and commit the output; the tests open it with the current code.
 *   node --import tsx scripts/make-v1-fixture.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStore } from '../main/core/store/index.js';

const dir = path.resolve(import.meta.dirname, '../test/fixtures');
const db = path.join(dir, 'store-v1.db');
for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.keyring`]) fs.rmSync(f, { force: true });
const store = createStore(db, 'fixture-passphrase', { targetVersion: 1, kdf: { N: 1 << 12, r: 8, p: 1 } });
const records = [
  { msgid: 'v1-a', action: 'send', from: 'zhangwei', tolist: ['wmC1'], roomid: '', msgtime: 1700000000000, msgtype: 'text', text: { content: '这款产品保本保收益' } },
  { msgid: 'v1-b', action: 'recall', from: 'zhangwei', tolist: ['wmC1'], roomid: '', msgtime: 1700000060000, msgtype: 'revoke', revoke: { pre_msgid: 'v1-a' } },
  { msgid: 'v1-c', action: 'send', from: 'wmC1', tolist: ['zhangwei'], roomid: '', msgtime: 1700000120000, msgtype: 'agree', agree: { userid: 'wmC1', agree_time: 1700000120000 } },
];
const conv = store.db.prepare(`INSERT INTO conversations(kind, key, roomid, party_a, party_b, first_time, last_time, message_count) VALUES ('single', 'single:wmC1|zhangwei', '', 'wmC1', 'zhangwei', 1700000000000, 1700000120000, 3)`).run().lastInsertRowid;
const ins = store.db.prepare(`INSERT INTO messages(msgid, seq, action, sender, tolist, roomid, msgtime, msgtype, conversation_id, text, raw) VALUES (?, NULL, ?, ?, ?, '', ?, ?, ?, ?, ?)`);
for (const r of records) ins.run(r.msgid, r.action, r.from, JSON.stringify(r.tolist), r.msgtime, r.msgtype, conv, r.msgtype === 'text' ? '这款产品保本保收益' : '', JSON.stringify(r));
store.db.pragma('journal_mode = DELETE');
store.close();
console.log(`wrote ${db}`);
