import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { cli, SAMPLES, tmpDir } from '../helpers/store.js';

function store() {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  cli(['people', 'import', '--db', db, path.join(SAMPLES, 'roster/staff.csv'), '--kind', 'staff']);
  cli(['people', 'import', '--db', db, path.join(SAMPLES, 'roster/contacts.csv'), '--kind', 'contacts']);
  assert.equal(cli(['import', '--db', db, path.join(SAMPLES, 'exports'), '--media', path.join(SAMPLES, 'media')]).code, 0);
  return { dir, db };
}

/** The workbook read by Python's zipfile and regular expressions: no code of ours or exceljs's. */
function inspect(file: string): { sheets: string[]; frozen: boolean[]; filters: boolean[]; rows: number[]; strings: string[] } {
  const r = spawnSync('python3', ['-c', `
import sys, zipfile, re, json
z = zipfile.ZipFile(sys.argv[1])
wb = z.read('xl/workbook.xml').decode()
sheets = re.findall(r'<sheet [^>]*name="([^"]+)"', wb)
out = {'sheets': sheets, 'frozen': [], 'filters': [], 'rows': [], 'strings': re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())}
for i in range(1, len(sheets) + 1):
    x = z.read(f'xl/worksheets/sheet{i}.xml').decode()
    out['frozen'].append('state="frozen"' in x)
    out['filters'].append('<autoFilter' in x)
    out['rows'].append(x.count('<row '))
print(json.dumps(out, ensure_ascii=False))
`, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the compliance report: five sheets, Chinese headers, frozen and filtered, one row per hit, dates as dates, amounts as numbers', async () => {
  const { dir, db } = store();
  const hits = cli(['hits', '--db', db, '--from', '2026-03-01', '--to', '2026-03-08', '--json']).json;
  const out = path.join(dir, 'r.xlsx');
  const r = cli(['report', '--db', db, '--from', '2026-03-01', '--to', '2026-03-08', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.sheets, ['概览', '命中明细', '员工排名', '复核与案件', '词库与规则版本']);
  assert.equal(r.json.hits, hits.length);
  const x = inspect(out);
  assert.deepEqual(x.sheets, r.json.sheets);
  assert.deepEqual(x.frozen, [true, true, true, true, true]);
  assert.deepEqual(x.filters, [true, true, true, true, true]);
  assert.equal(x.rows[1], hits.length + 1);
  for (const h of ['命中编号', '时间', '分行', '支行', '员工', '客户', '类别', '级别', '消息内容', '复核状态', '金额（元）']) assert.ok(x.strings.includes(h), h);
  assert.ok(x.strings.includes(r.json.fingerprint), 'the signing key fingerprint is in the report');
  // values through a reader: dates are dates, amounts numbers, PII in full for an admin
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const ws = wb.getWorksheet('命中明细')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const col = (name: string) => header.indexOf(name) + 1;
  let dates = 0;
  let amounts = 0;
  let pii = '';
  ws.eachRow((row, n) => {
    if (n === 1) return;
    if (row.getCell(col('时间')).value instanceof Date) dates++;
    if (typeof row.getCell(col('金额（元）')).value === 'number') amounts++;
    if (row.getCell(col('类别')).value === '客户个人信息') pii ||= String(row.getCell(col('命中内容')).value);
  });
  assert.equal(dates, hits.length);
  assert.ok(amounts >= 1, 'red packet amounts in yuan');
  assert.match(pii, /\d{6}/);
  const overview = wb.getWorksheet('概览')!;
  assert.equal(overview.getRow(2).getCell(2).value, hits.length);
  // an auditor's report masks PII and customer names
  cli(['users', 'add', 'aud', '--role', 'auditor', '--db', db], { WECOM_AUDIT_NEW_PASSWORD: 'auditor-pass-1' });
  const out2 = path.join(dir, 'r2.xlsx');
  assert.equal(cli(['report', '--db', db, '--from', '2026-03-01', '--to', '2026-03-08', '--out', out2, '--user', 'aud'], { WECOM_AUDIT_PASSPHRASE: 'auditor-pass-1' }).code, 0);
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.readFile(out2);
  const masked: string[] = [];
  wb2.getWorksheet('命中明细')!.eachRow((row, n) => {
    if (n > 1 && row.getCell(col('类别')).value === '客户个人信息') masked.push(String(row.getCell(col('命中内容')).value));
  });
  assert.ok(masked.length > 0 && masked.every((m) => m.includes('*')), masked.join(','));
  assert.equal(cli(['report', '--db', db, '--from', '2026-03-08', '--to', '2026-03-01', '--out', out2]).code, 2);
});

test('dashboard numbers agree with the hits they open', async () => {
  const { db } = store();
  const { Session } = await import('../../main/core/api/context.js');
  const { dispatch } = await import('../../main/core/api/dispatch.js');
  const { PASS } = await import('../helpers/store.js');
  const session = new Session({ version: 't', defaultDbPath: db, samplesDir: '', nativeDialogs: false });
  const call = async (m: string, i: unknown) => {
    const r = await dispatch(m, i, session);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as any;
  };
  await call('store.unlock', { dbPath: db, passphrase: PASS });
  const from = Date.parse('2026-03-01T00:00:00+08:00');
  const to = Date.parse('2026-03-08T00:00:00+08:00');
  const d = await call('dashboard.get', { from, to });
  const total = (await call('hits.list', { from, to, limit: 1 })).total;
  assert.ok(total > 0, 'the samples have hits');
  assert.equal(d.byDay.reduce((a: number, x: any) => a + x.hits, 0), total);
  assert.equal(d.byBranch.reduce((a: number, x: any) => a + x.hits, 0), total);
  // every point of every chart, for the whole bank and for one branch: its number is what its click lists
  const branch = d.byBranch.find((b: any) => b.branch)?.branch;
  for (const dash of [d, ...(branch ? [await call('dashboard.get', { from, to, branch })] : [])]) {
    for (const series of [dash.byDay, dash.byBranch.filter((b: any) => b.branch), dash.topStaff, dash.backlog]) {
      for (const point of series) assert.equal((await call('hits.list', { ...point.filter, limit: 1 })).total, point.hits, JSON.stringify(point.filter));
    }
    for (const s of dash.topStaff) assert.equal((await call('hits.list', { ...s.filter, severity: 'high', limit: 1 })).total, s.high, `high of ${s.staff}`);
  }
  assert.ok(d.freshness.lastImportAt > 0);
  session.close();
});
