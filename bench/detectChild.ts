/**
 * Detection part of the bench: our detector (normalization, exclusions, negation, PII) against
 * mint-filter and modern-ahocorasick given the same literal terms on the same texts, in this
 * run; then a 60,000-term dictionary's build time. (The full scan is scanChild.ts.)
 */
import path from 'node:path';
import { Mint } from 'mint-filter';
import AhoCorasick from 'modern-ahocorasick';
import { parseDictionaryFile } from '../main/core/detect/dictionaryFile.js';
import { Detector } from '../main/core/detect/engine.js';
import { jiebaSegmenter } from '../main/core/detect/segment.js';
import { parseRecord } from '../main/core/import/parse.js';
import { messageAt } from './generate.js';

const [countArg] = process.argv.slice(2) as [string];
const N = Number(countArg);
const dictFile = path.resolve('resources/dictionaries/default.json');
const dict = await parseDictionaryFile(dictFile);
const literal = [...new Set(dict.entries.filter((e) => e.match === 'literal').map((e) => e.term))];

let s = 42;
const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
const texts: string[] = [];
for (let i = 0; i < N; i++) {
  const p = parseRecord(JSON.stringify(messageAt(i, rnd)));
  if (p.ok) texts.push(p.message.text);
}
const chars = texts.reduce((a, t) => a + t.length, 0);

const time = (f: () => number) => {
  const t = performance.now();
  const n = f();
  return { ms: performance.now() - t, n };
};
const ours = new Detector(dict.entries, jiebaSegmenter());
ours.detect('预热 warm up 保本', 'staff');
const oursRun = time(() => texts.reduce((a, t) => a + ours.detect(t, 'staff').length, 0));
const mint = new Mint(literal);
const mintRun = time(() => texts.reduce((a, t) => a + (mint.filter(t, { replace: false }).words?.length ?? 0), 0));
const mac = new AhoCorasick(literal);
const macRun = time(() => texts.reduce((a, t) => a + mac.search(t).length, 0));

const big = Array.from({ length: 60_000 }, (_, i) => ({ id: `T${i}`, term: `${literal[i % literal.length]}${i.toString(36)}`, category: 'guarantee' as const, severity: 'high' as const, match: 'literal' as const }));
const buildRun = time(() => new Detector(big).size);

process.stdout.write(
  `${JSON.stringify({ texts: texts.length, chars, entries: dict.entries.length, literal: literal.length, ours: oursRun, mint: mintRun, modern: macRun, build60k: buildRun.ms })}\n`,
);
