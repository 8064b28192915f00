/** Cron presets for the schedule form, and a plain-words reading of the common shapes of an expression. */
import type { MessageKey } from '../../shared/messages.js';

export const CRON_PRESETS: { id: string; cron: string; label: MessageKey }[] = [
  { id: 'daily7', cron: '0 7 * * *', label: 'sched.preset.daily7' },
  { id: 'daily12', cron: '0 12 * * *', label: 'sched.preset.daily12' },
  { id: 'daily18', cron: '0 18 * * *', label: 'sched.preset.daily18' },
  { id: 'hourly', cron: '0 * * * *', label: 'sched.preset.hourly' },
  { id: 'weekly', cron: '0 7 * * 1', label: 'sched.preset.weekly' },
  { id: 'monthly', cron: '0 7 1 * *', label: 'sched.preset.monthly' },
];

export function presetOf(cron: string): string {
  const norm = cron.trim().replace(/\s+/g, ' ');
  return CRON_PRESETS.find((p) => p.cron === norm)?.id ?? 'custom';
}

const num = (s: string | undefined, max: number) => (s !== undefined && /^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : null);
const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

/**
 * "每天 07:00", "每周一 07:00", "每月 1 日 07:00", "每小时整点", "每 15 分钟"; null for any other
 * shape (six fields, ranges, lists…), which is then shown as the expression alone.
 */
export function describeCron(expr: string, t: (k: MessageKey, v?: Record<string, string | number>) => string): string | null {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const [mi, ho, dom, mon, dow] = f as [string, string, string, string, string];
  if (mon !== '*') return null;
  const m = num(mi, 59);
  const h = num(ho, 23);
  if (m !== null && h !== null) {
    const time = hhmm(h, m);
    if (dom === '*' && dow === '*') return t('sched.desc.daily', { time });
    const wd = num(dow, 7);
    if (dom === '*' && wd !== null) return t('sched.desc.weekly', { dow: t('sched.dow').split(',')[wd]!, time });
    const d = num(dom, 31);
    if (d !== null && d > 0 && dow === '*') return t('sched.desc.monthly', { d, time });
    return null;
  }
  if (ho === '*' && dom === '*' && dow === '*') {
    if (m !== null) return m === 0 ? t('sched.desc.hourly0') : t('sched.desc.hourly', { m });
    const every = /^\*\/(\d{1,2})$/.exec(mi);
    if (every) return t('sched.desc.minutes', { n: Number(every[1]) });
  }
  return null;
}
