/**
 * The compliance report workbook for a period and scope, written with exceljs's streaming
 * writer so 100,000 hits never sit in memory at once. Chinese headers, styled and frozen header
 * rows, filters, column widths, dates as dates (Beijing time), amounts as numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { staffPartyOf } from '../archive/people.sql.js';
import { maskPii } from '../detect/pii.js';
import { CATEGORY_ZH, SEVERITY_ZH } from '../detect/dictionaryFile.js';
import { activeSet } from '../rules/dictionaries.js';
import { ruleSettings } from '../scan/behaviour.js';
import type { Store } from '../store/index.js';
import { writeViaTemp } from '../tempFiles.js';
import { signingKey } from './signing.js';

export type ReportOptions = { from: number; to: number; out: string; branch?: string; categories?: string[]; user: string; role: string; appVersion: string };
export type ReportResult = { out: string; sheets: string[]; hits: number; fingerprint: string };

const BEIJING = 8 * 3600_000;
/** Excel has no time zones: cells hold Beijing wall-clock time, as a branch reads it. */
const excelDate = (ms: number | null) => (ms === null ? null : new Date(ms + BEIJING));
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' }, name: 'Microsoft YaHei' };
const STATUS_ZH: Record<string, string> = { new: '待复核', confirmed: '已确认', dismissed: '已驳回', escalated: '已升级' };
const CASE_ZH: Record<string, string> = { open: '待处理', investigating: '调查中', closed: '已结案', violation_confirmed: '违规属实', not_confirmed: '违规不属实', '': '' };
const catZh = (c: string) => (CATEGORY_ZH as Record<string, string>)[c] ?? c;

type Col = { header: string; key: string; width: number; style?: Partial<ExcelJS.Style> };

function sheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, cols: Col[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.style && { style: c.style }) }));
  const head = ws.getRow(1);
  head.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.font = HEADER_FONT;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  head.height = 22;
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return ws;
}

const DATE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm:ss' };
const INT: Partial<ExcelJS.Style> = { numFmt: '#,##0' };
const YUAN: Partial<ExcelJS.Style> = { numFmt: '#,##0.00' };
const WRAP: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'top' } };

export async function writeReport(store: Store, o: ReportOptions): Promise<ReportResult> {
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  // written beside the output and renamed over it when whole; on any failure (a full disk, a query) the temp file goes
  return writeViaTemp(o.out, '.xlsx', async (tmp) => {
    // our own file stream: exceljs listens for its errors only while committing, so a write that fails
    // earlier (a full disk) would otherwise be an uncaught error, or a commit that never ends
    const file = fs.createWriteStream(tmp, { flags: 'wx' });
    const broken = new Promise<never>((_, reject) => file.on('error', reject));
    broken.catch(() => {});
    try {
      const result = await Promise.race([writeWorkbook(store, o, file), broken]);
      if (!file.closed) await Promise.race([new Promise<void>((resolve) => file.once('close', () => resolve())), broken]);
      return result;
    } catch (e) {
      // closed before its temp file is removed (Windows cannot remove an open file)
      if (!file.closed) await new Promise<void>((resolve) => file.destroy().once('close', () => resolve()));
      throw e;
    }
  });
}

