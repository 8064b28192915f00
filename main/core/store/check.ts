/**
 * Is the store what this app wrote? `store check`, and the cheaper forms run by themselves where
 * they cost little:
 * - full (`store check`): every page's authentication from the raw file (pages.ts), SQLite's
 *   integrity_check and foreign_key_check, and the audit chain with its anchor and every break
 *   recorded in the keyring;
 * - after an unclean shutdown (openStore, before anything writes): pages and quick_check;
 * - before a report or an evidence pack: pages and the audit chain as it stands. The page pass is
 *   the cheap part (about 2 s per GiB, 1M messages ≈ 1.2 GiB); quick_check alone takes 15 s there
 *   and integrity_check 21 s, so those stay in `store check` and the crash path.
 */
import type { StoreCheck, StoreProblem } from '../../../preload/api.js';
import { busyError, CoreError, damagedRemedy, isStoreBusy, isStoreDamage } from '../api/errors.js';
import { verifyAudit } from '../review/audit.js';
import type { Db, Store } from './index.js';
import { PAGE_SIZE, verifyPages } from './pages.js';

export type CheckLevel = 'full' | 'open' | 'quick';

const SQLITE_LISTED = 100;

/** The page pass under a read lock, so no other process commits while the file is read. */
function pagesLocked(db: Db, dbPath: string, dataKey: Buffer): ReturnType<typeof verifyPages> {
  if (db.inTransaction) return verifyPages(dbPath, dataKey);
  db.exec('BEGIN');
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // takes the shared lock
    return verifyPages(dbPath, dataKey);
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}

function sqliteProblem(zh: string, en: string): StoreProblem {
  return { area: 'sqlite', problem: `${zh} / ${en}` };
}

function pragmaCheck(db: Db, pragma: 'integrity_check' | 'quick_check'): StoreProblem[] {
  try {
    const rows = db.pragma(`${pragma}(${SQLITE_LISTED})`, { simple: false }) as Record<string, string>[];
    // one finding a row, or several in one row a line each (as this SQLite build reports them)
    const said = rows.flatMap((r) => String(Object.values(r)[0]).split('\n')).filter((s) => s && !s.startsWith('*** in database'));
    if (said.length === 1 && said[0] === 'ok') return [];
    return said.slice(0, SQLITE_LISTED).map((s) => sqliteProblem(`SQLite ${pragma}：${s}`, `SQLite ${pragma}: ${s}`));
  } catch (e) {
    if (isStoreBusy(e)) throw busyError();
    return [sqliteProblem(`SQLite ${pragma} 无法完成：${(e as Error).message}`, `SQLite ${pragma} could not finish: ${(e as Error).message}`)];
  }
}

function foreignKeyCheck(db: Db): StoreProblem[] {
  try {
    const rows = db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number | null; parent: string }[];
    const listed = rows.slice(0, SQLITE_LISTED).map((r) => sqliteProblem(`表 ${r.table} 第 ${r.rowid ?? '?'} 行引用的 ${r.parent} 记录不存在`, `row ${r.rowid ?? '?'} of ${r.table} refers to a ${r.parent} row that does not exist`));
    if (rows.length > SQLITE_LISTED) listed.push(sqliteProblem(`另有 ${rows.length - SQLITE_LISTED} 处外键不符`, `${rows.length - SQLITE_LISTED} more foreign-key violations`));
    return listed;
  } catch (e) {
    if (isStoreBusy(e)) throw busyError();
    return [sqliteProblem(`SQLite foreign_key_check 无法完成：${(e as Error).message}`, `SQLite foreign_key_check could not finish: ${(e as Error).message}`)];
  }
}

/**
 * The audit chain: its hashes, its anchor outside the database and, in the full check, every
 * break recorded for good. The quick form leaves the recorded breaks out: they are history
 * (shown by `log verify` and `store check`), and would otherwise block every later report.
 */
function auditCheck(db: Db, dbPath: string, history: boolean): StoreProblem[] {
  try {
    return verifyAudit(db, dbPath, { history }).problems.map((p) => ({ area: 'audit' as const, seq: p.seq, problem: `审计日志${p.seq !== null ? `第 ${p.seq} 条` : ''}：${p.problem}` }));
  } catch (e) {
    if (isStoreBusy(e)) throw busyError();
    const msg = e instanceof CoreError ? e.message : (e as Error).message;
    return [{ area: 'audit', seq: null, problem: `审计日志无法读取：${msg} / the audit log cannot be read: ${msg}` }];
  }
}

