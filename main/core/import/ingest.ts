/**
 * The one ingest pipeline: import → search index → scan, under the store's writer lock, for
 * every host (the CLI, the window, the scheduler). Each phase continues from its own watermark,
 * so a run that was killed or refused half-way is completed by the next one: indexing and the
 * scan pick up whatever an earlier import committed, even when this run imports nothing new.
 */
import type { ImportSummary, ScanResult } from '../../../preload/api.js';
import { collectGarbage } from '../memory.js';
import { scan } from '../scan/scan.js';
import { indexPending, optimizeIndex, type IndexProgress } from '../search/indexer.js';
import type { Store } from '../store/index.js';
import { withWriter, type WriterHolder, type WriterOp } from '../store/writerLock.js';
import { importExports, type ImportOptions } from './importer.js';

export type IngestPhase = 'import' | 'index' | 'scan' | 'done';

export type IngestOptions = {
  /** the import phase; absent: only the phases after it (a scan or an indexing run of its own) */
  import?: Omit<ImportOptions, 'signal'>;
  /** build the search index of what is not indexed yet (default true) */
  index?: boolean;
  /** scan what is not scanned yet, or everything with `full`; false: no scan (default: incremental) */
  scan?: { full?: boolean } | false;
  /** whose act it is (the scan records it) */
  user: string;
  defaultDictionary?: string;
  signal?: AbortSignal;
  /** how long to wait for another writer before refusing (ms, default 0) */
  waitMs?: number;
  onWait?: (holder: WriterHolder | null) => void;
  onPhase?: (phase: IngestPhase) => void;
  onIndexProgress?: (p: IndexProgress) => void;
  onScanProgress?: (p: { scanned: number; total: number }) => void;
};

export type IngestResult = { import: ImportSummary | null; index: IndexProgress | null; scan: ScanResult | null };

/** Indexing after a big import leaves many small segments: merged past this many messages. */
const OPTIMIZE_AFTER = 100_000;

export async function ingest(store: Store, opts: IngestOptions): Promise<IngestResult> {
  const op: WriterOp = opts.import ? 'import' : opts.scan ? 'scan' : 'index';
  return withWriter(store.dbPath, op, opts.user, { waitMs: opts.waitMs ?? 0, ...(opts.onWait && { onWait: opts.onWait }), ...(opts.signal && { signal: opts.signal }) }, async () => {
    const result: IngestResult = { import: null, index: null, scan: null };
    if (opts.import) {
      opts.onPhase?.('import');
      result.import = await importExports(store, { ...opts.import, ...(opts.signal && { signal: opts.signal }) });
      // cancelled: the person asked to stop; what was committed is completed by the next run
      if (result.import.cancelled) return result;
    }
    if (opts.index !== false && !opts.signal?.aborted) {
      collectGarbage(); // the import's garbage goes before the next phase adds its own
      opts.onPhase?.('index');
      result.index = await indexPending(store.db, { ...(opts.signal && { signal: opts.signal }), ...(opts.onIndexProgress && { onProgress: opts.onIndexProgress }) });
      if (result.index.indexed > OPTIMIZE_AFTER) optimizeIndex(store.db);
    }
    if (opts.scan !== false && opts.scan !== undefined && !opts.signal?.aborted) {
      collectGarbage();
      opts.onPhase?.('scan');
      result.scan = await scan(store.db, {
        full: !!opts.scan.full,
        user: opts.user,
        ...(opts.defaultDictionary !== undefined && { defaultDictionary: opts.defaultDictionary }),
        ...(opts.onScanProgress && { onProgress: opts.onScanProgress }),
      });
    }
    opts.onPhase?.('done');
    return result;
  });
}
