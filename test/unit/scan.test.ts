import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { parseDictionaryFile, writeDictionaryFile } from '../../main/core/detect/dictionaryFile.js';
import type { Entry } from '../../main/core/detect/types.js';
import { importExports } from '../../main/core/import/importer.js';
import { importPeople } from '../../main/core/people/people.js';
import { activeSet, addVersion, diffEntries, listVersions, setActive, versionEntries } from '../../main/core/rules/dictionaries.js';
import { ruleSettings, setRuleSetting } from '../../main/core/scan/behaviour.js';
import { listHits } from '../../main/core/scan/hits.js';
import { scan } from '../../main/core/scan/scan.js';
import { cli, newStore, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

const BASE: Entry[] = [
  { id: 'G1', term: '保本', category: 'guarantee', severity: 'high', match: 'literal', negatable: true, exclusions: ['不保本'], side: 'staff' },
  { id: 'D1', term: '私人微信', category: 'diversion', severity: 'high', match: 'literal', negatable: true },
  { id: 'C1', term: '投诉', category: 'complaint', severity: 'high', match: 'literal', side: 'customer' },
];
const T0 = Date.parse('2026-03-02T10:00:00+08:00'); // a Monday, office hours

async function store(records: unknown[]) {
  const dir = tmpDir();
  const s = newStore(dir);
  fs.writeFileSync(path.join(dir, 'staff.csv'), '员工ID,姓名,分行,支行\nzhangwei,张伟,杭州分行,西湖支行\nlina,李娜,宁波分行,鄞州支行\n');
  await importPeople(s.db, path.join(dir, 'staff.csv'), 'staff');
  await importExports(s, { paths: [writeJsonl(path.join(dir, 'e.jsonl'), records)] });
  addVersion(s.db, '基线', BASE, 'tester');
  return { dir, s };
}

test('scan: hits per message with offsets into the text; incremental; a dictionary change shows what appeared and disappeared', async () => {
  const { dir, s } = await store([
    textMsg(1, { msgtime: T0, text: { content: '这款产品保本的' } }),
    textMsg(2, { msgtime: T0 + 1000, text: { content: '本产品不保本' } }),
    textMsg(3, { msgtime: T0 + 2000, from: 'wmCustomer0001', tolist: ['zhangwei'], text: { content: '我要投诉' } }),
    textMsg(4, { msgtime: T0 + 3000, text: { content: '加我私-人-微-信' } }),
  ]);
  const first = await scan(s.db);
  assert.equal(first.scanned, 4);
  const dictHits = listHits(s.db, {}).hits.filter((h) => h.category !== 'behaviour');
  assert.deepEqual(dictHits.map((h) => `${h.msgid}:${h.rule}:${h.text.slice(h.start, h.end)}`).sort(), ['m1:G1:保本', 'm3:C1:投诉', 'm4:D1:私-人-微-信']);
  assert.equal(dictHits.find((h) => h.rule === 'G1')!.from.name, '张伟');
  // the customer's complaint was escalated by the behaviour rule
  assert.ok(listHits(s.db, { category: 'behaviour' }).hits.some((h) => h.rule === 'behaviour.complaint_escalation' && h.status === 'escalated'));
  // nothing new: an incremental scan scans nothing and adds nothing
  const again = await scan(s.db);
  assert.deepEqual([again.scanned, again.hits, again.retired], [0, 0, 0]);
  // new messages only
  await importExports(s, { paths: [writeJsonl(path.join(dir, 'f.jsonl'), [textMsg(5, { msgtime: T0 + 4000, text: { content: '保本保收益' } })])] });
  const inc = await scan(s.db);
  assert.equal(inc.scanned, 1);
  assert.equal(inc.hits, 1);
  // change the dictionary: drop D1, add 稳赚 → a full rescan says what appeared and disappeared
  addVersion(s.db, '基线', [BASE[0]!, BASE[2]!, { id: 'G2', term: '保收益', category: 'guarantee', severity: 'high', match: 'literal' }], 'manager', '去掉私人微信，加保收益');
  const full = await scan(s.db, { full: true });
  assert.equal(full.scanned, 5);
  assert.deepEqual(full.appeared.map((a) => `${a.msgid}:${a.rule}`), ['m5:G2']);
  assert.deepEqual(full.disappeared.map((a) => `${a.msgid}:${a.rule}`), ['m4:D1']);
  // retired hits stay, marked, for the review history
  const all = listHits(s.db, { includeRetired: true }).hits.filter((h) => h.rule === 'D1');
  assert.equal(all.length, 1);
  assert.equal(listHits(s.db, {}).hits.filter((h) => h.rule === 'D1').length, 0);
  assert.equal(listVersions(s.db, '基线').length, 2);
  const diff = diffEntries(versionEntries(s.db, '基线', 1), versionEntries(s.db, '基线', 2));
  assert.deepEqual([diff.added.map((e) => e.id), diff.removed.map((e) => e.id), diff.changed.length], [['G2'], ['D1'], 0]);
  // several dictionaries active; switching one off removes its hits at the next full scan
  addVersion(s.db, '西湖支行补充', [{ id: 'B1', term: '内部额度', category: 'off_book', severity: 'high', match: 'literal' }], 'branch');
  assert.equal(activeSet(s.db).entries.length, 4);
  setActive(s.db, '西湖支行补充', false);
  assert.equal(activeSet(s.db).entries.length, 3);
});

test('staff among themselves: sales rules do not fire, rules for both sides and PII still do', async () => {
  const { s } = await store([
    textMsg(1, { msgtime: T0, from: 'zhangwei', tolist: ['lina'], text: { content: '合规部报告：他向客户承诺保本，还让客户加私人微信，身份证11010519491231002X' } }),
    textMsg(2, { msgtime: T0 + 1000, text: { content: '这款产品保本' } }),
  ]);
  await scan(s.db);
  const hits = listHits(s.db, {}).hits.filter((h) => h.category !== 'behaviour');
  assert.deepEqual(hits.map((h) => `${h.msgid}:${h.rule}`).sort(), ['m1:D1', 'm1:pii.id_number', 'm2:G1']);
});

test('filters: category, severity, staff, branch, time', async () => {
  const { s } = await store([
    textMsg(1, { msgtime: T0, text: { content: '保本' } }),
    textMsg(2, { msgtime: T0 + 86_400_000, from: 'lina', tolist: ['wmC2'], text: { content: '保本' } }),
  ]);
  await scan(s.db);
  assert.equal(listHits(s.db, { category: 'guarantee' }).total, 2);
  assert.equal(listHits(s.db, { category: 'guarantee', staff: 'lina' }).total, 1);
  assert.equal(listHits(s.db, { category: 'guarantee', branch: '西湖支行' }).total, 1);
  assert.equal(listHits(s.db, { category: 'guarantee', from: T0 + 1000 }).total, 1);
  assert.equal(listHits(s.db, { severity: 'low', category: 'guarantee' }).total, 0);
});

test('behaviour rules, each with its parameters', async () => {
  const night = Date.parse('2026-03-02T23:30:00+08:00');
  const raw = (i: number, extra: Record<string, unknown>) => ({ ...textMsg(i), ...extra });
  const { s } = await store([
    textMsg(1, { msgtime: T0, text: { content: '这款产品保本的' } }),
    raw(2, { msgtime: T0 + 60_000, action: 'recall', msgtype: 'revoke', text: undefined, revoke: { pre_msgid: 'm1' } }),
    raw(3, { msgtime: T0 + 120_000, msgtype: 'redpacket', text: undefined, redpacket: { type: 1, wish: '恭喜', totalcnt: 1, totalamount: 50000 } }),
    textMsg(4, { msgtime: night, text: { content: '睡了吗' } }),
    ...Array.from({ length: 12 }, (_, k) => textMsg(10 + k, { msgtime: T0 + 600_000 + k * 1000, tolist: [`wmMass${k}`], text: { content: '本周大额存单利率上调，欢迎咨询' } })),
    raw(30, { msgtime: T0 + 700_000, from: 'wmC9', tolist: ['zhangwei'], msgtype: 'disagree', text: undefined, disagree: { userid: 'wmC9', disagree_time: T0 + 700_000 } }),
    textMsg(31, { msgtime: T0 + 800_000, tolist: ['wmC9'], text: { content: '那我们继续聊' } }),
    raw(32, { msgtime: T0 + 900_000, msgtype: 'file', text: undefined, file: { md5sum: 'a'.repeat(32), filename: '客户名单2026.xlsx', fileext: 'xlsx', filesize: 100, sdkfileid: 'x' } }),
    raw(33, { msgtime: T0 + 950_000, msgtype: 'link', text: undefined, link: { title: '产品介绍', description: '', link_url: 'https://evil.example.com/p' } }),
    raw(34, { msgtime: T0 + 960_000, msgtype: 'link', text: undefined, link: { title: '企业微信', description: '', link_url: 'https://work.weixin.qq.com/x' } }),
    textMsg(40, { msgtime: T0 + 1_000_000, from: 'wmC7', tolist: ['lina'], text: { content: '在吗？' } }),
    textMsg(41, { msgtime: T0 + 1_000_000 + 30 * 3600_000, from: 'lina', tolist: ['wmC7'], text: { content: '不好意思刚看到' } }),
  ]);
  await scan(s.db);
  const by = (rule: string) => listHits(s.db, { category: 'behaviour' }).hits.filter((h) => h.rule === rule).map((h) => h.msgid);
  assert.deepEqual(by('behaviour.recall_after_hit'), ['m2']);
  assert.deepEqual(by('behaviour.redpacket_to_customer'), ['m3']);
  assert.ok(by('behaviour.off_hours').includes('m4'));
  assert.ok(!by('behaviour.off_hours').includes('m1'));
  assert.equal(by('behaviour.mass_send').length, 12);
  assert.deepEqual(by('behaviour.after_disagree'), ['m31']);
  assert.deepEqual(by('behaviour.customer_file'), ['m32']);
  assert.deepEqual(by('behaviour.link_domain'), ['m33']);
  assert.deepEqual(by('behaviour.unanswered'), ['m40']);
  // parameters: raise the red-packet threshold above 500 yuan, widen the allow list → those hits retire
  setRuleSetting(s.db, 'behaviour.redpacket_to_customer', { params: { minYuan: 1000 } }, 'manager');
  setRuleSetting(s.db, 'behaviour.link_domain', { params: { allow: ['example.com', 'weixin.qq.com'] } }, 'manager');
  setRuleSetting(s.db, 'behaviour.unanswered', { enabled: false }, 'manager');
  const r = await scan(s.db, { full: true });
  assert.deepEqual(r.disappeared.map((d) => d.rule).sort(), ['behaviour.link_domain', 'behaviour.redpacket_to_customer', 'behaviour.unanswered']);
  assert.equal(ruleSettings(s.db).find((x) => x.rule === 'behaviour.redpacket_to_customer')!.params.minYuan, 1000);
  assert.throws(() => setRuleSetting(s.db, 'behaviour.mass_send', { params: { minRecipients: 'ten' } }, 'x'), /type/);
  assert.throws(() => setRuleSetting(s.db, 'behaviour.nope', {}, 'x'), /No such/);
});

test('dictionary files: xlsx, csv, json round trip; per-row errors before anything is applied', async () => {
  const dir = tmpDir();
  for (const ext of ['xlsx', 'csv', 'json']) {
    const f = path.join(dir, `d.${ext}`);
    await writeDictionaryFile(f, '基线', BASE);
    const back = await parseDictionaryFile(f);
    assert.deepEqual(back.errors, [], ext);
    assert.deepEqual(back.entries.map((e) => [e.id, e.term, e.category, e.severity, e.exclusions ?? [], e.side, !!e.negatable]), BASE.map((e) => [e.id, e.term, e.category, e.severity, e.exclusions ?? [], e.side ?? 'both', !!e.negatable]), ext);
  }
  const bad = path.join(dir, 'bad.xlsx');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('词库');
  ws.addRow(['编号', '词条', '类别', '级别', '匹配方式', '排除词']);
  ws.addRow(['A1', '保本', '承诺保本保收益', '高', '字面', '不保本|非保本']);
  ws.addRow(['A2', '', '承诺保本保收益', '高', '字面', '']);
  ws.addRow(['A3', '稳赚', '不存在的类别', '高', '字面', '']);
  ws.addRow(['A4', '([', '承诺保本保收益', '中', '正则', '']);
  ws.addRow(['A1', '重复', '承诺保本保收益', '低', '字面', '']);
  await wb.xlsx.writeFile(bad);
  const parsed = await parseDictionaryFile(bad);
  assert.equal(parsed.entries.length, 1);
  assert.deepEqual(parsed.errors.map((e) => e.row), [3, 4, 5, 6]);
  assert.deepEqual(parsed.entries[0]!.exclusions, ['不保本', '非保本']);
});

test('CLI: dict import (dry run, errors exit 4), list, export, versions; scan; hits; detect --jsonl', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  const dict = path.join(dir, 'd.json');
  fs.writeFileSync(dict, JSON.stringify({ name: '基线', entries: BASE }));
  const dry = cli(['dict', 'import', '--db', db, dict, '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.json.entries, 3);
  const imp = cli(['dict', 'import', '--db', db, dict, '--json']);
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(imp.json.version, 1);
  const badDict = path.join(dir, 'bad.json');
  fs.writeFileSync(badDict, JSON.stringify({ entries: [{ term: '', category: 'guarantee', severity: 'high' }] }));
  const bad = cli(['dict', 'import', '--db', db, badDict]);
  assert.equal(bad.code, 4);
  assert.match(bad.stderr, /row 1/);
  const list = cli(['dict', 'list', '--db', db, '--name', '基线', '--json']);
  assert.deepEqual(list.json.map((e: any) => [e.term, e.category, e.severity]), BASE.map((e) => [e.term, e.category, e.severity]));
  const out = path.join(dir, 'out.xlsx');
  assert.equal(cli(['dict', 'export', '--db', db, '--out', out, '--name', '基线', '--json']).json.entries, 3);
  assert.ok(cli(['dict', 'export', '--db', db, '--out', path.join(dir, 'all.json'), '--json']).json.entries > 300); // all active: bundled baseline + 基线
  assert.ok(fs.statSync(out).size > 0);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [textMsg(1, { msgtime: T0, text: { content: '保本' } })]);
  const r = cli(['import', '--db', db, file, '--json']);
  assert.match(r.stderr, /scan/);
  const sc = cli(['scan', '--db', db, '--full', '--json']);
  assert.equal(sc.code, 0, sc.stderr);
  assert.equal(sc.json.scanned, 1);
  const hits = cli(['hits', '--db', db, '--category', 'guarantee', '--json']);
  assert.deepEqual(hits.json.map((h: any) => h.match), hits.json.map(() => '保本')); // G1 of 基线, and the bundled baseline's own 保本 entry
  assert.ok(hits.json.some((h: any) => h.rule === 'G1'));
  assert.deepEqual(Object.keys(hits.json[0]).filter((k) => ['id', 'msgid', 'category', 'rule', 'severity', 'match'].includes(k)).sort(), ['category', 'id', 'match', 'msgid', 'rule', 'severity']);
  assert.equal(typeof hits.json[0].id, 'string');
  const det = cli(['detect', '--jsonl', '--db', db], {}, '{"id":"a","text":"保-本哦","side":"staff"}\n{"id":"b","text":"不保本"}\n');
  const lines = det.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id), ['a', 'b']);
  assert.ok(lines[0].hits.some((h: any) => h.rule === 'G1' && h.start === 0 && h.end === 3 && h.match === '保-本' && h.category === 'guarantee'));
  assert.deepEqual(lines[1].hits, []);
  // without a store: the bundled dictionary
  const bare = cli(['detect', '--jsonl'], {}, '{"id":"x","text":"这款理财保本保收益，稳赚不赔"}\n');
  assert.ok(JSON.parse(bare.stdout).hits.some((h: any) => h.category === 'guarantee'));
  assert.equal(cli(['hits', '--db', db, '--severity', 'huge']).code, 2);
});

