import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { classifyId, importPeople, staffAt } from '../../main/core/people/people.js';
import { cli, newStore, ROOT, tmpDir } from '../helpers/store.js';

test('staff roster from GBK CSV (Excel on Chinese Windows), UTF-8 with BOM, and xlsx give the same people', async () => {
  const dir = tmpDir();
  const gbk = newStore(tmpDir());
  const r1 = await importPeople(gbk.db, path.join(ROOT, 'test/fixtures/staff-gbk.csv'), 'staff');
  assert.deepEqual(r1, { imported: 2, updated: 0, unchanged: 0, rejected: [] });
  const rows = () => gbk.db.prepare('SELECT userid, name, branch, sub_branch, department, position FROM staff ORDER BY userid').all();
  const expected = [
    { userid: 'lina', name: '李娜', branch: '杭州分行', sub_branch: '滨江支行', department: '财富管理部', position: '理财经理' },
    { userid: 'zhangwei', name: '张伟', branch: '杭州分行', sub_branch: '西湖支行', department: '个人金融部', position: '客户经理' },
  ];
  assert.deepEqual(rows(), expected);

  const bom = path.join(dir, 'staff.csv');
  fs.writeFileSync(bom, '\ufeffUserID,Name,Branch,Sub-branch,Department,Position\nzhangwei,张伟,杭州分行,西湖支行,个人金融部,客户经理\nlina,李娜,杭州分行,滨江支行,财富管理部,理财经理\n');
  const s2 = newStore(tmpDir());
  await importPeople(s2.db, bom, 'staff');
  assert.deepEqual(s2.db.prepare('SELECT userid, name, branch, sub_branch, department, position FROM staff ORDER BY userid').all(), expected);

  const xlsx = path.join(dir, 'staff.xlsx');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['员工ID', '姓名', '分行', '支行', '部门', '职位']);
  ws.addRow(['zhangwei', '张伟', '杭州分行', '西湖支行', '个人金融部', '客户经理']);
  ws.addRow(['lina', { richText: [{ text: '李' }, { text: '娜' }] }, '杭州分行', '滨江支行', '财富管理部', '理财经理']);
  await wb.xlsx.writeFile(xlsx);
  const s3 = newStore(tmpDir());
  await importPeople(s3.db, xlsx, 'staff');
  assert.deepEqual(s3.db.prepare('SELECT userid, name, branch, sub_branch, department, position FROM staff ORDER BY userid').all(), expected);
});

test('row errors name the row; a missing required column rejects the file and writes nothing', async () => {
  const dir = tmpDir();
  const s = newStore(dir);
  const f = path.join(dir, 'bad.csv');
  fs.writeFileSync(f, '员工ID,姓名,分行\nzhangwei,张伟,杭州分行\n,无名,杭州分行\nwang fang,王芳,杭州分行\nzhangwei,张伟2,宁波分行\nliuyang,,杭州分行\n');
  const r = await importPeople(s.db, f, 'staff');
  assert.equal(r.imported, 1);
  assert.deepEqual(r.rejected.map((x) => x.row), [3, 4, 5, 6]);
  assert.match(r.rejected[2]!.reason, /第 2 行/);
  const noId = path.join(dir, 'noid.csv');
  fs.writeFileSync(noId, '姓名,分行\n张伟,杭州分行\n');
  await assert.rejects(importPeople(s.db, noId, 'staff'), (e: any) => e.code === 'rejected' && /员工ID/.test(e.messageZh));
  assert.equal(s.db.prepare('SELECT count(*) FROM staff').pluck().get(), 1);
});

test('a staff member moves branch: the latest import wins, history keeps the branch of the time', async () => {
  const dir = tmpDir();
  const s = newStore(dir);
  const a = path.join(dir, 'a.csv');
  fs.writeFileSync(a, '员工ID,姓名,分行,支行\nzhangwei,张伟,杭州分行,西湖支行\nlina,李娜,杭州分行,滨江支行\n');
  await importPeople(s.db, a, 'staff', Date.parse('2026-01-01T00:00:00+08:00'));
  const b = path.join(dir, 'b.csv');
  fs.writeFileSync(b, '员工ID,姓名,分行,支行,生效日期\nzhangwei,张伟,宁波分行,鄞州支行,2026-06-01\nlina,李娜,杭州分行,滨江支行,\n');
  const r = await importPeople(s.db, b, 'staff', Date.parse('2026-06-05T00:00:00+08:00'));
  assert.deepEqual([r.imported, r.updated, r.unchanged], [0, 1, 1]);
  assert.equal(s.db.prepare(`SELECT branch FROM staff WHERE userid = 'zhangwei'`).pluck().get(), '宁波分行');
  assert.equal(staffAt(s.db, 'zhangwei', Date.parse('2025-12-01T00:00:00+08:00'))!.branch, '杭州分行'); // before the first roster
  assert.equal(staffAt(s.db, 'zhangwei', Date.parse('2026-05-31T12:00:00+08:00'))!.sub_branch, '西湖支行');
  assert.equal(staffAt(s.db, 'zhangwei', Date.parse('2026-06-01T00:00:00+08:00'))!.sub_branch, '鄞州支行');
  assert.equal(s.db.prepare(`SELECT count(*) FROM staff_history WHERE userid = 'zhangwei'`).pluck().get(), 2);
});

test('contacts, and staff-or-external decided by the roster first, prefix second', async () => {
  const dir = tmpDir();
  const s = newStore(dir);
  const staff = path.join(dir, 's.csv');
  fs.writeFileSync(staff, '员工ID,姓名\n18002520162,赵磊\n');
  await importPeople(s.db, staff, 'staff');
  const contacts = path.join(dir, 'c.csv');
  fs.writeFileSync(contacts, '外部联系人ID,客户名称,备注,所属员工,标签\nwmAAA,王先生,VIP,zhangwei,高净值\n0000726,刘女士,,zhangwei,\n');
  const r = await importPeople(s.db, contacts, 'contacts');
  assert.equal(r.imported, 2);
  assert.equal(classifyId(s.db, '18002520162'), 'staff'); // fits no prefix, roster says staff
  assert.equal(classifyId(s.db, '0000726'), 'contact');
  assert.equal(classifyId(s.db, 'wmBBB'), 'contact');
  assert.equal(classifyId(s.db, 'wbRobot'), 'robot');
  assert.equal(classifyId(s.db, 'mystery'), 'unknown');
});

test('CLI: people import --kind, JSON result, exit codes', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  const r = cli(['people', 'import', '--db', db, path.join(ROOT, 'test/fixtures/staff-gbk.csv'), '--kind', 'staff', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual({ imported: r.json.imported, updated: r.json.updated, rejected: r.json.rejected }, { imported: 2, updated: 0, rejected: [] });
  assert.equal(cli(['stats', '--db', db, '--json']).json.staff, 2);
  assert.equal(cli(['people', 'import', '--db', db, path.join(ROOT, 'test/fixtures/staff-gbk.csv'), '--json']).code, 2);
  const notSheet = path.join(dir, 'x.xlsx');
  fs.writeFileSync(notSheet, 'PK\u0003\u0004garbage');
  assert.equal(cli(['people', 'import', '--db', db, notSheet, '--kind', 'staff']).code, 4);
});
