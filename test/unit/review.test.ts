import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { listAudit } from '../../main/core/review/audit.js';
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

test('accepting an exclusion proposal makes a new dictionary version; a full rescan retires the hits it cancels', async () => {
  const { dir, db } = setup();
  // a branch's own dictionary (editable), beside the bundled head-office baseline (not edited from here)
  fs.writeFileSync(path.join(dir, 'extra.json'), JSON.stringify({ name: '分行补充词库', entries: [{ id: 'B1', term: '月月盈', category: 'guarantee', severity: 'high', match: 'literal' }] }));
  assert.equal(cli(['dict', 'import', '--db', db, path.join(dir, 'extra.json'), '--name', '分行补充词库']).code, 0);
  const texts = [
    '游戏里说的躺赚攻略你看了吗', '小说里说的躺赚人生太假了', '他们说的躺赚就是个梗', // baseline G024, the same false alarm
    '这产品躺赚，放心买', // G024 for real: stays
    '报纸上的月月盈广告', '电视上的月月盈节目', '楼上的月月盈海报', // B1 of 分行补充词库
    '群里说的兜底是什么意思', '你说的兜底我没听懂', '他说的兜底是指保险吧', // baseline G034
  ];
  assert.equal(cli(['import', '--db', db, writeJsonl(path.join(dir, 'more.jsonl'), texts.map((t, k) => textMsg(100 + k, { text: { content: t } })))]).code, 0);
  assert.equal(cli(['users', 'add', 'cmx', '--role', 'compliance_manager', '--branch', '西湖支行', '--db', db], USERS).code, 0);

  const open = async (user: string, passphrase: string) => {
    const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
    const r = await dispatch('store.unlock', { dbPath: db, passphrase, user }, session);
    assert.ok(r.ok, JSON.stringify(r));
    const call = async (m: string, i: unknown) => {
      const x = await dispatch(m, i, session);
      if (!x.ok) throw new Error(x.error.message);
      return x.value as any;
    };
    return { session, call };
  };
  const cm = await open('cm', USERS.WECOM_AUDIT_NEW_PASSWORD);
  const hitsOf = async (rule: string) => (await cm.call('hits.list', { limit: 1000 })).hits.filter((h: any) => h.rule === rule);
  /** dismisses the hits of `rule` in messages msgid ∈ ids as false alarms; returns the proposal made */
  const dismiss = async (rule: string, msgids: string[]) => {
    const ids = (await hitsOf(rule)).filter((h: any) => msgids.includes(h.msgid)).map((h: any) => h.id);
    assert.equal(ids.length, 3, `${rule}: ${ids}`);
    const r = await cm.call('review.triage', { hits: ids, status: 'dismissed', reason: '误报：非业务语境' });
    const ps = r.proposals.filter((p: any) => p.rule === rule);
    assert.ok(ps.length >= 1 && ps.every((p: any) => p.id === ps[0].id), JSON.stringify(r.proposals));
    return { proposal: ps[0], hits: ids as number[] };
  };
  const baselineBefore = (await cm.call('dict.list', {})).find((d: any) => d.name === '总行基线词库');

  // 1. a rule of the head-office baseline: into head office's additions dictionary, the baseline untouched
  const g = await dismiss('G024', ['m100', 'm101', 'm102']);
  assert.equal(g.proposal.phrase, '说的躺赚');
  const accepted = await cm.call('review.proposalDecide', { id: g.proposal.id, accept: true });
  assert.deepEqual([accepted.status, accepted.decidedBy, accepted.dictionary, accepted.version], ['accepted', 'cm', '总行补充词库', 1]);
  const dicts = await cm.call('dict.list', {});
  assert.deepEqual(dicts.find((d: any) => d.name === '总行基线词库'), baselineBefore);
  const versions = await cm.call('dict.versions', { name: '总行补充词库' });
  assert.deepEqual([versions[0].version, versions[0].author], [1, 'cm']);
  assert.match(versions[0].note, new RegExp(`排除建议 #${g.proposal.id}`));
  const carrier = (await cm.call('dict.entries', { name: '总行补充词库', version: 1 })).find((e: any) => e.id === 'G024');
  assert.deepEqual([carrier.term, carrier.enabled, carrier.exclusions], ['躺赚', false, ['说的躺赚']]);
  // in the active set the exclusion joins the baseline's rule; the carrier is not a rule of its own
  const activeG = (await cm.call('dict.entries', {})).filter((e: any) => e.id === 'G024');
  assert.equal(activeG.length, 1);
  assert.ok(activeG[0].exclusions.includes('说的躺赚') && activeG[0].dictionary.startsWith('总行基线词库@'));
  await assert.rejects(cm.call('review.proposalDecide', { id: g.proposal.id, accept: false }), /已处理|decided already/);
  // a full rescan: the three false alarms disappear, the real one stays
  const rescan = await cm.call('scan.run', { full: true });
  assert.deepEqual(rescan.disappeared.filter((x: any) => x.rule === 'G024').map((x: any) => x.msgid).sort(), ['m100', 'm101', 'm102']);
  assert.ok(rescan.dictionaries.some((d: any) => d.name === '总行补充词库' && d.version === 1));
  assert.deepEqual((await hitsOf('G024')).map((h: any) => h.msgid), ['m103']);
  assert.equal(rescan.appeared.length, 0);

  // 2. a rule of a dictionary the decider may edit: its own entry, in a new version of that dictionary
  const b = await dismiss('B1', ['m104', 'm105', 'm106']);
  assert.equal(b.proposal.phrase, '上的月月盈');
  const bAcc = await cm.call('review.proposalDecide', { id: b.proposal.id, accept: true });
  assert.deepEqual([bAcc.dictionary, bAcc.version], ['分行补充词库', 2]);
  const diff = await cm.call('dict.diff', { name: '分行补充词库', from: 1, to: 2 });
  assert.deepEqual([diff.added.length, diff.removed.length, diff.changed.length], [0, 0, 1]);
  assert.deepEqual([diff.changed[0].before.exclusions, diff.changed[0].after.exclusions], [undefined, ['上的月月盈']]);
  const rescan2 = await cm.call('scan.run', { full: true });
  assert.deepEqual(rescan2.disappeared.map((x: any) => `${x.msgid}:${x.rule}`).sort(), ['m104:B1', 'm105:B1', 'm106:B1']);
  cm.session.close();

  // 3. a branch compliance manager: the branch's own additions dictionary, created with its scope
  const cmx = await open('cmx', USERS.WECOM_AUDIT_NEW_PASSWORD);
  const d = (await cmx.call('hits.list', { limit: 1000 })).hits.filter((h: any) => h.rule === 'G034' && ['m107', 'm108', 'm109'].includes(h.msgid));
  const dr = await cmx.call('review.triage', { hits: d.map((h: any) => h.id), status: 'dismissed', reason: '误报：非业务语境' });
  const p3 = dr.proposals.find((p: any) => p.rule === 'G034');
  const acc3 = await cmx.call('review.proposalDecide', { id: p3.id, accept: true });
  assert.deepEqual([acc3.dictionary, acc3.version, acc3.decidedBy], ['西湖支行补充词库', 1, 'cmx']);
  assert.equal((await cmx.call('dict.list', {})).find((x: any) => x.name === '西湖支行补充词库').scope, '西湖支行');
  const rescan3 = await cmx.call('scan.run', { full: true });
  assert.deepEqual(rescan3.disappeared.map((x: any) => `${x.msgid}:${x.rule}`).sort(), ['m107:G034', 'm108:G034', 'm109:G034']);
  cmx.session.close();

  // the audit log: each decision, and the dictionary version it produced, under the decider
  const store = openStore(db, PASS);
  const log: any[] = listAudit(store.db, { limit: 1000 }); // newest first
  store.close();
  const made = log.filter((e: any) => e.action === 'dict.exclusion').map((e: any) => [e.user, e.details.proposal, e.details.dictionary, e.details.version]);
  assert.deepEqual(made.reverse(), [
    ['cm', g.proposal.id, '总行补充词库', 1],
    ['cm', b.proposal.id, '分行补充词库', 2],
    ['cmx', p3.id, '西湖支行补充词库', 1],
  ]);
  assert.equal(log.filter((e: any) => e.action === 'review.proposalDecide').length, 3);
});
