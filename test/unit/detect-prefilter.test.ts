/**
 * The speed-ups of the detector must never change what it finds: regex rules run only where
 * their required literals occurred (regexAnchors.ts), and word boundaries are checked on a window
 * around the term. Checked against the same detector without the prefilter, on the labelled
 * corpus, the benchmark's synthetic messages and hand-written edge cases, with the real default
 * dictionary and real jieba.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseDictionaryFile } from '../../main/core/detect/dictionaryFile.js';
import { Detector } from '../../main/core/detect/engine.js';
import { normalizeWords } from '../../main/core/detect/normalize.js';
import { requiredLiterals } from '../../main/core/detect/regexAnchors.js';
import { jiebaSegmenter } from '../../main/core/detect/segment.js';
import type { Speaker } from '../../main/core/detect/types.js';
import { parseRecord } from '../../main/core/import/parse.js';
import { messageAt } from '../../bench/generate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('required literals: what every match must contain, and nothing it cannot prove', () => {
  assert.deepEqual(requiredLiterals('ab+c'), [['ab'], ['c']]);
  assert.deepEqual(requiredLiterals('ab?c'), [['c'], ['a']]);
  assert.deepEqual(requiredLiterals('(保证|确保)(年化)?收益'), [['收益'], ['保证', '确保']]);
  assert.deepEqual(requiredLiterals('(?<!\\d)12378(?!\\d)'), [['12378']]);
  assert.deepEqual(requiredLiterals('(?:qq|扣扣)(号)?\\d{5,11}'), [['qq', '扣扣']]);
  assert.deepEqual(requiredLiterals('年化|收益率?'), [['年化', '收益']]);
  assert.deepEqual(requiredLiterals('x{0,2}y'), [['y']]);
  // nothing provable: it must say so, and the rule then runs on every text
  for (const none of ['a|\\d', 'a*', '[abc]+', '.*', '\\u4e00x', '(a)|b?', '(?=abc)\\d', '(']) assert.equal(requiredLiterals(none), null, none);
});

test('required literals are necessary: wherever a dictionary regex matches, every factor occurs', async () => {
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  const regexes = dict.entries.filter((e) => e.match === 'regex');
  assert.ok(regexes.length >= 20);
  const texts = corpusTexts().map((t) => normalizeWords(t.text).text);
  let matched = 0;
  for (const e of regexes) {
    const factors = requiredLiterals(e.term);
    const re = new RegExp(e.term, 'u');
    for (const text of texts) {
      if (!re.test(text)) continue;
      matched++;
      for (const f of factors ?? []) assert.ok(f.some((lit) => text.includes(lit)), `${e.id} matched ${text} without any of ${f.join('|')}`);
    }
  }
  assert.ok(matched > 30, `regexes matched ${matched} corpus lines: the check must exercise real matches`);
});

test('the prefiltered detector finds exactly what the plain one finds', async () => {
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  const fast = new Detector(dict.entries, jiebaSegmenter());
  const plain = new Detector(dict.entries, jiebaSegmenter(), true, false);
  const lines: { text: string; side: Speaker }[] = corpusTexts();
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  for (let i = 0; i < 3000; i++) {
    const p = parseRecord(JSON.stringify(messageAt(i, rnd)));
    if (p.ok && p.message.text) lines.push({ text: p.message.text, side: i % 3 === 0 ? 'customer' : 'staff' });
  }
  lines.push(
    { text: '确保本金安全，这个产品保本', side: 'staff' },
    { text: '保本', side: 'staff' },
    { text: '请把钱转到我个人账户,我帮您操作;钱直接打我这', side: 'staff' },
    { text: '告诉我您的身份证号码，再把验证码发我', side: 'staff' },
    { text: '别打12378，我返您2个点', side: 'staff' },
    { text: '', side: 'staff' },
  );
  let hits = 0;
  for (const { text, side } of lines) {
    const a = fast.detect(text, side);
    assert.deepEqual(a, plain.detect(text, side), text);
    hits += a.length;
  }
  assert.ok(hits > 1000, `${hits} hits compared`);
});

function corpusTexts(): { text: string; side: Speaker }[] {
  return fs
    .readFileSync(path.join(ROOT, 'test/fixtures/detect-corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { text: string; side: Speaker });
}

test('the scan detection thread answers exactly what this thread finds', async () => {
  const { detectPool, spawnDetectWorker } = await import('../../main/core/scan/detectPool.js');
  const { unpackHits } = await import('../../main/core/scan/packedHits.js');
  const dict = await parseDictionaryFile(path.join(ROOT, 'resources/dictionaries/default.json'));
  const here = new Detector(dict.entries, jiebaSegmenter());
  const pool = detectPool(dict.entries, () => here, spawnDetectWorker());
  try {
    const lines = corpusTexts();
    const texts = lines.map((l) => l.text);
    const found = unpackHits(await pool.detect(texts, lines.map((l) => l.side)), texts);
    assert.equal(pool.threaded, true, 'two cores here: detection runs on a worker thread');
    assert.equal(pool.fallbackReason, null, `the worker failed: ${pool.fallbackReason}`);
    assert.deepEqual(found, lines.map((l) => here.detect(l.text, l.side)));
    assert.ok(found.flat().length > 200);
  } finally {
    await pool.close();
  }
});
