/**
 * Scanning: run the active dictionaries (and PII) over messages not yet scanned, or over all
 * with `full`, then the behaviour rules over the whole store, and reconcile with stored hits:
 * new ones are added, ones a changed dictionary or rule no longer finds are retired (kept, with
 * the scan that retired them, since reviews refer to them), so a rescan says what appeared and
 * what disappeared. Each batch is one transaction with the scan watermark.
 */
import type { ScanChange, ScanResult } from '../../../preload/api.js';
import type { Hit, Speaker } from '../detect/types.js';
import type { Db } from '../store/index.js';
import { activeSet, detectorFor, seedDefault } from '../rules/dictionaries.js';
import { ruleSettings, runBehaviour, Ctx } from './behaviour.js';

const BATCH = 20_000;
const LIST_LIMIT = 200;

export async function scan(db: Db, opts: { full?: boolean; user?: string; defaultDictionary?: string; onProgress?: (p: { scanned: number; total: number }) => void } = {}): Promise<ScanResult> {
  const started = Date.now();
  await seedDefault(db, opts.defaultDictionary);
  const set = activeSet(db);
  const detector = detectorFor(set);
  const dictOf = new Map(set.entries.map((e) => [e.id, e.dictionary]));
  const ruleset = JSON.stringify({ dictionaries: set.sources, behaviour: ruleSettings(db).map((r) => ({ rule: r.rule, enabled: r.enabled, params: r.params })) });
  const scanId = Number(db.prepare('INSERT INTO scans(started_at, full, ruleset, user) VALUES (?, ?, ?, ?)').run(started, opts.full ? 1 : 0, ruleset, opts.user ?? '').lastInsertRowid);
  const result: ScanResult = { scanId, scanned: 0, hits: 0, retired: 0, active: 0, byCategory: {}, appeared: [], disappeared: [], dictionaries: set.sources, tookMs: 0 };

  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO hits(message_id, rule, category, severity, start, end, match, source, scan_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(message_id, rule, start, end) WHERE retired_scan_id IS NULL DO NOTHING`,
  );
  const retire = db.prepare('UPDATE hits SET retired_scan_id = ? WHERE id = ?');
  const existing = db.prepare(`SELECT id, message_id, rule, start, end, category, match FROM hits WHERE message_id BETWEEN ? AND ? AND retired_scan_id IS NULL AND source != 'behaviour'`);
  const msgidOf = db.prepare('SELECT msgid FROM messages WHERE id = ?').pluck();
  const mark = db.prepare(`UPDATE meta SET value = ? WHERE key = 'scan_upto'`);
  const note = (list: ScanChange[], c: ScanChange) => list.length < LIST_LIMIT && list.push(c);
  const added = (id: number, messageId: number, h: { rule: string; category: string; match: string }) => {
    result.hits++;
    result.byCategory[h.category] = (result.byCategory[h.category] ?? 0) + 1;
    note(result.appeared, { hit: id, msgid: msgidOf.get(messageId) as string, rule: h.rule, category: h.category, match: h.match });
  };

  const ctx = new Ctx(db);
  const upto = opts.full ? 0 : Number(db.prepare(`SELECT value FROM meta WHERE key = 'scan_upto'`).pluck().get() ?? 0);
  const total = db.prepare('SELECT count(*) FROM messages WHERE id > ?').pluck().get(upto) as number;
  const select = db.prepare('SELECT id, sender, tolist, text FROM messages WHERE id > ? ORDER BY id LIMIT ?');
  const speaker = (r: { sender: string; tolist: string }): Speaker => {
    if (ctx.isStaff(r.sender)) return (JSON.parse(r.tolist) as string[]).some((t) => ctx.isCustomer(t)) ? 'staff' : 'internal';
    return ctx.isCustomer(r.sender) ? 'customer' : 'both';
  };
  for (let after = upto; ; ) {
    const rows = select.all(after, BATCH) as { id: number; sender: string; tolist: string; text: string }[];
    if (!rows.length) break;
    const found = rows.map((r) => (r.text ? detector.detect(r.text, speaker(r)) : ([] as Hit[])));
    db.transaction(() => {
      const lo = rows[0]!.id;
      const hi = rows[rows.length - 1]!.id;
      const stale = new Map((existing.all(lo, hi) as { id: number; message_id: number; rule: string; start: number; end: number; category: string; match: string }[]).map((h) => [`${h.message_id}:${h.rule}:${h.start}:${h.end}`, h]));
      rows.forEach((r, i) => {
        for (const h of found[i]!) {
          const key = `${r.id}:${h.rule}:${h.start}:${h.end}`;
          if (stale.delete(key)) continue; // still found: unchanged
          const source = h.category === 'pii' ? 'pii' : (dictOf.get(h.rule) ?? 'dictionary');
          const res = insert.run(r.id, h.rule, h.category, h.severity, h.start, h.end, h.match, source, scanId, 'new', now);
          if (res.changes) added(Number(res.lastInsertRowid), r.id, h);
        }
      });
      for (const h of stale.values()) {
        retire.run(scanId, h.id);
        result.retired++;
        note(result.disappeared, { hit: h.id, msgid: msgidOf.get(h.message_id) as string, rule: h.rule, category: h.category, match: h.match });
      }
      mark.run(String(Math.max(hi, Number(db.prepare(`SELECT value FROM meta WHERE key = 'scan_upto'`).pluck().get() ?? 0))));
    })();
    result.scanned += rows.length;
    after = rows[rows.length - 1]!.id;
    opts.onProgress?.({ scanned: result.scanned, total });
    await new Promise((r) => setImmediate(r));
  }

  // behaviour rules look at the whole store: reconcile all of their hits
  const candidates = runBehaviour(db);
  db.transaction(() => {
    const stale = new Map((db.prepare(`SELECT id, message_id, rule, category, match FROM hits WHERE source = 'behaviour' AND retired_scan_id IS NULL`).all() as { id: number; message_id: number; rule: string; category: string; match: string }[]).map((h) => [`${h.message_id}:${h.rule}`, h]));
    for (const c of candidates) {
      if (stale.delete(`${c.messageId}:${c.rule}`)) continue;
      const res = insert.run(c.messageId, c.rule, 'behaviour', c.severity, 0, 0, c.match, 'behaviour', scanId, c.escalate ? 'escalated' : 'new', now);
      if (res.changes) added(Number(res.lastInsertRowid), c.messageId, { rule: c.rule, category: 'behaviour', match: c.match });
    }
    for (const h of stale.values()) {
      retire.run(scanId, h.id);
      result.retired++;
      note(result.disappeared, { hit: h.id, msgid: msgidOf.get(h.message_id) as string, rule: h.rule, category: h.category, match: h.match });
    }
  })();
  result.active = db.prepare('SELECT count(*) FROM hits WHERE retired_scan_id IS NULL').pluck().get() as number;
  result.tookMs = Date.now() - started;
  db.prepare('UPDATE scans SET finished_at = ?, scanned = ?, added = ?, retired = ? WHERE id = ?').run(Date.now(), result.scanned, result.hits, result.retired, scanId);
  return result;
}
