/**
 * Fills the search index behind the import. Import stays fast (no index work per message);
 * this catches up in batches, each one transaction that also moves the watermark, so a kill
 * leaves the index consistent and the next run continues. Messages above the watermark are
 * still found by search (scanned), so results are exact at every moment.
 */
import type { Db } from '../store/index.js';
import { bigramTokens } from './tokens.js';

export type IndexProgress = { indexed: number; pending: number };

/** 2^20 keys per millisecond: the time key stays below 2^63 until the year 2248. */
export const KEY_SPAN = 2 ** 20;
export const timeKey = (msgtime: number | null, id: number) => (msgtime ?? 0) * KEY_SPAN + (id % KEY_SPAN);

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
  const addDoc = db.prepare('INSERT INTO search_docs(key, message_id) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
  const mark = db.prepare(`UPDATE meta SET value = ? WHERE key = 'search_indexed_upto'`);
  let indexed = 0;
  let pending = pendingCount(db);
  for (let batch = 0; pending > 0 && !opts.signal?.aborted && (opts.maxBatches === undefined || batch < opts.maxBatches); batch++) {
    const rows = select.all(indexedUpto(db), batchSize) as { id: number; msgtime: number | null; text: string }[];
    if (!rows.length) break;
    const tokens = rows.map((r) => bigramTokens(r.text));
    db.transaction(() => {
      rows.forEach((r, i) => {
        if (!tokens[i]) return;
        // a tie on the time key (same millisecond, ids 2^20 apart) takes the next free key
        let key = timeKey(r.msgtime, r.id);
        while (addDoc.run(key, r.id).changes === 0) key++;
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
