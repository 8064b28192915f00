/**
 * npm run bench [-- --messages N] [--only import|search|detect|ingest] [--keep]
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
}

if (!values.only || values.only === 'search') {
  const dbPath = path.join(work, 'bench.db');
  if (!fs.existsSync(dbPath)) throw new Error('run the import part first (it leaves .bench/bench.db)');
  const r = child('searchChild.ts', [dbPath]);
  console.log('\n## search');
  console.log(`messages             ${fmt(r.messages, 0)}, text ${fmt(r.textMb)} MiB`);
  console.log(`bigram index build   ${fmt(r.indexMs / 1000, 1)} s for ${fmt(r.indexed, 0)} messages (after import, in the background in the app), +${fmt(r.indexMb)} MiB (${fmt(r.indexMb / r.textMb, 2)}x text)`);
  console.log(`query                total      p50 ms   brute-force ms`);
  for (const q of r.perQuery) console.log(`  ${q.q.padEnd(16)}  ${String(q.total).padStart(8)}  ${fmt(q.p50, 1).padStart(7)}  ${fmt(q.bruteMs, 0).padStart(8)}${q.total === q.brute ? '' : '  TOTAL MISMATCH ' + q.brute}`);
  console.log(`bigram p50 / p95     ${fmt(r.p50, 1)} / ${fmt(r.p95, 1)} ms   target p95 < 50 ms   ${verdict(r.p95 < 50 * (N >= 1_000_000 ? 1 : N / 1_000_000) || r.p95 < 50)}`);
  console.log(`exact totals         ${r.exact ? 'all equal to brute force' : 'MISMATCH'}   ${verdict(r.exact)}`);
  console.log(`brute-force scan p50 ${fmt(r.bruteP50, 0)} ms   ratio brute/bigram p50 ${fmt(r.bruteP50 / r.p50, 0)}x`);
  console.log(`alternative: trigram + LIKE under 3 chars: build ${fmt(r.trigram.buildMs / 1000, 1)} s, +${fmt(r.trigram.indexMb)} MiB, p50 ${fmt(r.trigram.p50, 1)} ms, p95 ${fmt(r.trigram.p95, 1)} ms, exact ${r.trigram.exact}`);
}
if (!values.only || values.only === 'detect') {
  const dbPath = path.join(work, 'bench.db');
  const r = { ...child('detectChild.ts', [String(N)]), ...child('scanChild.ts', [dbPath]) };
  const rate = (ms: number) => `${fmt(r.texts / (ms / 1000), 0)} msg/s`;
  console.log('\n## detection');
  console.log(`texts                ${fmt(r.texts, 0)} (${fmt(r.chars / 1e6, 1)} M chars); dictionary ${r.entries} entries, ${r.literal} literal terms given to all three`);
  console.log(`ours                 ${fmt(r.ours.ms / 1000, 2)} s  ${rate(r.ours.ms)}  ${fmt(r.ours.n, 0)} hits (normalization, exclusions, negation, side, PII)`);
  console.log(`mint-filter 4.0.3    ${fmt(r.mint.ms / 1000, 2)} s  ${rate(r.mint.ms)}  ${fmt(r.mint.n, 0)} words (literal only)   ours faster: ${verdict(r.ours.ms < r.mint.ms)} (${fmt(r.mint.ms / r.ours.ms, 2)}x)`);
  console.log(`modern-ahocorasick   ${fmt(r.modern.ms / 1000, 2)} s  ${rate(r.modern.ms)}  ${fmt(r.modern.n, 0)} matches (literal only)   ours faster: ${verdict(r.ours.ms < r.modern.ms)} (${fmt(r.modern.ms / r.ours.ms, 2)}x)`);
  console.log(`60,000-term build    ${fmt(r.build60k / 1000, 2)} s   target about 1 s   ${verdict(r.build60k < 1500)}`);
  if (r.fullScan) console.log(`full scan of store   ${fmt(r.fullScan.ms / 1000, 1)} s for ${fmt(r.fullScan.scanned, 0)} messages, ${fmt(r.fullScan.hits, 0)} active hits, ${fmt(r.fullScan.added, 0)} written by this scan (${r.fullScan.added ? 'first scan of the store' : 'a rescan: nothing new to write'}; dictionary + PII + behaviour rules, with store reads and writes)   target < 20 s at 1M   ${verdict(r.fullScan.ms * (1_000_000 / Math.max(1, r.fullScan.scanned)) < 20_000)}`);
  if (r.fullScan) console.log(`  where it went       ${Object.entries(r.fullScan.timings as Record<string, number>).map(([k, v]) => `${k} ${fmt(v / 1000, 1)} s`).join(', ')} (detection runs on a worker thread during read and write; waitDetect is what was left to wait for)`);
}

if (!values.only || values.only === 'ingest') {
  // the whole ingest as the app runs it (import → search index → scan, one process): peak memory
  // at two sizes, so growth with the archive shows (issue 12: under 500 MB at any size)
  console.log('\n## whole ingest (import → search index → scan, one pipeline, one process)');
  for (const n of [...new Set([200_000, N])].sort((a, b) => a - b)) {
    const file = path.join(work, `export-${n}.jsonl`);
    if (!fs.existsSync(file)) await generateExport(file, n);
    const r = child('ingestChild.ts', [path.join(work, 'ingest.db'), file]);
    console.log(
      `${fmt(n, 0).padStart(9)} messages  ${fmt(r.ms / 1000, 1)} s in all (import ${fmt(r.importMs / 1000, 1)} s, then index and scan), ${fmt(r.hits, 0)} hits; peak RSS ${fmt(r.maxRssMb, 0)} MB (the CLI process, detection thread included)   target < 500 MB   ${verdict(r.maxRssMb < 500)}`,
    );
  }
  for (const f of fs.readdirSync(work)) if (f.startsWith('ingest.db')) fs.rmSync(path.join(work, f));
}

if (!values.keep) for (const f of fs.readdirSync(work)) if (f.startsWith('bench.db')) fs.rmSync(path.join(work, f));
