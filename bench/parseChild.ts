/** The baseline: read the same file line by line with node:readline and JSON.parse each line, nothing else. */
import fs from 'node:fs';
import readline from 'node:readline';

const file = process.argv[2]!;
const t0 = performance.now();
let n = 0;
let chars = 0;
const rl = readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
for await (const line of rl) {
  if (!line) continue;
  const v = JSON.parse(line) as { msgid: string };
  chars += v.msgid.length;
  n++;
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, records: n, chars, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
