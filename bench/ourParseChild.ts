/** Our parse-only time: the importer's own reader and parser (text extraction included), no store. */
import { parsedBatches } from '../main/core/import/parsedBatches.js';

const file = process.argv[2]!;
const t0 = performance.now();
let n = 0;
for await (const b of parsedBatches(file, 32 * 1024 * 1024)) n += b.messages.length;
process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, records: n, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
