import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { openStore } from '../../main/core/store/index.js';
import { cli, PASS, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

const USERS = { WECOM_AUDIT_NEW_PASSWORD: 'officer-pass-1' };

/** A store with a roster, two branches' messages, a dictionary hit in each, and users. */
function setup() {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  fs.writeFileSync(path.join(dir, 'staff.csv'), '员工ID,姓名,分行,支行\nzhangwei,张伟,杭州分行,西湖支行\nlina,李娜,宁波分行,鄞州支行\n');
  assert.equal(cli(['people', 'import', '--db', db, path.join(dir, 'staff.csv'), '--kind', 'staff']).code, 0);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { text: { content: '这款产品保本保收益，稳赚不赔' } }),
    textMsg(2, { from: 'lina', tolist: ['wmC2'], text: { content: '保本的，放心，加我私人微信' } }),
    textMsg(3, { from: 'lina', tolist: ['wmC2'], text: { content: '客户身份证11010519491231002X' } }),
  ]);
  assert.equal(cli(['import', '--db', db, file]).code, 0);
  for (const [name, role, branch] of [['wang', 'risk_officer', '西湖支行'], ['audit1', 'auditor', ''], ['cm', 'compliance_manager', '']]) {
    const r = cli(['users', 'add', name!, '--role', role!, ...(branch ? ['--branch', branch] : []), '--db', db, '--json'], USERS);
    assert.equal(r.code, 0, r.stderr);
  }
  return { dir, db };
}
const as = (user: string) => ({ WECOM_AUDIT_PASSPHRASE: USERS.WECOM_AUDIT_NEW_PASSWORD, ...(user ? {} : {}) });

test('users: own passwords, roles, branch scope; denied actions exit 6 and are logged', () => {
  const { dir, db } = setup();
  const list = cli(['users', 'list', '--db', db, '--json']);
  assert.deepEqual(list.json.map((u: any) => [u.user, u.role, u.branch]), [['admin', 'admin', ''], ['wang', 'risk_officer', '西湖支行'], ['audit1', 'auditor', ''], ['cm', 'compliance_manager', '']]);
  // each user opens the store with their own password, not the admin's
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], as('wang')).code, 0);
  assert.equal(cli(['stats', '--db', db, '--user', 'wang']).code, 3);
  // an auditor reads and exports but changes nothing
  const hitsAll = cli(['hits', '--db', db, '--user', 'audit1', '--json'], as('audit1'));
  assert.equal(hitsAll.code, 0);
  const some = hitsAll.json.find((h: any) => h.category !== 'behaviour').id;
  const denied = cli(['triage', some, '--status', 'confirmed', '--db', db, '--user', 'audit1'], as('audit1'));
  assert.equal(denied.code, 6);
  assert.match(denied.stderr, /无权/);
  assert.equal(cli(['dict', 'import', '--db', db, path.join(dir, 'staff.csv'), '--user', 'wang'], as('wang')).code, 6);
  assert.equal(cli(['users', 'add', 'x', '--role', 'admin', '--db', db, '--user', 'wang'], { ...as('wang'), WECOM_AUDIT_NEW_PASSWORD: 'whatever-1' }).code, 6);
  // PII masked for auditors
  const pii = hitsAll.json.find((h: any) => h.category === 'pii');
  assert.equal(pii.match, '110105********002X');
  // the branch scope limits every list
  const scoped = cli(['hits', '--db', db, '--user', 'wang', '--category', 'guarantee', '--json'], as('wang'));
  assert.ok(scoped.json.length > 0);
  assert.ok(scoped.json.every((h: any) => h.staff === 'zhangwei'), JSON.stringify(scoped.json));
  assert.equal(cli(['hits', '--db', db, '--user', 'wang', '--branch', '鄞州支行', '--json'], as('wang')).code, 6);
  const search = cli(['search', '--db', db, '保本', '--user', 'wang', '--json'], as('wang'));
  assert.equal(search.json.total, 1);
  assert.equal(cli(['search', '--db', db, '保本', '--json']).json.total, 2);
  const log = cli(['log', 'list', '--db', db, '--json', '--limit', '500']).json;
  assert.ok(log.some((e: any) => e.user === 'audit1' && e.action === 'denied:review.triage'));
  assert.ok(log.some((e: any) => e.user === 'wang' && e.action === 'search.query'));
  assert.ok(log.some((e: any) => e.user === 'audit1' && e.action === 'login'));
});

