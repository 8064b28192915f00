import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { readRecords, type RawRecord, type RecordProblem } from '../../main/core/import/records.js';
import { tmpDir } from '../helpers/store.js';

async function collect(file: string, max?: number) {
  const records: RawRecord[] = [];
  const problems: RecordProblem[] = [];
  for await (const b of readRecords(file, max)) {
    records.push(...b.records);
    problems.push(...b.problems);
  }
  return { records, problems };
}

/** Records big enough that many straddle the 1 MiB read chunks, with tricky string content. */
function makeRecords(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const content = `第${i}条 "引号" \\反斜杠\\ {花括号} [方括号], 逗号 ${'长'.repeat(i % 97)} \\u4e2d ✓ 😀`;
    out.push(JSON.stringify({ msgid: `id${i}`, seq: 18446744073709551000 - i, msgtime: 1700000000000 + i, msgtype: 'text', text: { content } }).replace(`"seq":${18446744073709551000 - i}`, `"seq":${18446744073709551615n - BigInt(i)}`));
  }
  return out;
}

test('JSON Lines, array, envelope, pretty-printed and concatenated objects all yield the exact record texts', async () => {
  const dir = tmpDir();
  const recs = makeRecords(6000); // several MiB
  const shapes: Record<string, string> = {
    'a.jsonl': recs.join('\n') + '\n',
    'b.json': `[\n  ${recs.join(',\n  ')}\n]\n`,
    'c.json': `{"errcode":0,"errmsg":"ok","chatdata":[${recs.join(',')}]}`,
    'd.json': recs.join('\n\n'), // concatenated (no trailing newline)
    'e.jsonl': '\ufeff' + recs.join('\r\n') + '\r\n',
  };
  for (const [name, text] of Object.entries(shapes)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const { records, problems } = await collect(file);
    assert.deepEqual(problems, [], name);
    assert.equal(records.length, recs.length, name);
    for (let i = 0; i < recs.length; i++) assert.equal(records[i]!.text, recs[i], `${name} record ${i}`);
    // gzip of the same shape gives the same records
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(text));
    const gz = await collect(`${file}.gz`);
    assert.equal(gz.records.length, recs.length, `${name}.gz`);
    assert.equal(gz.records.at(-1)!.text, recs.at(-1));
  }
});

test('line numbers point at the line each record starts on', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'p.json');
  fs.writeFileSync(file, '[\n  {"msgid": "a",\n   "x": 1},\n\n  {"msgid": "b"}\n]\n');
  const { records } = await collect(file);
  assert.deepEqual(records.map((r) => r.line), [2, 5]);
  const jl = path.join(dir, 'q.jsonl');
  fs.writeFileSync(jl, '{"msgid":"a"}\n\n{"msgid":"b"}\n');
  assert.deepEqual((await collect(jl)).records.map((r) => r.line), [1, 3]);
});

test('several envelopes in one file (one SDK page a line), and fields after chatdata', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'pages.jsonl');
  fs.writeFileSync(file, '{"errcode":0,"chatdata":[{"msgid":"1"},{"msgid":"2"}],"errmsg":"ok","x":{"y":[1]}}\n{"errcode":0,"errmsg":"ok","chatdata":[{"msgid":"3"}]}\n');
  const { records, problems } = await collect(file);
  assert.deepEqual(problems, []);
  assert.deepEqual(records.map((r) => JSON.parse(r.text).msgid), ['1', '2', '3']);
});

test('an over-long record is reported and skipped without stopping the file', async () => {
  const dir = tmpDir();
  const big = JSON.stringify({ msgid: 'big', text: { content: 'x'.repeat(3 * 1024 * 1024) } });
  const jl = path.join(dir, 'big.jsonl');
  fs.writeFileSync(jl, `{"msgid":"1"}\n${big}\n{"msgid":"3"}\n`);
  const a = await collect(jl, 1024 * 1024);
  assert.deepEqual(a.records.map((r) => r.line), [1, 3]);
  assert.equal(a.problems.length, 1);
  assert.equal(a.problems[0]!.line, 2);
  assert.match(a.problems[0]!.reason, /too long/);
  const arr = path.join(dir, 'big.json');
  fs.writeFileSync(arr, `[{"msgid":"1"},\n${big},\n{"msgid":"3"}]`);
  const b = await collect(arr, 1024 * 1024);
  assert.deepEqual(b.records.map((r) => JSON.parse(r.text).msgid), ['1', '3']);
  assert.equal(b.problems.length, 1);
  assert.equal(b.problems[0]!.line, 2);
});

test('scalars in an array and an array cut short are reported', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 's.json');
  fs.writeFileSync(f, '[1, "two", {"msgid":"3"}]');
  const { records } = await collect(f);
  assert.deepEqual(records.map((r) => r.text), ['1', '"two"', '{"msgid":"3"}']);
  const cut = path.join(dir, 'cut.json');
  fs.writeFileSync(cut, '[{"msgid":"1"},\n{"msgid":"2", "text": {"con');
  const c = await collect(cut);
  assert.equal(c.records.length, 1);
  assert.equal(c.problems.length, 1);
  assert.equal(c.problems[0]!.line, 2);
  assert.match(c.problems[0]!.reason, /truncated/);
});
