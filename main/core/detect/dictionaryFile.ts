/**
 * Dictionaries as compliance managers keep them: .xlsx, .csv or .json, Chinese or English
 * headers and values. Parsing never applies anything: it returns the entries and every row's
 * error, so the window can preview before a version is made.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { CoreError } from '../api/errors.js';
import { readTable } from '../people/tabular.js';
import { CATEGORIES, SEVERITIES, type Category, type Entry, type Severity, type Side } from './types.js';

export type RowError = { row: number; reason: string };
export type ParsedDictionary = { name: string | null; entries: Entry[]; errors: RowError[] };

const CATEGORY_LABELS: Record<string, Category> = {
  承诺保本保收益: 'guarantee', 引流私下沟通: 'diversion', 私人账户收款: 'private_transfer', 飞单私售: 'off_book',
  客户个人信息: 'pii', 投诉与监管: 'complaint', 违规返利馈赠: 'gift', 行为规则: 'behaviour',
};
export const CATEGORY_ZH: Record<Category, string> = Object.fromEntries(Object.entries(CATEGORY_LABELS).map(([zh, k]) => [k, zh])) as Record<Category, string>;
const SEVERITY_LABELS: Record<string, Severity> = { 高: 'high', 中: 'medium', 低: 'low' };
export const SEVERITY_ZH: Record<Severity, string> = { high: '高', medium: '中', low: '低' };
const MATCH_LABELS: Record<string, Entry['match']> = { 字面: 'literal', 文字: 'literal', 正则: 'regex', 正则表达式: 'regex', 邻近: 'proximity', 近邻: 'proximity' };
const SIDE_LABELS: Record<string, Side> = { 员工: 'staff', 客户: 'customer', 双方: 'both', 全部: 'both' };
const YES = new Set(['是', 'y', 'yes', 'true', '1', '启用', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '停用', '']);

const COLUMNS: { key: keyof Entry | 'id'; aliases: string[] }[] = [
  { key: 'id', aliases: ['编号', 'id', '规则编号'] },
  { key: 'term', aliases: ['词条', '敏感词', 'term', '关键词'] },
  { key: 'category', aliases: ['类别', '分类', 'category'] },
  { key: 'severity', aliases: ['级别', '风险等级', '严重程度', 'severity'] },
  { key: 'match', aliases: ['匹配方式', 'match', '类型'] },
  { key: 'termB', aliases: ['词条b', '邻近词', 'termb', 'term b'] },
  { key: 'window', aliases: ['距离', '间隔字数', 'window'] },
  { key: 'exclusions', aliases: ['排除词', '例外', 'exclusions'] },
  { key: 'negatable', aliases: ['否定排除', '否定', 'negatable'] },
  { key: 'side', aliases: ['适用方', '适用对象', 'side'] },
  { key: 'boundary', aliases: ['分词边界', 'boundary'] },
  { key: 'enabled', aliases: ['启用', 'enabled'] },
  { key: 'note', aliases: ['依据', '监管依据', '备注', 'note'] },
];
const norm = (h: string) => h.replace(/[\s_（）()]/g, '').toLowerCase();

/** One entry from loose values (a JSON object or a spreadsheet row); throws a reason. */
export function toEntry(v: Record<string, unknown>, fallbackId: string): Entry {
  const s = (x: unknown) => (x === undefined || x === null ? '' : String(x).trim());
  const term = s(v.term);
  if (!term) throw new Error('缺少词条 / term is empty');
  const catRaw = s(v.category);
  const category = (CATEGORIES as readonly string[]).includes(catRaw) ? (catRaw as Category) : CATEGORY_LABELS[catRaw];
  if (!category || category === 'behaviour') throw new Error(`类别无效：${catRaw || '(空)'} / unknown category`);
  const sevRaw = s(v.severity).toLowerCase();
  const severity = (SEVERITIES as readonly string[]).includes(sevRaw) ? (sevRaw as Severity) : SEVERITY_LABELS[sevRaw];
  if (!severity) throw new Error(`级别无效：${sevRaw || '(空)'}（高/中/低）/ severity must be high, medium or low`);
  const matchRaw = s(v.match) || 'literal';
  const match = (['literal', 'regex', 'proximity'] as const).find((m) => m === matchRaw.toLowerCase()) ?? MATCH_LABELS[matchRaw];
  if (!match) throw new Error(`匹配方式无效：${matchRaw} / match must be literal, regex or proximity`);
  const entry: Entry = { id: s(v.id) || fallbackId, term, category, severity, match };
  if (match === 'regex') {
    try {
      new RegExp(term, 'u');
    } catch (e) {
      throw new Error(`正则表达式无法编译：${(e as Error).message} / the regular expression does not compile`);
    }
  }
  if (match === 'proximity') {
    entry.termB = s(v.termB);
    if (!entry.termB) throw new Error('邻近匹配需要词条B / proximity needs termB');
    const w = Number(s(v.window) || '10');
    if (!Number.isInteger(w) || w < 0 || w > 200) throw new Error('距离须为 0–200 的整数 / window must be a whole number 0–200');
    entry.window = w;
  }
  const ex = Array.isArray(v.exclusions) ? v.exclusions.map(String) : s(v.exclusions).split(/[|｜;；\n]/);
  const exclusions = ex.map((x) => x.trim()).filter(Boolean);
  if (exclusions.length) entry.exclusions = exclusions;
  const flag = (x: unknown, name: string, dflt: boolean): boolean => {
    if (typeof x === 'boolean') return x;
    const t = s(x).toLowerCase();
    if (!t) return dflt;
    if (YES.has(t)) return true;
    if (NO.has(t)) return false;
    throw new Error(`${name} 应为 是/否 / ${name} must be yes or no`);
  };
  entry.negatable = flag(v.negatable, 'negatable', false);
  entry.boundary = flag(v.boundary, 'boundary', false);
  entry.enabled = flag(v.enabled, 'enabled', true);
  const sideRaw = s(v.side) || 'both';
  const side = (['staff', 'customer', 'both'] as const).find((x) => x === sideRaw.toLowerCase()) ?? SIDE_LABELS[sideRaw];
  if (!side) throw new Error(`适用方无效：${sideRaw}（员工/客户/双方）/ side must be staff, customer or both`);
  entry.side = side;
  if (s(v.note)) entry.note = s(v.note);
  return entry;
}

