/**
 * A child for test/unit/tempfiles.test.ts: writes an evidence pack (no PDF), a report workbook and a
 * keyring for a store, each to the given folder, and prints what became of each write as one JSON
 * line. The test runs it under a file-size limit (`ulimit -f`), so the writes fail in the kernel
 * (EFBIG) part-way through, as on a full disk; nothing in the code under test knows.
 *   node --import tsx writeOutputs.ts DB OUT_DIR HIT_ID,…
 */
import path from 'node:path';
import { buildEvidence } from '../../main/core/report/evidence.js';
import { writeReport } from '../../main/core/report/workbook.js';
import { openStore, readKeyring, writeKeyring } from '../../main/core/store/index.js';
import { PASS } from './store.js';

const [db, outDir, hits] = process.argv.slice(2) as [string, string, string];
const store = openStore(db, PASS);
const outcome = async (what: () => unknown) => {
  try {
    await what();
    return 'ok';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
};
const keyring = readKeyring(db);
// a keyring of many users: several KiB, so that it too outgrows the limit
const big = { ...keyring, users: [...keyring.users, ...Array.from({ length: 20 }, (_, i) => ({ ...keyring.users[0]!, user: `copy${i}` }))] };
const result = {
  evidence: await outcome(() => buildEvidence(store, { hits: hits.split(',').map(Number) }, path.join(outDir, 'pack.zip'), 'admin', { pdf: false })),
  report: await outcome(() => writeReport(store, { from: 0, to: Date.now(), out: path.join(outDir, 'report.xlsx'), user: 'admin', role: 'admin', appVersion: 'test' })),
  keyring: await outcome(() => writeKeyring(db, big)),
};
store.close();
console.log(JSON.stringify({ pid: process.pid, ...result }));
