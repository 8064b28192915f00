import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importExports } from '../../main/core/import/importer.js';
import { importPeople } from '../../main/core/people/people.js';
import { indexPending, pendingCount } from '../../main/core/search/indexer.js';
import { search } from '../../main/core/search/search.js';
import { foldForSearch } from '../../main/core/search/tokens.js';
import { cli, newStore, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

const WORDS = ['保本', '保收益', '理财', '微信', 'VX', 'vx', 'ＶＸ', '加我', '您好', '年化4.2%', '😀', '转账', '个人账户', '不保本', '稳赚不赔', 'WeChat', '，', ' ', '保'];

function corpus(n: number): string[] {
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(''));
}

test('exact totals: every query agrees with a brute-force scan, indexed or not', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  const texts = corpus(3000);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), texts.map((t, i) => textMsg(i, { text: { content: t } })));
  await importExports(store, { paths: [file] });
  const queries = ['保本', '保收益', '保', '本保', 'vx', 'VX', 'ｖｘ', '年化4.2%', '4.2', '😀', 'wechat', '稳赚不赔', '赔保', '，加', '保 ', '不存在', 'ox'];
  const brute = (q: string) => texts.filter((t) => foldForSearch(t).includes(foldForSearch(q))).length;
  // not indexed yet: scanned
  assert.equal(pendingCount(store.db), 3000);
  for (const q of queries) assert.equal(search(store.db, { q }).total, brute(q), `unindexed ${q}`);
  // half indexed
  await indexPending(store.db, { batchSize: 1500, maxBatches: 1 });
  assert.equal(pendingCount(store.db), 1500);
  for (const q of queries) assert.equal(search(store.db, { q }).total, brute(q), `half ${q}`);
  await indexPending(store.db);
  assert.equal(pendingCount(store.db), 0);
  for (const q of queries) {
    const r = search(store.db, { q });
    assert.equal(r.total, brute(q), `indexed ${q}`);
    assert.equal(r.pendingIndex, 0);
  }
  assert.ok(brute('vx') > 0 && brute('保') > brute('保本'));
});

test('results: newest first, snippet with the match highlighted, paging, filters', async () => {
  const dir = tmpDir();
  const store = newStore(dir);
  const roster = path.join(dir, 'staff.csv');
  fs.writeFileSync(roster, '员工ID,姓名,分行,支行\nzhangwei,张伟,杭州分行,西湖支行\nlina,李娜,宁波分行,鄞州支行\n');
  await importPeople(store.db, roster, 'staff');
  const long = '前面有很多很多的文字用来测试摘要截断是否正确，然后这里说保本保收益，后面还有很多很多的文字继续测试摘要的截断，再加上一些文字保证足够长';
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [
    textMsg(1, { text: { content: long } }),
    textMsg(2, { from: 'lina', tolist: ['wmX'], text: { content: '保本理财' } }),
    textMsg(3, { from: 'wmY', tolist: ['zhangwei'], text: { content: '你们的产品保本吗' } }),
    { ...textMsg(4), msgtype: 'link', text: undefined, link: { title: '保本产品介绍', description: '', link_url: 'https://x' } },
  ]);
  await importExports(store, { paths: [file] });
  await indexPending(store.db);
  const r = search(store.db, { q: '保本' });
  assert.equal(r.total, 4);
  assert.deepEqual(r.results.map((h) => h.msgid), ['m4', 'm3', 'm2', 'm1']);
  const h = r.results[3]!;
  assert.equal(h.snippet.slice(h.highlight![0], h.highlight![1]), '保本');
  assert.ok(h.snippet.startsWith('…') && h.snippet.endsWith('…') && h.snippet.length < long.length);
  assert.deepEqual(search(store.db, { q: '保本', limit: 2, offset: 1 }).results.map((x) => x.msgid), ['m3', 'm2']);
  assert.equal(search(store.db, { q: '保本', branch: '宁波分行' }).total, 1);
  assert.equal(search(store.db, { q: '保本', branch: '西湖支行' }).total, 3);
  assert.equal(search(store.db, { q: '保本', staff: 'lina' }).total, 1);
  assert.equal(search(store.db, { q: '保本', contact: 'wmY' }).total, 1);
  assert.equal(search(store.db, { q: '保本', types: ['link'] }).total, 1);
  assert.equal(search(store.db, { q: '保本', from: 1700000002000, to: 1700000004000 }).total, 2);
  assert.equal(search(store.db, { q: '保本', conversation: r.results[0]!.conversation! }).total, 2); // m1 and m4: zhangwei with wmCustomer0001
  assert.throws(() => search(store.db, { q: '  ' }), /search for/);
});

test('CLI: search QUERY and --jsonl, index built after import', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), corpus(500).map((t, i) => textMsg(i, { text: { content: t } })));
  const imp = cli(['import', '--db', db, file, '--json']);
  assert.match(imp.stderr, /search index/);
  const r = cli(['search', '--db', db, '微信', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.json.total > 0);
  assert.ok(r.json.results[0].snippet.includes('微信'));
  const lines = cli(['search', '--db', db, '--jsonl'], {}, '{"q":"微信"}\n{"q":"保"}\n');
  const out = lines.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((o) => o.q), ['微信', '保']);
  assert.equal(out[0].total, r.json.total);
  for (const o of out) assert.equal(typeof o.tookMs, 'number');
  assert.equal(cli(['search', '--db', db]).code, 2);
});
