/**
 * CSV cells for the renderer (the audit log saved as CSV) and for the core where it writes CSV:
 * one place that decides what a spreadsheet program may read as a formula. Pure, with no imports,
 * so that the browser page and Node can both load it (test/unit/layering.test.ts keeps it so).
 *
 * Excel, LibreOffice and WPS may run a cell that starts with = + - @ as a formula, and one that
 * starts with TAB or CR too (some trim those first): text from an archive, or a user name such as
 * `-1-1`, would be evaluated in the reader's spreadsheet. Such text cells get a leading apostrophe,
 * which the programs show as text (OWASP's advice on CSV injection). Workbooks written by exceljs
 * need none of this: their text cells are typed strings (`t="s"`), never formulas.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that a spreadsheet program could run as a formula, made inert with a leading apostrophe. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV cell: text neutralised and quoted where needed; numbers as they are; objects as JSON. */
export function csvCell(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  const safe = neutralizeFormula(text);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
