/**
 * Unclean-shutdown detection: while a process has the store open (every open may write), a small
 * marker `<db>.open-<pid>` lies beside it, removed on a clean close. A marker found at open whose
 * process is gone means the last session was killed, crashed or lost power: openStore then checks
 * the store before anything writes to it (main/core/store/check.ts).
 * One marker per process, so a second process opening the same store (the desktop app and a
 * command) neither hides nor removes the first one's. It holds no data and no key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive } from '../tempFiles.js';

export type Marker = { file: string; pid: number; host: string; at: number };

const PREFIX = '.open-';
/** this process's markers and how many of its connections hold each (tests open a store twice) */
const mine = new Map<string, number>();

export function markerPath(dbPath: string, pid = process.pid): string {
  return `${dbPath}${PREFIX}${pid}`;
}

/** Best effort: a folder that refuses the marker refuses the store's journal too, and says so then. */
export function writeMarker(dbPath: string): string | null {
  const file = markerPath(dbPath);
  try {
    if (!mine.has(file)) fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }), { mode: 0o600 });
    mine.set(file, (mine.get(file) ?? 0) + 1);
    return file;
  } catch {
    return null;
  }
}

/** A clean close: the last of this process's connections to the store removes its marker. */
export function releaseMarker(file: string | null): void {
  if (!file) return;
  const left = (mine.get(file) ?? 1) - 1;
  if (left > 0) {
    mine.set(file, left);
    return;
  }
  mine.delete(file);
  fs.rmSync(file, { force: true });
}

/** A stale marker, once the store it points at has passed its check. */
export function removeStale(m: Marker): void {
  if (!mine.has(m.file)) fs.rmSync(m.file, { force: true });
}


/**
 * Markers left by processes that are gone: not running on this host, started before the last boot
 * (a reused pid is not the writer), unreadable (cut short by the crash itself), or from another
 * host (a store on a shared folder: the check costs time, never data).
 */
export function staleMarkers(dbPath: string): Marker[] {
  const dir = path.dirname(dbPath);
  const prefix = `${path.basename(dbPath)}${PREFIX}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)));
  } catch {
    return [];
  }
  const bootedAt = Date.now() - os.uptime() * 1000;
  const stale: Marker[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const pid = Number(name.slice(prefix.length));
    let m: { host?: unknown; at?: unknown } = {};
    try {
      m = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof m;
    } catch {
      /* cut short: stale */
    }
    const host = typeof m.host === 'string' ? m.host : '';
    const at = typeof m.at === 'number' ? m.at : 0;
    // our own pid on a marker this process did not write: an earlier process that had the same pid
    const gone = pid === process.pid ? !mine.has(file) : host !== os.hostname() || at < bootedAt || !pidAlive(pid);
    if (gone) stale.push({ file, pid, host, at });
  }
  return stale;
}
