/**
 * Rows out of a spreadsheet a person made: .xlsx (exceljs) or .csv in UTF-8 (with or without
 * BOM) or GBK/GB18030, which is what Excel on Chinese Windows writes. Row numbers are the
 * ones the person sees in Excel (header = row 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CoreError } from '../api/errors.js';

export type Row = { row: number; cells: string[] };
export type Table = { headers: string[]; rows: Row[] };

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes); // a superset of GBK
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

export async function readTable(file: string): Promise<Table> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CoreError('rejected', `无法读取文件：${file}（${(e as NodeJS.ErrnoException).code}）`, `Cannot read file: ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
  const ext = path.extname(file).toLowerCase();
  let grid: string[][];
  if (ext === '.xlsx' || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (e) {
      throw new CoreError('rejected', `不是有效的 Excel 文件：${file}（${(e as Error).message}）`, `Not a valid Excel file: ${file} (${(e as Error).message})`);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new CoreError('rejected', `Excel 文件没有工作表：${file}`, `The workbook has no sheet: ${file}`);
    grid = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cellText(cell.value).trim()));
      grid[n - 1] = Array.from(cells, (c) => c ?? '');
    });
    grid = Array.from(grid, (r) => r ?? []);
  } else {
    try {
      grid = parseCsv(decodeText(bytes), { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
    } catch (e) {
      throw new CoreError('rejected', `CSV 格式错误：${file}（${(e as Error).message}）`, `Malformed CSV: ${file} (${(e as Error).message})`);
    }
  }
  const headerIndex = grid.findIndex((r) => r.some((c) => c.trim()));
  if (headerIndex < 0) throw new CoreError('rejected', `文件为空：${file}`, `The file is empty: ${file}`);
  const headers = grid[headerIndex]!.map((h) => h.trim());
  const rows: Row[] = [];
  for (let i = headerIndex + 1; i < grid.length; i++) {
    const cells = grid[i]!;
    if (cells.some((c) => c.trim())) rows.push({ row: i + 1, cells });
  }
  return { headers, rows };
}