test('lockout after repeated wrong passwords; disabled users cannot open the store; password change', () => {
  const { db } = setup();
  for (let i = 0; i < 5; i++) assert.equal(cli(['stats', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: 'wrong-password' }).code, 3);
  const locked = cli(['stats', '--db', db, '--user', 'wang'], as('wang'));
  assert.equal(locked.code, 6);
  assert.match(locked.stderr, /锁定/);
  assert.equal(cli(['users', 'disable', 'audit1', '--db', db]).code, 0);
  assert.equal(cli(['stats', '--db', db, '--user', 'audit1'], as('audit1')).code, 3); // its wrapped key is gone
  assert.equal(cli(['users', 'passwd', '--db', db, '--user', 'cm'], { ...as('cm'), WECOM_AUDIT_NEW_PASSWORD: 'brand-new-pass' }).code, 0);
  assert.equal(cli(['stats', '--db', db, '--user', 'cm'], as('cm')).code, 3);
  assert.equal(cli(['stats', '--db', db, '--user', 'cm'], { WECOM_AUDIT_PASSPHRASE: 'brand-new-pass' }).code, 0);
});

test('triage with history, bulk, and repeated dismissals become an exclusion proposal; cases with a workflow', async () => {
  const { db } = setup();
  const hits = cli(['hits', '--db', db, '--category', 'guarantee', '--json']).json;
  const ids = hits.map((h: any) => Number(h.id));
  const t = cli(['triage', String(ids[0]), '--status', 'confirmed', '--note', '已核实', '--db', db, '--json']);
  assert.deepEqual(t.json, { id: String(ids[0]), status: 'confirmed' });
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  assert.equal((await dispatch('store.unlock', { dbPath: db, passphrase: PASS }, session)).ok, true);
  const call = async (m: string, i: unknown) => {
    const r = await dispatch(m, i, session);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as any;
  };
  // the same false alarm dismissed three times → a proposal
  const store = session.store!;
  const msg = store.db.prepare(`SELECT id FROM messages WHERE msgid = 'm1'`).pluck().get() as number;
  const scanId = store.db.prepare('SELECT max(id) FROM scans').pluck().get() as number;
  const extra = [1, 2].map((k) => Number(store.db.prepare(`INSERT INTO hits(message_id, rule, category, severity, start, end, match, source, scan_id, created_at) VALUES (?, 'ZZ', 'guarantee', 'high', ?, ?, '保本', 'test', ?, 0)`).run(msg, 100 + k, 102 + k, scanId).lastInsertRowid));
  const first = Number(store.db.prepare(`INSERT INTO hits(message_id, rule, category, severity, start, end, match, source, scan_id, created_at) VALUES (?, 'ZZ', 'guarantee', 'high', 4, 6, '保本', 'test', ?, 0)`).run(msg, scanId).lastInsertRowid);
  const r = await call('review.triage', { hits: [first, ...extra], status: 'dismissed', reason: '误报：否定或合规披露语境' });
  assert.equal(r.updated, 3);
  assert.equal(r.proposals[0].rule, 'ZZ');
  assert.match(r.proposals[0].phrase, /保本$/);
  assert.equal((await call('review.history', { hit: first }))[0].reason, '误报：否定或合规披露语境');
  await assert.rejects(call('review.triage', { hits: [first], status: 'dismissed' }), /reason/);
  // cases
  const c = cli(['cases', 'create', '--title', '张伟承诺保本', '--hits', ids.join(','), '--assignee', 'wang', '--db', db, '--json']);
  assert.equal(c.code, 0, c.stderr);
  const id = c.json.id;
  assert.equal(cli(['cases', 'update', id, '--status', 'investigating', '--note', '已约谈', '--db', db]).code, 0);
  assert.equal(cli(['cases', 'update', id, '--status', 'closed', '--db', db]).code, 2); // closing needs a conclusion
  assert.equal(cli(['cases', 'update', id, '--status', 'closed', '--conclusion', 'violation_confirmed', '--db', db]).code, 0);
  const list = cli(['cases', 'list', '--db', db, '--json']).json;
  assert.deepEqual(list.map((x: any) => [x.id, x.status, x.hits, x.conclusion]), [[id, 'closed', ids.length, 'violation_confirmed']]);
  const detail = await call('cases.get', { id: Number(id) });
  assert.deepEqual(detail.events.map((e: any) => e.kind), ['created', 'hits', 'assign', 'status', 'note', 'status', 'conclusion']);
  session.close();
});

