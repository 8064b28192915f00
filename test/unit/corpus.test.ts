/**
 * The labelled corpus (test/fixtures/detect-corpus.jsonl) against the bundled default
 * dictionary: recall on the lines that must fire, false positives on the lines that must not.
 * Fails below 95% recall or above 2% false positives.
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

test('default dictionary on the labelled corpus: recall ≥ 95%, false positives ≤ 2%', async () => {
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  assert.deepEqual(dict.errors, []);
  assert.ok(dict.entries.length >= 300, `${dict.entries.length} entries`);
  const categories = new Set(dict.entries.map((e) => e.category));
  for (const c of ['guarantee', 'diversion', 'private_transfer', 'off_book', 'pii', 'complaint', 'gift']) assert.ok(categories.has(c as never), c);
  const detector = new Detector(dict.entries, jiebaSegmenter());
  const lines = fs.readFileSync(path.join(ROOT, 'test/fixtures/detect-corpus.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  const positives = lines.filter((l) => l.expect.length);
  const negatives = lines.filter((l) => !l.expect.length);
  assert.ok(positives.length >= 150 && negatives.length >= 150);
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
  console.log(`corpus: ${positives.length} must fire, ${negatives.length} clean; recall ${(recall * 100).toFixed(1)}%, false positives ${(fpRate * 100).toFixed(1)}%`);
  for (const m of missed.slice(0, 15)) console.log(`  missed: ${m}`);
  for (const f of falseAlarms.slice(0, 15)) console.log(`  false alarm: ${f}`);
  assert.ok(recall >= 0.95, `recall ${(recall * 100).toFixed(1)}%`);
  assert.ok(fpRate <= 0.02, `false positives ${(fpRate * 100).toFixed(1)}%`);
});
