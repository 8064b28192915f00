/**
 * The full-scan part of the bench, in a process of its own as in the app: the throughput part's
 * million texts and three matchers would otherwise sit in the same heap and slow every garbage
 * collection of the scan (20.6 s there against 17–18 s alone, measured 2026-11-27).
 */
import fs from 'node:fs';
import path from 'node:path';
import { scan, type ScanTimings } from '../main/core/scan/scan.js';
import { openStore } from '../main/core/store/index.js';

const [dbPath] = process.argv.slice(2) as [string];
let fullScan: { ms: number; scanned: number; hits: number; added: number; timings: ScanTimings } | null = null;
if (fs.existsSync(dbPath)) {
  const store = openStore(dbPath, 'bench-passphrase');
  const t = performance.now();
  const timings: ScanTimings = { setup: 0, read: 0, waitDetect: 0, write: 0, behaviour: 0, behaviourWrite: 0, count: 0 };
  const r = await scan(store.db, { full: true, defaultDictionary: path.resolve('resources/dictionaries/default.json'), timings });
  fullScan = { ms: performance.now() - t, scanned: r.scanned, hits: r.active, added: r.hits, timings };
  store.close();
}
process.stdout.write(`${JSON.stringify({ fullScan })}\n`);