test('scan status: a changed rule or dictionary says a full rescan is due; new messages say they are unscanned', async () => {
  const { scanStatus } = await import('../../main/core/scan/status.js');
  const { dir, s } = await store([textMsg(1, { msgtime: T0, text: { content: '这款产品保本的' } })]);
  assert.deepEqual({ ...scanStatus(s.db), lastScanAt: null }, { lastScanAt: null, lastFullScanAt: null, unscanned: 1, rulesChanged: false });
  await scan(s.db);
  let st = scanStatus(s.db);
  assert.equal(st.unscanned, 0);
  assert.equal(st.rulesChanged, false);
  assert.ok(st.lastScanAt);
  setRuleSetting(s.db, 'behaviour.unanswered', { params: { hours: 48 } }, 'manager');
  assert.equal(scanStatus(s.db).rulesChanged, true, 'a behaviour rule changed');
  // an incremental scan applies the new rules to new messages only: still due
  await scan(s.db);
  assert.equal(scanStatus(s.db).rulesChanged, true);
  await scan(s.db, { full: true });
  st = scanStatus(s.db);
  assert.equal(st.rulesChanged, false);
  assert.ok(st.lastFullScanAt);
  addVersion(s.db, '基线', [...BASE, { id: 'G2', term: '稳赚', category: 'guarantee', severity: 'high', match: 'literal' }], 'manager');
  assert.equal(scanStatus(s.db).rulesChanged, true, 'a new dictionary version');
  await scan(s.db, { full: true });
  await importExports(s, { paths: [writeJsonl(path.join(dir, 'more.jsonl'), [textMsg(2, { msgtime: T0 + 1000, text: { content: '稳赚' } })])] });
  st = scanStatus(s.db);
  assert.deepEqual([st.unscanned, st.rulesChanged], [1, false]);
});

test('off hours: one hit per conversation and night, on its first message', async () => {
  const night = Date.parse('2026-03-02T22:10:00+08:00'); // Monday evening
  const { s } = await store([
    textMsg(1, { msgtime: night, text: { content: '在吗' } }),
    textMsg(2, { msgtime: night + 30 * 60_000, text: { content: '明天聊' } }),
    textMsg(3, { msgtime: Date.parse('2026-03-03T06:50:00+08:00'), text: { content: '早' } }), // same night, before work
    textMsg(4, { msgtime: Date.parse('2026-03-03T10:00:00+08:00'), text: { content: '上班了' } }), // working hours
    textMsg(5, { msgtime: Date.parse('2026-03-03T21:00:00+08:00'), text: { content: '晚上好' } }), // the next night
  ]);
  await scan(s.db);
  const hits = listHits(s.db, { category: 'behaviour' }).hits.filter((h) => h.rule === 'behaviour.off_hours');
  assert.deepEqual(hits.map((h) => h.msgid).sort(), ['m1', 'm5']);
  assert.match(hits.find((h) => h.msgid === 'm1')!.match, /2026-03-02 22:10 起/);
});
