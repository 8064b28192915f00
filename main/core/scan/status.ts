/**
 * Whether the hits on screen were found by the rules in force now. A changed dictionary or
 * behaviour rule applies to new messages at once, but the messages already scanned keep the hits
 * of the rules they were scanned with until a full rescan; the hits screen says so.
 */
import type { ScanStatus } from '../../../preload/api.js';
import { activeSet } from '../rules/dictionaries.js';
import type { Db } from '../store/index.js';
import { ruleSettings } from './behaviour.js';

/** The ruleset a scan records: the active dictionaries' versions and the behaviour rules' settings. */
export function currentRuleset(db: Db): string {
  return JSON.stringify({ dictionaries: activeSet(db).sources, behaviour: ruleSettings(db).map((r) => ({ rule: r.rule, enabled: r.enabled, params: r.params })) });
}

export function scanStatus(db: Db): ScanStatus {
  const finished = db.prepare('SELECT id, started_at AS at, full, ruleset FROM scans WHERE finished_at IS NOT NULL ORDER BY id DESC').all() as { id: number; at: number; full: number; ruleset: string }[];
  const lastFull = finished.find((s) => s.full);
  // what is stored was found by the last full scan and every scan after it (or by all scans, if none was full)
  const since = lastFull ? finished.filter((s) => s.id >= lastFull.id) : finished;
  const now = currentRuleset(db);
  const upto = Number(db.prepare(`SELECT value FROM meta WHERE key = 'scan_upto'`).pluck().get() ?? 0);
  return {
    lastScanAt: finished[0]?.at ?? null,
    lastFullScanAt: lastFull?.at ?? null,
    unscanned: db.prepare('SELECT count(*) FROM messages WHERE id > ?').pluck().get(upto) as number,
    rulesChanged: since.some((s) => s.ruleset !== now),
  };
}
