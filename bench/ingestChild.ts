/**
 * The whole ingest in its own process, as the app runs it (import → search index → scan, one
 * pipeline): time per phase and the peak RSS of all of it. Prints one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../main/core/import/ingest.js';
import { createStore } from '../main/core/store/index.js';

const [db, file] = process.argv.slice(2) as [string, string];
for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.keyring`, `${db}.writer`]) fs.rmSync(f, { force: true });
const store = createStore(db, 'bench-passphrase');
const phases: Record<string, number> = {};
const rssAfter: Record<string, number> = {};
let phase = '';
let lap = performance.now();
const t0 = lap;
const mark = (next: string) => {
  const now = performance.now();
  if (phase) {
    phases[phase] = now - lap;
    rssAfter[phase] = process.resourceUsage().maxRSS / 1024;
  }
  phase = next;
  lap = now;
};
const r = await ingest(store, {
  import: { paths: [file] },
  scan: {},
  user: 'admin',
  defaultDictionary: path.resolve('resources/dictionaries/default.json'),
  onPhase: (p) => mark(p),
});
const ms = performance.now() - t0;
store.close();
process.stdout.write(
  `${JSON.stringify({ ms, phases, peakRssAfterMb: rssAfter, imported: r.import?.imported, indexed: r.index?.indexed, scanned: r.scan?.scanned, hits: r.scan?.hits, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
