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
