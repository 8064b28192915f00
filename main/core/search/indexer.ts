/**
 * Fills the search index behind the import. Import stays fast (no index work per message);
 * this catches up in batches, each one transaction that also moves the watermark, so a kill
 * leaves the index consistent and the next run continues. Messages above the watermark are
 * still found by search (scanned), so results are exact at every moment.
 *
 * The index's rowid is a time key, exact as a 64-bit integer (BigInt on this side: msgtime ·
 * 2^20 passes 2^53, where a double would round it):
 *   dated message    msgtime · 2^20 + slot, slot = its place among that millisecond's indexed
 *                    messages (0, 1, 2 … in id order), so keys sort by (msgtime, id) and a time
 *                    range is exactly a key range;
 *   undated message  UNDATED_BASE + id: below every dated key, in id order.
 * Unique by construction, so no insert ever probes for a free key. A message that cannot have
 * a key (its millisecond already holds 2^20 indexed messages, or a time stored before times
 * were checked on import) is listed in search_unkeyed, and search scans it like the tail.
 */
import { isArchiveTime } from '../archive/msgtime.js';
import type { Db } from '../store/index.js';
import { bigramTokens } from './tokens.js';

export type IndexProgress = { indexed: number; pending: number };

/** Slots per millisecond. */
export const SLOTS_PER_MS = 1n << 20n;
/** The first key of a millisecond: time filters are key ranges from here. */
export const msKey = (ms: number): bigint => BigInt(ms) * SLOTS_PER_MS;
/** Keys of undated messages start here (−2^62): below every dated key (which are ≥ 0). */
export const UNDATED_BASE = -(1n << 62n);

export function indexedUpto(db: Db): number {
  const v = db.prepare(`SELECT value FROM meta WHERE key = 'search_indexed_upto'`).pluck().get() as string | undefined;
  return v ? Number(v) : 0;
}

export function pendingCount(db: Db): number {
  return db.prepare('SELECT count(*) FROM messages WHERE id > ?').pluck().get(indexedUpto(db)) as number;
}

/** Indexes up to `maxBatches` batches (all when omitted); yields between batches. */
export async function indexPending(
  db: Db,
  opts: { batchSize?: number; signal?: AbortSignal; onProgress?: (p: IndexProgress) => void; maxBatches?: number } = {},
): Promise<IndexProgress> {
  const batchSize = opts.batchSize ?? 20_000;
  const select = db.prepare('SELECT id, msgtime, text FROM messages WHERE id > ? ORDER BY id LIMIT ?');
  const insert = db.prepare('INSERT INTO search_index(rowid, tokens) VALUES (?, ?)');
  // no ON CONFLICT: keys are unique by construction, so a clash is a bug to surface, not to skip
  const addDoc = db.prepare('INSERT INTO search_docs(key, message_id) VALUES (?, ?)');
  const addUnkeyed = db.prepare('INSERT OR IGNORE INTO search_unkeyed(message_id) VALUES (?)');
  const lastKeyIn = db.prepare('SELECT key FROM search_docs WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT 1').pluck().safeIntegers(true);
  const mark = db.prepare(`UPDATE meta SET value = ? WHERE key = 'search_indexed_upto'`);
  let indexed = 0;
  let pending = pendingCount(db);
  for (let batch = 0; pending > 0 && !opts.signal?.aborted && (opts.maxBatches === undefined || batch < opts.maxBatches); batch++) {
    const rows = select.all(indexedUpto(db), batchSize) as { id: number; msgtime: number | null; text: string }[];
    if (!rows.length) break;
    const tokens = rows.map((r) => bigramTokens(r.text));
    db.transaction(() => {
      // the next free key of each millisecond met in this batch (one lookup per millisecond)
      const nextKey = new Map<number, bigint>();
      const keyOf = (r: { id: number; msgtime: number | null }): bigint | null => {
        if (r.msgtime === null) return UNDATED_BASE + BigInt(r.id);
        if (!isArchiveTime(r.msgtime)) return null;
        const first = msKey(r.msgtime);
        let key = nextKey.get(r.msgtime);
        if (key === undefined) {
          const last = lastKeyIn.get(first, first + SLOTS_PER_MS) as bigint | undefined;
          key = last === undefined ? first : last + 1n;
        }
        if (key >= first + SLOTS_PER_MS) return null;
        nextKey.set(r.msgtime, key + 1n);
        return key;
      };
      rows.forEach((r, i) => {
        if (!tokens[i]) return;
        const key = keyOf(r);
        if (key === null) {
          addUnkeyed.run(r.id);
          return;
        }
        addDoc.run(key, r.id);
        insert.run(key, tokens[i]);
      });
      mark.run(String(rows[rows.length - 1]!.id));
    })();
    indexed += rows.length;
    pending -= rows.length;
    opts.onProgress?.({ indexed, pending });
    await new Promise((r) => setImmediate(r));
  }
  return { indexed, pending: Math.max(0, pending) };
}

/** Merges the index's segments into one: smaller and faster to query after a big import. */
export function optimizeIndex(db: Db): void {
  db.exec(`INSERT INTO search_index(search_index) VALUES ('optimize')`);
}
