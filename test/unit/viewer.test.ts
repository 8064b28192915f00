import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importExports } from '../../main/core/import/importer.js';
import { branchTree, importPeople } from '../../main/core/people/people.js';
import { conversationWindow, listConversations, locateMessage } from '../../main/core/viewer/conversations.js';
import { getMedia } from '../../main/core/viewer/media.js';
import { getSettings, setSettings } from '../../main/core/viewer/settings.js';
import { newStore, SAMPLES, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

async function samplesStore() {
  const store = newStore();
  await importPeople(store.db, path.join(SAMPLES, 'roster/staff.csv'), 'staff');
  await importPeople(store.db, path.join(SAMPLES, 'roster/contacts.csv'), 'contacts');
  await importExports(store, { paths: [path.join(SAMPLES, 'exports')], mediaDir: path.join(SAMPLES, 'media') });
  return store;
}

test('conversation list shows names and branches, filters by branch, staff and contact', async () => {
  const store = await samplesStore();
  const all = listConversations(store.db);
  assert.ok(all.length >= 3);
  const single = all.find((c) => c.kind === 'single' && c.staff?.kind === 'staff' && c.contact)!;
  assert.ok(single, 'a one-to-one chat between staff and a contact');
  assert.notEqual(single.staff!.name, single.staff!.id, 'staff shown by name');
  assert.ok(single.title.includes(single.staff!.name));
  const tree = branchTree(store.db);
  assert.ok(tree.length >= 1 && tree[0]!.subBranches.length >= 1);
  const branch = tree[0]!.subBranches[0]!.name;
  const inBranch = listConversations(store.db, { branch });
  assert.ok(inBranch.length > 0 && inBranch.length <= all.length);
  for (const c of inBranch) if (c.kind === 'single') assert.ok(c.staff?.kind === 'staff' && (c.staff.branch === branch || c.staff.subBranch === branch));
  const byStaff = listConversations(store.db, { staff: single.staff!.id });
  assert.ok(byStaff.some((c) => c.id === single.id));
  const byContact = listConversations(store.db, { contact: single.contact!.id });
  assert.deepEqual(byContact.map((c) => c.kind), byContact.map(() => 'single'));
  assert.ok(byContact.some((c) => c.id === single.id));
  const total = all.reduce((a, c) => a + c.messageCount, 0);
  assert.equal(total, store.db.prepare('SELECT count(*) FROM messages WHERE conversation_id IS NOT NULL').pluck().get());
});

test('windows of a conversation, recall marked with the original text, media readable', async () => {
  const store = await samplesStore();
  const revoke = store.db.prepare(`SELECT msgid FROM messages WHERE msgtype = 'revoke'`).pluck().get() as string;
  const at = locateMessage(store.db, revoke)!;
  const w = conversationWindow(store.db, at.conversation, at.index, 1);
  assert.equal(w.messages[0]!.msgid, revoke);
  const rc = w.messages[0]!.recallOf!;
  assert.ok(rc.found && rc.text && rc.text.length > 0, 'the revoke shows the recalled text');
  const orig = locateMessage(store.db, rc.msgid)!;
  const o = conversationWindow(store.db, orig.conversation, orig.index, 1).messages[0]!;
  assert.equal(o.msgid, rc.msgid);
  assert.equal(o.recalledBy!.msgid, revoke);
  // the whole conversation in windows equals the whole conversation at once
  const whole = conversationWindow(store.db, at.conversation, 0, 1000);
  const parts = [0, 1, 2, 3, 4].flatMap((k) => conversationWindow(store.db, at.conversation, k * Math.ceil(whole.total / 5), Math.ceil(whole.total / 5)).messages);
  assert.deepEqual(parts.map((m) => m.msgid), whole.messages.map((m) => m.msgid));
  for (let i = 1; i < whole.messages.length; i++) assert.ok((whole.messages[i - 1]!.msgtime ?? -1) <= (whole.messages[i]!.msgtime ?? -1));
  const img = store.db.prepare(`SELECT sha256 FROM message_media WHERE status = 'linked' AND kind = 'image'`).pluck().get() as string;
  const m = getMedia(store.db, img);
  assert.match(m.mime, /^image\//);
  assert.ok(m.bytes.length > 0);
});

test('a staff member who moved branch shows the branch of the time on old messages', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  const a = path.join(dir, 'a.csv');
  fs.writeFileSync(a, '员工ID,姓名,分行,支行\nzhangwei,张伟,杭州分行,西湖支行\n');
  await importPeople(store.db, a, 'staff', 1000);
  const b = path.join(dir, 'b.csv');
  fs.writeFileSync(b, '员工ID,姓名,分行,支行,生效日期\nzhangwei,张伟,宁波分行,鄞州支行,2026-06-01\n');
  await importPeople(store.db, b, 'staff', 2000);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [textMsg(1, { msgtime: Date.parse('2026-05-01T10:00:00+08:00') }), textMsg(2, { msgtime: Date.parse('2026-07-01T10:00:00+08:00') })]);
  await importExports(store, { paths: [file] });
  const conv = listConversations(store.db)[0]!;
  const w = conversationWindow(store.db, conv.id, 0, 10).messages;
  assert.deepEqual(w.map((m) => (m.from.kind === 'staff' ? m.from.subBranch : '')), ['西湖支行', '鄞州支行']);
  assert.equal(conv.staff!.kind === 'staff' && conv.staff!.subBranch, '鄞州支行'); // the list shows today's roster
});

test('settings persist in the store', () => {
  const store = newStore();
  assert.equal(getSettings(store.db).idleLockMinutes, 15);
  setSettings(store.db, { idleLockMinutes: 5 });
  assert.equal(getSettings(store.db).idleLockMinutes, 5);
});
