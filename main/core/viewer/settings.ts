/** Per-store settings a person changes in the window (kept in the encrypted store's meta table). */
import type { Settings } from '../../../preload/api.js';
import type { Db } from '../store/index.js';

const DEFAULTS: Settings = { idleLockMinutes: 15 };

export function getSettings(db: Db): Settings {
  const v = db.prepare(`SELECT value FROM meta WHERE key = 'settings'`).pluck().get() as string | undefined;
  return { ...DEFAULTS, ...(v ? (JSON.parse(v) as Partial<Settings>) : {}) };
}

export function setSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = { ...getSettings(db), ...patch };
  db.prepare(`INSERT INTO meta(key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(next));
  return next;
}