async function writeWorkbook(store: Store, o: ReportOptions, file: fs.WriteStream): Promise<ReportResult> {
  const db = store.db;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: true });
  wb.creator = `会话存档合规审计工作站 ${o.appVersion}`;
  wb.created = new Date();
  const key = signingKey(db);
  const masked = o.role === 'auditor';

  // the scope as SQL over hits h / messages m / conversations c, with the staff party of each hit
  const staffOf = staffPartyOf("''");
  const branchAt = (col: 'branch' | 'sub_branch') =>
    `(SELECT sh.${col} FROM staff_history sh WHERE sh.userid = (${staffOf}) AND sh.valid_from <= coalesce(m.msgtime, 0) AND (sh.valid_to IS NULL OR sh.valid_to > coalesce(m.msgtime, 0)) ORDER BY sh.valid_from DESC LIMIT 1)`;
  const where = (from: number, to: number) => {
    const w = ['h.retired_scan_id IS NULL', 'm.msgtime >= ?', 'm.msgtime < ?'];
    const a: (string | number)[] = [from, to];
    if (o.branch) {
      w.push(`(${branchAt('branch')} = ? OR ${branchAt('sub_branch')} = ?)`);
      a.push(o.branch, o.branch);
    }
    if (o.categories?.length) {
      w.push(`h.category IN (${o.categories.map(() => '?').join(',')})`);
      a.push(...o.categories);
    }
    return { sql: w.join(' AND '), args: a };
  };
  const FROM = 'FROM hits h JOIN messages m ON m.id = h.message_id LEFT JOIN conversations c ON c.id = m.conversation_id';
  const cur = where(o.from, o.to);
  const prev = where(o.from - (o.to - o.from), o.from);

  // ---- 概览 overview ----
  const ov = sheet(wb, '概览', [
    { header: '项目', key: 'k', width: 28 },
    { header: '本期', key: 'now', width: 14, style: INT },
    { header: '上期', key: 'before', width: 14, style: INT },
    { header: '变化', key: 'delta', width: 14, style: { numFmt: '+#,##0;-#,##0;0' } },
  ]);
  const count = (w: { sql: string; args: (string | number)[] }, extra = '', args: (string | number)[] = []) => db.prepare(`SELECT count(*) ${FROM} WHERE ${w.sql}${extra}`).pluck().get(...w.args, ...args) as number;
  const line = (k: string, now: number, before: number) => ov.addRow({ k, now, before, delta: now - before }).commit();
  const total = count(cur);
  line('命中总数', total, count(prev));
  for (const sev of ['high', 'medium', 'low']) line(`级别：${SEVERITY_ZH[sev as 'high']}`, count(cur, ' AND h.severity = ?', [sev]), count(prev, ' AND h.severity = ?', [sev]));
  for (const cat of Object.keys(CATEGORY_ZH)) line(`类别：${catZh(cat)}`, count(cur, ' AND h.category = ?', [cat]), count(prev, ' AND h.category = ?', [cat]));
  const branches = db.prepare(`SELECT DISTINCT ${branchAt('branch')} AS b ${FROM} WHERE ${cur.sql}`).pluck().all(...cur.args) as (string | null)[];
  for (const b of branches) line(`分行：${b || '（未在花名册）'}`, count(cur, ` AND coalesce(${branchAt('branch')}, '') = ?`, [b ?? '']), count(prev, ` AND coalesce(${branchAt('branch')}, '') = ?`, [b ?? '']));
  ov.addRow({}).commit();
  const info: [string, string][] = [
    ['期间（北京时间）', `${excelDate(o.from)!.toISOString().slice(0, 10)} 至 ${excelDate(o.to - 1)!.toISOString().slice(0, 10)}`],
    ['范围', o.branch || '全部（总行）'],
    ['类别', o.categories?.map(catZh).join('、') || '全部'],
    ['生成人 / 角色', `${o.user} / ${o.role}`],
    ['生成时间', new Date().toISOString()],
    ['证据包签名公钥指纹 (SHA-256)', key.fingerprint],
  ];
  for (const [k, v] of info) ov.addRow({ k, now: v }).commit();
  ov.commit();

  // ---- 命中明细 every hit, streamed ----
  const hs = sheet(wb, '命中明细', [
    { header: '命中编号', key: 'id', width: 10, style: INT },
    { header: '时间', key: 't', width: 20, style: DATE },
    { header: '分行', key: 'branch', width: 14 },
    { header: '支行', key: 'sub', width: 14 },
    { header: '员工', key: 'staff', width: 12 },
    { header: '客户', key: 'customer', width: 14 },
    { header: '类别', key: 'cat', width: 16 },
    { header: '级别', key: 'sev', width: 6 },
    { header: '规则', key: 'rule', width: 26 },
    { header: '命中内容', key: 'match', width: 24 },
    { header: '消息内容', key: 'text', width: 60, style: WRAP },
    { header: '金额（元）', key: 'yuan', width: 12, style: YUAN },
    { header: '复核状态', key: 'status', width: 10 },
    { header: '复核人', key: 'reviewer', width: 10 },
    { header: '复核时间', key: 'reviewedAt', width: 20, style: DATE },
    { header: '会话', key: 'conv', width: 8, style: INT },
    { header: '消息ID', key: 'msgid', width: 34 },
  ]);
  const rows = db
    .prepare(
      `SELECT h.id, h.rule, h.category, h.severity, h.start, h.end, h.match, h.status, m.msgid, m.msgtime, m.msgtype, m.text, m.raw, m.conversation_id,
        ${branchAt('branch')} AS branch, ${branchAt('sub_branch')} AS sub, (SELECT name FROM staff WHERE userid = (${staffOf})) AS staff_name, (${staffOf}) AS staff_id,
        CASE WHEN c.kind = 'single' THEN CASE WHEN c.party_a = (${staffOf}) THEN c.party_b ELSE c.party_a END ELSE '' END AS customer_id,
        (SELECT r.user FROM hit_reviews r WHERE r.hit_id = h.id ORDER BY r.id DESC LIMIT 1) AS reviewer,
        (SELECT r.at FROM hit_reviews r WHERE r.hit_id = h.id ORDER BY r.id DESC LIMIT 1) AS reviewed_at
       ${FROM} WHERE ${cur.sql} ORDER BY m.msgtime, h.id`,
    )
    .iterate(...cur.args) as Iterable<Record<string, any>>;
  const contactName = db.prepare('SELECT coalesce(nullif(name, \'\'), remark) FROM contacts WHERE external_userid = ?').pluck();
  const perStaff = new Map<string, { name: string; branch: string; sub: string; total: number; high: number; medium: number; low: number; confirmed: number; dismissed: number; pending: number }>();
  let written = 0;
  for (const r of rows) {
    let customer = r.customer_id ? ((contactName.get(r.customer_id) as string | undefined) ?? r.customer_id) : '';
    if (masked && customer) customer = customer.slice(0, 1) + '*'.repeat(Math.max(1, customer.length - 1));
    const pii = r.category === 'pii';
    const match = pii && masked ? maskPii(r.rule, r.match) : r.match;
    const text = pii && masked ? r.text.slice(0, r.start) + match + r.text.slice(r.end) : r.text;
    let yuan: number | null = null;
    if (r.msgtype === 'redpacket' || r.msgtype === 'external_redpacket') {
      const body = (JSON.parse(r.raw) as Record<string, any>).redpacket ?? {};
      if (Number.isFinite(Number(body.totalamount))) yuan = Number(body.totalamount) / 100;
    }
    hs.addRow({
      id: r.id,
      t: excelDate(r.msgtime),
      branch: r.branch ?? '',
      sub: r.sub ?? '',
      staff: r.staff_name ?? r.staff_id,
      customer,
      cat: catZh(r.category),
      sev: SEVERITY_ZH[r.severity as 'high'] ?? r.severity,
      rule: r.rule,
      match,
      text: text.length > 2000 ? `${text.slice(0, 2000)}…` : text,
      yuan,
      status: STATUS_ZH[r.status] ?? r.status,
      reviewer: r.reviewer ?? '',
      reviewedAt: excelDate(r.reviewed_at ?? null),
      conv: r.conversation_id,
      msgid: r.msgid,
    }).commit();
    written++;
    const key = r.staff_id || '（非员工）';
    let s = perStaff.get(key);
    if (!s) perStaff.set(key, (s = { name: r.staff_name ?? key, branch: r.branch ?? '', sub: r.sub ?? '', total: 0, high: 0, medium: 0, low: 0, confirmed: 0, dismissed: 0, pending: 0 }));
    s.total++;
    s[r.severity as 'high']++;
    if (r.status === 'confirmed' || r.status === 'escalated') s.confirmed++;
    else if (r.status === 'dismissed') s.dismissed++;
    else s.pending++;
  }
  hs.commit();

  // ---- 员工排名 per-staff ranking ----
  const rk = sheet(wb, '员工排名', [
    { header: '排名', key: 'rank', width: 6, style: INT },
    { header: '员工', key: 'name', width: 12 },
    { header: '分行', key: 'branch', width: 14 },
    { header: '支行', key: 'sub', width: 14 },
    { header: '命中', key: 'total', width: 8, style: INT },
    { header: '高', key: 'high', width: 6, style: INT },
    { header: '中', key: 'medium', width: 6, style: INT },
    { header: '低', key: 'low', width: 6, style: INT },
    { header: '已确认/升级', key: 'confirmed', width: 12, style: INT },
    { header: '已驳回', key: 'dismissed', width: 8, style: INT },
    { header: '待复核', key: 'pending', width: 8, style: INT },
  ]);
  [...perStaff.values()]
    .sort((a, b) => b.high - a.high || b.total - a.total)
    .forEach((s, i) => rk.addRow({ rank: i + 1, ...s }).commit());
  rk.commit();

  // ---- 复核与案件 review and case progress ----
  const rv = sheet(wb, '复核与案件', [
    { header: '案件编号', key: 'id', width: 10, style: INT },
    { header: '标题', key: 'title', width: 30 },
    { header: '状态', key: 'status', width: 10 },
    { header: '结论', key: 'conclusion', width: 12 },
    { header: '负责人', key: 'assignee', width: 10 },
    { header: '命中数', key: 'hits', width: 8, style: INT },
    { header: '截止', key: 'due', width: 20, style: DATE },
    { header: '立案时间', key: 'created', width: 20, style: DATE },
    { header: '结案时间', key: 'closed', width: 20, style: DATE },
  ]);
  for (const c of db.prepare(`SELECT c.*, (SELECT count(*) FROM case_hits x WHERE x.case_id = c.id) AS hits FROM cases c ORDER BY c.id`).iterate() as Iterable<Record<string, any>>) {
    rv.addRow({ id: c.id, title: c.title, status: CASE_ZH[c.status] ?? c.status, conclusion: CASE_ZH[c.conclusion] ?? c.conclusion, assignee: c.assignee, hits: c.hits, due: excelDate(c.due_at), created: excelDate(c.created_at), closed: excelDate(c.closed_at) }).commit();
  }
  rv.addRow({}).commit();
  for (const st of ['new', 'confirmed', 'dismissed', 'escalated']) rv.addRow({ title: `复核状态：${STATUS_ZH[st]}`, hits: count(cur, ' AND h.status = ?', [st]) }).commit();
  rv.commit();

  // ---- 词库与规则版本 what produced the hits ----
  const vs = sheet(wb, '词库与规则版本', [
    { header: '类型', key: 'kind', width: 12 },
    { header: '名称', key: 'name', width: 34 },
    { header: '版本 / 参数', key: 'value', width: 60, style: WRAP },
  ]);
  const set = activeSet(db);
  for (const d of set.sources) vs.addRow({ kind: '词库', name: d.name, value: `第 ${d.version} 版` }).commit();
  for (const r of ruleSettings(db)) vs.addRow({ kind: '行为规则', name: `${r.zh}（${r.rule}）`, value: `${r.enabled ? '启用' : '停用'} ${JSON.stringify(r.params)}` }).commit();
  vs.addRow({ kind: '签名公钥', name: 'Ed25519 SHA-256 指纹', value: key.fingerprint }).commit();
  vs.addRow({ kind: '存储库', name: store.storeId, value: `schema ${store.schemaVersion}` }).commit();
  vs.commit();

  await wb.commit();
  return { out: o.out, sheets: ['概览', '命中明细', '员工排名', '复核与案件', '词库与规则版本'], hits: written, fingerprint: key.fingerprint };
}