test('audit log: every kind of tampering in the database is caught by log verify (exit 5)', () => {
  const { db } = setup();
  assert.equal(cli(['stats', '--db', db]).code, 0);
  const ok = cli(['log', 'verify', '--db', db, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.json.valid, true);
  assert.ok(ok.json.entries > 5);
  const copy = (name: string) => {
    const to = path.join(path.dirname(db), `${name}.db`);
    fs.copyFileSync(db, to);
    fs.copyFileSync(`${db}.keyring`, `${to}.keyring`);
    return to;
  };
  const tamper = (name: string, sql: string) => {
    const f = copy(name);
    const s = openStore(f, PASS);
    s.db.exec(sql);
    s.close();
    const r = cli(['log', 'verify', '--db', f, '--json']);
    assert.equal(r.code, 5, `${name}: ${r.stdout}`);
    assert.equal(r.json.valid, false, name);
    return r.json.problems as { seq: number | null; problem: string }[];
  };
  assert.ok(tamper('edited', `UPDATE audit_log SET user = 'someone' WHERE seq = 3`).some((p) => p.seq === 3 && /edited/.test(p.problem)));
  assert.ok(tamper('deleted', `DELETE FROM audit_log WHERE seq = 4`).some((p) => p.seq === 5));
  tamper('reordered', `UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -1;`);
  assert.ok(tamper('truncated', `DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)`).some((p) => /truncated/.test(p.problem)));
  // rewriting the whole chain from a point on still breaks against the anchor outside the database
  tamper('rechained', `DELETE FROM audit_log WHERE seq > 3`);
});

test('auditors see PII masked in conversations, search and hits, in place', async () => {
  const { db } = setup();
  const { Session } = await import('../../main/core/api/context.js');
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  const call = async (m: string, i: unknown) => {
    const r = await dispatch(m, i, session);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as any;
  };
  await call('store.unlock', { dbPath: db, passphrase: 'officer-pass-1', user: 'audit1' });
  const conv = (await call('conversations.list', {})).find((c: any) => c.staff?.id === 'lina');
  const w = await call('conversations.messages', { conversation: conv.id, offset: 0, limit: 10 });
  const idMsg = w.messages.find((m: any) => m.text.includes('身份证'));
  assert.equal(idMsg.text, '客户身份证110105********002X');
  assert.ok(!JSON.stringify(idMsg.body).includes('11010519491231002X'));
  const found = await call('search.query', { q: '身份证' });
  assert.ok(found.results.every((r: any) => !r.snippet.includes('19491231')));
  const pii = (await call('hits.list', { category: 'pii' })).hits[0];
  assert.equal(pii.match, '110105********002X');
  assert.equal(pii.text.slice(pii.start, pii.end), pii.match);
  session.close();
});
