/** Display helpers. Times are shown in Beijing time (UTC+8, no daylight saving) whatever the PC's zone. */
import type { Lang } from './i18n.js';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** epoch ms → "2024-06-01 09:30:05" in Beijing time; null → null */
export function beijingTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** epoch ms → "2024-06-01" (the Beijing calendar day) */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2024-06-01" (a Beijing calendar day) → epoch ms of its midnight in Beijing */
export function beijingMidnight(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - BEIJING_OFFSET_MS;
}

export const DAY_MS = 24 * 3600 * 1000;

export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

export function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

export function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : '';
}

/** bytes → "1.2 MB" (binary units, as file managers on Windows show them) */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** an amount in fen (1/100 yuan) → "666.00"; null when it is not a number */
export function yuanOf(fen: unknown): string | null {
  const n = typeof fen === 'number' ? fen : typeof fen === 'string' && fen.trim() ? Number(fen) : NaN;
  if (!Number.isFinite(n)) return null;
  return (n / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** seconds → "3:05" (or "1:02:03") */
export function formatSeconds(s: unknown): string | null {
  const n = typeof s === 'number' ? s : typeof s === 'string' && s.trim() ? Number(s) : NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  const total = Math.round(n);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * A time inside a message body: seconds in most bodies, milliseconds in some (chatrecord items
 * carry both). Anything below 10^11 is read as seconds. Returns epoch ms, or null.
 */
export function bodyTime(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  return n < 1e11 ? n * 1000 : n;
}
