/** Runs one import in its own process so its peak RSS is the import's alone. Prints one JSON line. */
import fs from 'node:fs';
import { importExports } from '../main/core/import/importer.js';
import { createStore } from '../main/core/store/index.js';

const [db, file] = process.argv.slice(2) as [string, string];
for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.keyring`]) fs.rmSync(f, { force: true });
const store = createStore(db, 'bench-passphrase');
const t0 = performance.now();
const summary = await importExports(store, { paths: [file], ...(process.env.BS ? { batchSize: Number(process.env.BS) } : {}) });
const ms = performance.now() - t0;
store.close();
const size = fs.statSync(db).size;
process.stdout.write(`${JSON.stringify({ ms, imported: summary.imported, read: summary.read, maxRssMb: process.resourceUsage().maxRSS / 1024, storeBytes: size })}\n`);
