/**
 * npm run bench [-- --messages N] [--only import]
 * Prints figures and ratios against baselines measured in the same run, on this machine.
 * Targets (issue 3): 1M messages imported in under 60 s, at most 3x the parse-only time of the
 * same file, under 500 MB peak RSS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateExport } from './generate.js';

const { values } = parseArgs({ options: { messages: { type: 'string' }, only: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.messages ?? 1_000_000);
const work = path.resolve('.bench');
fs.mkdirSync(work, { recursive: true });

function child(script: string, args: string[]): any {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve('bench', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

console.log(`# wecom-audit bench — ${new Date().toISOString()} — ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, node ${process.version}`);

if (!values.only || values.only === 'import') {
  const file = path.join(work, `export-${N}.jsonl`);
  if (!fs.existsSync(file)) {
    const t = performance.now();
    const bytes = await generateExport(file, N);
    console.log(`generated ${fmt(N, 0)} messages, ${fmt(bytes / 2 ** 20)} MiB in ${fmt((performance.now() - t) / 1000)} s`);
  }
  const bytes = fs.statSync(file).size;
  const parse = child('parseChild.ts', [file]);
  const ours = child('ourParseChild.ts', [file]);
  const imp = child('importChild.ts', [path.join(work, 'bench.db'), file]);
  const rate = imp.imported / (imp.ms / 1000);
  const ratio = imp.ms / ours.ms;
  const ratioNaive = imp.ms / parse.ms;
  const scaled60 = (imp.ms / 1000) * (1_000_000 / N);
  console.log('\n## import');
  console.log(`file                 ${fmt(bytes / 2 ** 20)} MiB, ${fmt(N, 0)} messages`);
  console.log(`naive parse          ${fmt(parse.ms / 1000, 2)} s (node:readline + JSON.parse only), peak RSS ${fmt(parse.maxRssMb, 0)} MB`);
  console.log(`parse-only baseline  ${fmt(ours.ms / 1000, 2)} s (our reader + parser + text extraction, no store), peak RSS ${fmt(ours.maxRssMb, 0)} MB`);
  console.log(`import               ${fmt(imp.ms / 1000, 2)} s, ${fmt(rate, 0)} msg/s, ${fmt(imp.imported, 0)} imported, store ${fmt(imp.storeBytes / 2 ** 20)} MiB`);
  console.log(`ratio import/parse   ${fmt(ratio, 2)}x   target ≤ 3x          ${verdict(ratio <= 3)}`);
  console.log(`ratio import/naive   ${fmt(ratioNaive, 2)}x   (for reference)`);
  console.log(`time per 1M          ${fmt(scaled60, 1)} s   target < 60 s        ${verdict(scaled60 < 60)}`);
  console.log(`peak RSS (import)    ${fmt(imp.maxRssMb, 0)} MB   target < 500 MB      ${verdict(imp.maxRssMb < 500)}`);
  if (!values.keep) for (const f of fs.readdirSync(work)) if (f.startsWith('bench.db')) fs.rmSync(path.join(work, f));
}
