/**
 * Temp-file hygiene. Outputs that hold content (evidence packs, report workbooks, the keyring) are
 * written to `<out>.tmp-<pid>` and renamed over `<out>` only when whole, so a reader never sees half a
 * file; a write that fails (a full disk) removes its temp file before the error goes on. A process
 * killed mid-write cannot clean up, so what it leaves can be found again by the next one:
 *
 * - every such temp file is first noted in a registry of this user's pending writes (one small file
 *   per write, holding only the temp path, in `<os.tmpdir()>/wecom-audit-pending-<uid>`); an entry
 *   whose process is gone names a stale temp file, which is removed with the entry. The output folder
 *   can be anywhere, so this is the only way to find those.
 * - temp files beside a store (`<db>.keyring.tmp-<pid>`) are also found by looking beside the store.
 * - the headless Chromium's profile folders are `wecom-pdf-<pid>-XXXXXX` in the temp folder; one whose
 *   process is gone is removed (they hold no message content, but nothing of ours should pile up).
 *
 * A pid that is alive (ours, or one reused by another program) keeps its files: cleaning never
 * removes what a live process may still be writing. Cleaning is best effort and never throws.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PDF_DIR_PREFIX = 'wecom-pdf-';
/** profile folders by the printer before they carried a pid: removed once older than any print can run */
const LEGACY_PDF_DIR = /^wecom-pdf-[A-Za-z0-9]{6}$/;
const PDF_DIR = /^wecom-pdf-(\d+)-[A-Za-z0-9]{6}$/;
const LEGACY_MAX_AGE_MS = 60 * 60_000;
/** `<anything>.tmp-<pid>` with an optional extension (the workbook keeps `.xlsx`) */
const TEMP_FILE = /\.tmp-(\d+)(\.[A-Za-z0-9]{1,8})?$/;

/** The temp file beside `target` for this process. */
export function tempPathFor(target: string, ext = ''): string {
  return `${target}.tmp-${process.pid}${ext}`;
}

/** Whether a process with this pid exists (EPERM: it does, another user's). */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This user's registry of pending temp files (made if missing), or null when it cannot be trusted or made. */
export function pendingRegistryDir(): string | null {
  const uid = process.getuid?.();
  const dir = path.join(os.tmpdir(), `wecom-audit-pending-${uid ?? os.userInfo().username.replace(/[^\w.-]/g, '_')}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // a folder someone else made (or a link) is not ours to trust
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) return null;
    return dir;
  } catch {
    return null;
  }
}

/** Notes a temp file in the registry; returns the entry to drop afterwards (null: none could be written). */
function register(tmp: string): string | null {
  const dir = pendingRegistryDir();
  if (!dir) return null;
  const entry = path.join(dir, `${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  try {
    fs.writeFileSync(entry, path.resolve(tmp), { mode: 0o600, flag: 'wx' });
    return entry;
  } catch {
    // a full disk may refuse even this; the write still cleans up after itself unless killed
    fs.rmSync(entry, { force: true });
    return null;
  }
}

function unregister(entry: string | null): void {
  if (entry) fs.rmSync(entry, { force: true });
}

/** Removes a temp file if it is there; errors are not the caller's concern. */
function discard(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // left for the next start's cleaning
  }
}

/** A temp file of ours may be there from a dead process that had our pid: start from nothing. */
function freshTemp(tmp: string): void {
  fs.rmSync(tmp, { force: true });
}

/**
 * Writes `data` to `target` whole or not at all: into `<target>.tmp-<pid>` (registered), flushed to
 * disk, then renamed over `target`. On any failure the temp file is removed and the error rethrown.
 */
export function writeFileAtomic(target: string, data: Uint8Array | string, opts: { mode?: number } = {}): void {
  const tmp = tempPathFor(target);
  const entry = register(tmp);
  try {
    freshTemp(tmp);
    const fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o666);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } finally {
    discard(tmp);
    unregister(entry);
  }
}

/**
 * For writers that need a file name (a streaming workbook): `write` fills the registered temp path,
 * which then replaces `target`. Whatever happens, the temp file does not outlive the call.
 */
export async function writeViaTemp<T>(target: string, ext: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(target, ext);
  const entry = register(tmp);
  try {
    freshTemp(tmp);
    const result = await write(tmp);
    fs.renameSync(tmp, target);
    return result;
  } finally {
    discard(tmp);
    unregister(entry);
  }
}

/** A private folder `wecom-pdf-<pid>-XXXXXX` for the headless Chromium's profile. */
export function makePdfTempDir(base = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(base, `${PDF_DIR_PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Stale profile folders in `base`: their process is gone (or, made before they carried a pid, they are old). */
export function cleanStalePdfDirs(base = os.tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  for (const name of namesIn(base)) {
    const m = PDF_DIR.exec(name);
    if (!m && !LEGACY_PDF_DIR.test(name)) continue;
    const full = path.join(base, name);
    try {
      const st = fs.lstatSync(full);
      if (!st.isDirectory() || !ownedByUs(st)) continue;
      if (m ? pidAlive(Number(m[1])) : now - st.mtimeMs < LEGACY_MAX_AGE_MS) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** The names in a folder; none when it cannot be read (gone, or not ours). */
function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function ownedByUs(st: fs.Stats): boolean {
  const uid = process.getuid?.();
  return uid === undefined || st.uid === uid;
}

/** A stale temp file: named `….tmp-<pid>[.ext]` for a pid that is gone, a plain file of ours. */
function removeIfStale(file: string, pid?: number): boolean {
  const m = TEMP_FILE.exec(path.basename(file));
  if (!m || (pid !== undefined && Number(m[1]) !== pid) || pidAlive(Number(m[1]))) return false;
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile() || !ownedByUs(st)) return false;
    fs.rmSync(file, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Registry entries of processes that are gone: their temp files (if still there) and the entries. */
function cleanRegistry(): string[] {
  const removed: string[] = [];
  const dir = pendingRegistryDir();
  if (!dir) return removed;
  for (const name of namesIn(dir)) {
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!pid || pidAlive(pid)) continue;
    const entry = path.join(dir, name);
    try {
      const tmp = fs.readFileSync(entry, 'utf8');
      // only a temp file of that very process: an entry cannot make us remove anything else
      if (path.isAbsolute(tmp) && removeIfStale(tmp, pid)) removed.push(tmp);
      fs.rmSync(entry, { force: true });
    } catch {
      // unreadable: left alone
    }
  }
  return removed;
}

/** Temp files beside a store (`<db>.keyring.tmp-<pid>`, `<db>.tmp-<pid>`) whose process is gone. */
export function cleanStaleBeside(dbPath: string): string[] {
  const removed: string[] = [];
  const dir = path.dirname(path.resolve(dbPath));
  const base = path.basename(dbPath);
  for (const name of namesIn(dir)) {
    if (!name.startsWith(`${base}.`) || !TEMP_FILE.test(name)) continue;
    const full = path.join(dir, name);
    if (removeIfStale(full)) removed.push(full);
  }
  return removed;
}

/**
 * Everything stale we can find: the registry's temp files, profile folders in the temp folder and,
 * given a store, temp files beside it. Called when a store is created or opened.
 */
export function cleanStaleTempFiles(opts: { dbPath?: string; tmpDir?: string } = {}): string[] {
  try {
    return [...cleanRegistry(), ...cleanStalePdfDirs(opts.tmpDir), ...(opts.dbPath ? cleanStaleBeside(opts.dbPath) : [])];
  } catch {
    return [];
  }
}