function finish(name: string | null, raw: { row: number; value: Record<string, unknown> }[]): ParsedDictionary {
  const entries: Entry[] = [];
  const errors: RowError[] = [];
  const ids = new Map<string, number>();
  for (const { row, value } of raw) {
    try {
      const e = toEntry(value, `R${row}`);
      const prior = ids.get(e.id);
      if (prior !== undefined) throw new Error(`编号与第 ${prior} 行重复：${e.id} / duplicate id of row ${prior}`);
      ids.set(e.id, row);
      entries.push(e);
    } catch (err) {
      errors.push({ row, reason: (err as Error).message });
    }
  }
  return { name, entries, errors };
}

export async function parseDictionaryFile(file: string): Promise<ParsedDictionary> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CoreError('rejected', `词库 JSON 无法解析：${file}（${(e as Error).message}）`, `The dictionary JSON cannot be parsed: ${file} (${(e as Error).message})`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { entries?: unknown }).entries;
    if (!Array.isArray(list)) throw new CoreError('rejected', `词库 JSON 应为数组或含 entries 的对象：${file}`, `The dictionary JSON must be an array or an object with entries: ${file}`);
    const name = Array.isArray(doc) ? null : String((doc as { name?: unknown }).name ?? '') || null;
    return finish(name, list.map((value, i) => ({ row: i + 1, value: (value ?? {}) as Record<string, unknown> })));
  }
  const table = await readTable(file);
  const index = new Map<string, number>();
  table.headers.forEach((h, i) => {
    const col = COLUMNS.find((c) => c.aliases.some((a) => norm(a) === norm(h)));
    if (col && !index.has(col.key)) index.set(col.key, i);
  });
  for (const need of ['term', 'category', 'severity']) {
    if (!index.has(need)) {
      const aliases = COLUMNS.find((c) => c.key === need)!.aliases;
      throw new CoreError('rejected', `${file}：缺少必需的列「${aliases[0]}」，未应用任何内容`, `${file}: required column "${need}" is missing; nothing was applied`);
    }
  }
  return finish(
    null,
    table.rows.map((r) => ({ row: r.row, value: Object.fromEntries([...index].map(([k, i]) => [k, r.cells[i] ?? ''])) })),
  );
}

const HEADERS = ['编号', '词条', '类别', '级别', '匹配方式', '词条B', '距离', '排除词', '否定排除', '适用方', '分词边界', '启用', '依据'];
function row(e: Entry): (string | number)[] {
  const yes = (b: boolean | undefined) => (b ? '是' : '否');
  return [e.id, e.term, CATEGORY_ZH[e.category], SEVERITY_ZH[e.severity], { literal: '字面', regex: '正则', proximity: '邻近' }[e.match], e.termB ?? '', e.window ?? '', (e.exclusions ?? []).join('|'), yes(e.negatable), { staff: '员工', customer: '客户', both: '双方' }[e.side ?? 'both'], yes(e.boundary), yes(e.enabled !== false), e.note ?? ''];
}

export async function writeDictionaryFile(file: string, name: string, entries: Entry[]): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') {
    fs.writeFileSync(file, JSON.stringify({ name, entries }, null, 2));
  } else if (ext === '.csv') {
    const q = (v: string | number) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    fs.writeFileSync(file, '\ufeff' + [HEADERS, ...entries.map(row)].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n');
  } else if (ext === '.xlsx') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('词库', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(HEADERS).font = { bold: true };
    for (const e of entries) ws.addRow(row(e));
    ws.columns.forEach((c, i) => (c.width = [10, 22, 14, 6, 8, 12, 6, 30, 8, 8, 8, 6, 60][i] ?? 12));
    ws.autoFilter = { from: 'A1', to: 'M1' };
    await wb.xlsx.writeFile(file);
  } else {
    throw new CoreError('usage', `不支持的词库格式：${ext}（.xlsx/.csv/.json）`, `Unsupported dictionary format: ${ext} (.xlsx, .csv or .json)`);
  }
}