/** The physical checks, on a connection that may not be a whole Store yet (openStore's gate). */
export function checkFile(db: Db, dbPath: string, dataKey: Buffer, level: CheckLevel): StoreCheck {
  const t0 = performance.now();
  const r = pagesLocked(db, dbPath, dataKey);
  const problems = [...r.problems];
  const checked = ['pages'];
  // Once a page fails authentication SQLite3MC puts the connection in an error state, and SQLite's
  // own checks then only repeat "unable to get the page" for every tree: the page list says it.
  const sqliteChecks = r.problems.length ? [] : level === 'full' ? (['integrity_check', 'foreign_key_check'] as const) : level === 'open' ? (['quick_check'] as const) : [];
  for (const c of sqliteChecks) {
    problems.push(...(c === 'foreign_key_check' ? foreignKeyCheck(db) : pragmaCheck(db, c)));
    checked.push(c);
  }
  return { ok: problems.length === 0, pages: r.pages, problems, checked, tookMs: Math.round(performance.now() - t0) };
}

export function checkStore(store: Store, level: CheckLevel = 'full'): StoreCheck {
  const t0 = performance.now();
  const physical = checkFile(store.db, store.dbPath, store.dataKey, level);
  if (level === 'open') return physical;
  const problems = [...physical.problems, ...auditCheck(store.db, store.dbPath, level === 'full')];
  return { ok: problems.length === 0, pages: physical.pages, problems, checked: [...physical.checked, 'audit'], tookMs: Math.round(performance.now() - t0) };
}

const zhOf = (p: StoreProblem) => p.problem.split(' / ')[0]!;
const enOf = (p: StoreProblem) => p.problem.split(' / ').slice(1).join(' / ') || p.problem;

/** The error a damaged store gives, carrying the check (the CLI's `store check` prints it). */
export function damagedStoreError(check: StoreCheck, dbPath: string, lead?: { zh: string; en: string }): CoreError {
  const shown = check.problems.slice(0, 3);
  const more = check.problems.length - shown.length;
  const { zh, en } = damagedRemedy(dbPath);
  return new CoreError(
    'integrity',
    `${lead ? `${lead.zh}，` : ''}存储库已损坏：${shown.map(zhOf).join('；')}${more > 0 ? `；另有 ${more} 处` : ''}。${zh}。`,
    `${lead ? `${lead.en}; the` : 'The'} store is damaged: ${shown.map(enOf).join('; ')}${more > 0 ? `; ${more} more` : ''}. ${en}.`,
    check,
  );
}

/**
 * Runs fn; when SQLite finds damage on the way (a page that fails authentication), closes the
 * store and throws the damaged-store error with the page pass, so that even `store check`, whose
 * unlock writes a login entry, names the page instead of failing on it.
 */
export function explainDamage<T>(store: Store, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isStoreDamage(e)) throw e;
    const check = checkFile(store.db, store.dbPath, store.dataKey, 'quick');
    const said = sqliteProblem(`SQLite 读取时报错：${(e as Error).message}`, `SQLite failed reading it: ${(e as Error).message}`);
    store.close();
    throw damagedStoreError({ ...check, ok: false, problems: check.problems.length ? check.problems : [said] }, store.dbPath);
  }
}

/** Before a report or an evidence pack: refuse to build one from a damaged store. */
export function assertIntact(store: Store, what: { zh: string; en: string }): void {
  const check = checkStore(store, 'quick');
  if (!check.ok) throw damagedStoreError(check, store.dbPath, { zh: `不能生成${what.zh}`, en: `No ${what.en} can be made` });
}

/**
 * The file does not open (SQLite refused it) although the keyring unwrapped the key: is it this
 * store, damaged, or some other file? Pages that authenticate with this key prove it is this
 * store; a file with none is another file (or this one beyond recognition).
 */
export function unreadableStoreError(dbPath: string, dataKey: Buffer, cause: unknown): CoreError {
  if (cause instanceof CoreError) return cause;
  if (isStoreBusy(cause)) return busyError();
  const t0 = performance.now();
  const r = verifyPages(dbPath, dataKey);
  if (r.authentic === 0) {
    return new CoreError('passphrase', `无法解密：文件不是本应用的存储库，或已损坏：${dbPath}`, `Cannot decrypt: the file is not a store of this app, or it is damaged: ${dbPath}`);
  }
  const problems = r.problems.length ? r.problems : [sqliteProblem(`SQLite 无法打开：${(cause as Error).message}`, `SQLite cannot open it: ${(cause as Error).message}`)];
  return damagedStoreError({ ok: false, pages: r.pages, problems, checked: ['pages'], tookMs: Math.round(performance.now() - t0) }, dbPath);
}

/**
 * What every open checks, for the price of a stat: the file holds whole pages, exactly as many as
 * SQLite counts (a byte cut off the end lands in a page's unauthenticated padding and nothing
 * else would notice). Under a read lock, so a writer elsewhere cannot be caught midway.
 */
export function sizeMatches(db: Db, fileSize: () => number): boolean {
  db.exec('BEGIN');
  try {
    const counted = db.pragma('page_count', { simple: true }) as number;
    const size = fileSize();
    return size % PAGE_SIZE === 0 && size / PAGE_SIZE === counted;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
