/**
 * One writer at a time per store, by design. The long writes (import, search indexing, scans)
 * run as many transactions, so SQLite's own lock only serialises them batch by batch: two at
 * once interleave, one of them meets "database is locked" half-way, and what it committed is
 * left unindexed or unscanned. So each of them first takes this lock: a file beside the store
 * (`F.writer`) made with O_EXCL, naming the process, the operation and the user, and touched
 * while held. A second writer — another process or the same window — waits for it (with a
 * message) or is refused with a clear error, never "database is locked".
 *
 * A holder killed with kill -9 leaves the file behind: it is stale when its process is gone
 * (same machine) or it has not been touched for STALE_MS (another machine, or a reused pid),
 * and the next writer takes it over. Whatever the dead writer committed is completed by the
 * next run, because indexing and scanning continue from their watermarks.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreError } from '../api/errors.js';
import { pidAlive } from '../tempFiles.js';

export type WriterOp = 'import' | 'index' | 'scan' | 'ingest' | 'retention';
export type WriterHolder = { pid: number; host: string; op: WriterOp; user: string; startedAt: number; token: string };
export type WriterLock = { holder: WriterHolder; release(): void };

const OP_ZH: Record<WriterOp, string> = { import: '导入', index: '建立搜索索引', scan: '扫描', ingest: '导入、索引和扫描', retention: '到期处置' };
const HEARTBEAT_MS = 5_000;
/** a holder that has not touched its file for this long is gone, whatever its pid says */
export const STALE_MS = 60_000;
const POLL_MS = 200;

/** locks this process holds, by token, with their files: a second writer in the same window waits too */
const heldHere = new Map<string, { holder: WriterHolder; file: string }>();

export const writerLockPath = (dbPath: string) => `${path.resolve(dbPath)}.writer`;


function readHolder(file: string): { holder: WriterHolder | null; touchedAt: number } | null {
  try {
    const touchedAt = fs.statSync(file).mtimeMs;
    let holder: WriterHolder | null = null;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as WriterHolder;
    } catch {
      holder = null; // being written this instant, or garbage: judged by its age alone
    }
    return { holder, touchedAt };
  } catch {
    return null; // released meanwhile
  }
}

function isStale(found: { holder: WriterHolder | null; touchedAt: number }, now: number): boolean {
  if (now - found.touchedAt > STALE_MS) return true;
  const h = found.holder;
  if (!h) return false;
  if (h.host === os.hostname() && h.pid !== process.pid && !pidAlive(h.pid)) return true;
  // our own pid but not in our table: a previous life of this pid (or a copied store)
  return h.host === os.hostname() && h.pid === process.pid && !heldHere.has(h.token);
}

function tryTake(file: string, holder: WriterHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new CoreError('internal', `无法创建写入锁文件 ${file}：${(e as Error).message}`, `Cannot create the writer lock ${file}: ${(e as Error).message}`);
  }
  try {
    fs.writeSync(fd, JSON.stringify(holder));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Removes a stale lock; a rename first, so that two processes taking it over cannot both succeed. */
function breakStale(file: string): void {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // someone else broke it (or it was released) first
  }
  fs.rmSync(aside, { force: true });
}

const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 19);

export function writerBusyError(holder: WriterHolder | null, waitedMs: number): CoreError {
  const who = holder
    ? { zh: `用户 ${holder.user} 正在${OP_ZH[holder.op] ?? holder.op}（进程 ${holder.pid}，${holder.host}，北京时间 ${beijing(holder.startedAt)} 开始）`, en: `${holder.user} is running ${holder.op} (process ${holder.pid} on ${holder.host}, started ${beijing(holder.startedAt)} Beijing time)` }
    : { zh: '另一个写入操作正在进行', en: 'another write is running' };
  const waited = waitedMs > 0 ? { zh: `，已等待 ${Math.round(waitedMs / 1000)} 秒`, en: `; waited ${Math.round(waitedMs / 1000)} s` } : { zh: '', en: '' };
  return new CoreError(
    'busy',
    `存储库正忙：${who.zh}${waited.zh}。同一时间只能有一个导入、索引或扫描；请等它完成后再试，已提交的部分会由下一次运行补全`,
    `The store is busy: ${who.en}${waited.en}. Only one import, indexing or scan runs at a time; try again when it has finished — whatever it committed is completed by the next run`,
    { holder },
  );
}

/**
 * Takes the store's writer lock, waiting up to `waitMs` (0: refuse at once). `onWait` is called
 * once, when the wait begins, so a host can say who it waits for.
 */
export async function acquireWriter(
  dbPath: string,
  op: WriterOp,
  user: string,
  opts: { waitMs?: number; onWait?: (holder: WriterHolder | null) => void; signal?: AbortSignal } = {},
): Promise<WriterLock> {
  const file = writerLockPath(dbPath);
  const holder: WriterHolder = { pid: process.pid, host: os.hostname(), op, user, startedAt: Date.now(), token: crypto.randomUUID() };
  const started = Date.now();
  const waitMs = opts.waitMs ?? 0;
  let told = false;
  for (;;) {
    // first the lock held by this very process (the window, a schedule beside a manual run)
    const mine = [...heldHere.values()].find((h) => h.file === file)?.holder;
    if (!mine) {
      if (tryTake(file, holder)) break;
      const found = readHolder(file);
      if (found && isStale(found, Date.now())) {
        breakStale(file);
        continue;
      }
      if (!found) continue;
    }
    const current = mine ?? readHolder(file)?.holder ?? null;
    const waited = Date.now() - started;
    if (waited >= waitMs || opts.signal?.aborted) throw writerBusyError(current, waited);
    if (!told) {
      told = true;
      opts.onWait?.(current);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  heldHere.set(holder.token, { holder, file });
  const beat = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      /* gone: release will notice nothing to remove */
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    holder,
    release: () => {
      if (released) return;
      released = true;
      clearInterval(beat);
      heldHere.delete(holder.token);
      // only our own lock: never one that replaced ours after we were judged stale
      const found = readHolder(file);
      if (found?.holder?.token === holder.token) fs.rmSync(file, { force: true });
    },
  };
}

/** Runs `fn` holding the writer lock, and releases it on every path. */
export async function withWriter<T>(
  dbPath: string,
  op: WriterOp,
  user: string,
  opts: { waitMs?: number; onWait?: (holder: WriterHolder | null) => void; signal?: AbortSignal },
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await acquireWriter(dbPath, op, user, opts);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
