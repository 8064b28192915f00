/**
 * Three labelled corpora against the bundled default dictionary: recall on the lines that must
 * fire, false positives on the lines that must not. The first was written with the dictionary
 * (fails below 95% / above 2%); the other two blind (see below).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseDictionaryFile } from '../../main/core/detect/dictionaryFile.js';
import { Detector } from '../../main/core/detect/engine.js';
import { jiebaSegmenter } from '../../main/core/detect/segment.js';
import { ROOT } from '../helpers/store.js';

type Line = { text: string; side: 'staff' | 'customer'; expect: string[]; kind: string };

/**
 * The blind corpus (test/fixtures/detect-corpus-blind.jsonl) was written by someone who never saw
 * the dictionary, the engine or the first corpus. On it the dictionary first scored recall 62.1%,
 * false positives 11.4%; the dictionary and the engine were then improved on its odd lines only
 * and measured once on its even lines (held out: recall 59.8% → 90.8%, false positives 11.5% →
 * 3.1%). The floors below guard that level; what it still misses is listed by the test.
 */
test('default dictionary on the blind corpus: recall ≥ 90%, false positives ≤ 4%', async () => {
  const { recall, fpRate } = await score('test/fixtures/detect-corpus-blind.jsonl');
  assert.ok(recall >= 0.9, `recall ${(recall * 100).toFixed(1)}%`);
  assert.ok(fpRate <= 0.04, `false positives ${(fpRate * 100).toFixed(1)}%`);
});

/**
 * The second blind corpus (test/fixtures/detect-corpus-blind2.jsonl, 442 lines, 2026-11-27) was
 * written by another helper who saw neither the dictionary, the engine nor the other corpora.
 * Unseen, after all the work on the first blind corpus, the dictionary scored recall 75.7%,
 * false positives 6.8%: fixes for one corpus's phrasings generalize little to another's. Fixed
 * on its odd lines, the held-out even lines moved only from 74.8% → 75.7% recall and 5.9% → 5.1%
 * false positives; then both halves were fixed. The floors below guard that; the next honest
 * figure needs a third corpus nobody has looked at.
 */
test('default dictionary on the second blind corpus: recall ≥ 95%, false positives ≤ 2%', async () => {
  const { recall, fpRate } = await score('test/fixtures/detect-corpus-blind2.jsonl');
  assert.ok(recall >= 0.95, `recall ${(recall * 100).toFixed(1)}%`);
  assert.ok(fpRate <= 0.02, `false positives ${(fpRate * 100).toFixed(1)}%`);
});

test('default dictionary on the labelled corpus: recall ≥ 95%, false positives ≤ 2%', async () => {
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  assert.deepEqual(dict.errors, []);
  assert.ok(dict.entries.length >= 300, `${dict.entries.length} entries`);
  const categories = new Set(dict.entries.map((e) => e.category));
  for (const c of ['guarantee', 'diversion', 'private_transfer', 'off_book', 'pii', 'complaint', 'gift']) assert.ok(categories.has(c as never), c);
  const { recall, fpRate } = await score('test/fixtures/detect-corpus.jsonl', true);
  assert.ok(recall >= 0.95, `recall ${(recall * 100).toFixed(1)}%`);
  assert.ok(fpRate <= 0.02, `false positives ${(fpRate * 100).toFixed(1)}%`);
});

async function score(file: string, sized = false): Promise<{ recall: number; fpRate: number }> {
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  const detector = new Detector(dict.entries, jiebaSegmenter());
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  const positives = lines.filter((l) => l.expect.length);
  const negatives = lines.filter((l) => !l.expect.length);
  if (sized) assert.ok(positives.length >= 150 && negatives.length >= 150);
  const missed: string[] = [];
  const falseAlarms: string[] = [];
  for (const l of positives) {
    const found = new Set(detector.detect(l.text, l.side).map((h) => h.category));
    if (!l.expect.every((c) => found.has(c as never))) missed.push(`${l.text} → want ${l.expect} got ${[...found]}`);
  }
  for (const l of negatives) {
    const hits = detector.detect(l.text, l.side);
    if (hits.length) falseAlarms.push(`${l.text} → ${hits.map((h) => `${h.rule}:${h.match}`).join(',')}`);
  }
  const recall = 1 - missed.length / positives.length;
  const fpRate = falseAlarms.length / negatives.length;
  console.log(`${path.basename(file)}: ${positives.length} must fire, ${negatives.length} clean; recall ${(recall * 100).toFixed(1)}%, false positives ${(fpRate * 100).toFixed(1)}%`);
  for (const m of missed.slice(0, 15)) console.log(`  missed: ${m}`);
  for (const f of falseAlarms.slice(0, 15)) console.log(`  false alarm: ${f}`);
  return { recall, fpRate };
}
