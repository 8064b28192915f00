/**
 * Search part of the bench, on the store the import part left: builds the bigram index, runs a
 * fixed set of queries (p50/p95 over repeats, exact totals checked against a brute-force scan of
 * the same texts in the same run), then builds the alternative (FTS5 trigram with a LIKE fallback
 * for queries under three characters) on the same texts for latency and size.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { indexPending, optimizeIndex } from '../main/core/search/indexer.js';
import { search } from '../main/core/search/search.js';
import { foldForSearch } from '../main/core/search/tokens.js';
import { openStore } from '../main/core/store/index.js';

const [dbPath] = process.argv.slice(2) as [string];
export const QUERIES = ['保本', '微信', '理财', '存款', '收益', '您好', '保本保收益', '稳赚不赔', '个人账户', '年化4.2%', '大额存单', '私人微信', '风险等级R2', 'ok', 'OK 没问题', '保', '赔', '张经理', '不存在的词语', 'https'];
const REPEATS = 5;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const store = openStore(dbPath, 'bench-passphrase');
const db = store.db;
const sizeBefore = fs.statSync(dbPath).size;
let t = performance.now();
const ix = await indexPending(db);
optimizeIndex(db);
const indexMs = performance.now() - t;
store.close();
const sizeAfter = fs.statSync(dbPath).size;
const store2 = openStore(dbPath, 'bench-passphrase');

const texts = (store2.db.prepare('SELECT text FROM messages ORDER BY id').pluck().all() as string[]);
const textBytes = texts.reduce((a, x) => a + Buffer.byteLength(x), 0);
const ours: number[] = [];
const perQuery: { q: string; total: number; brute: number; p50: number; bruteMs: number }[] = [];
let exact = true;
for (const q of QUERIES) {
  const lat: number[] = [];
  let total = 0;
  for (let i = 0; i < REPEATS; i++) {
    const s = performance.now();
    total = search(store2.db, { q, limit: 50 }).total;
    lat.push(performance.now() - s);
  }
  ours.push(...lat);
  const needle = foldForSearch(q);
  const s = performance.now();
  let brute = 0;
  for (const x of texts) if (foldForSearch(x).includes(needle)) brute++;
  const bruteMs = performance.now() - s;
  if (brute !== total) exact = false;
  perQuery.push({ q, total, brute, p50: pct(lat, 50), bruteMs });
}
store2.close();

// the alternative: FTS5 trigram over the same texts, LIKE scan under three characters
const triPath = `${dbPath}.trigram`;
for (const f of [triPath, `${triPath}-journal`]) fs.rmSync(f, { force: true });
const tri = new Database(triPath);
tri.pragma(`cipher='sqlcipher'`);
tri.pragma('legacy=3');
tri.pragma('legacy_page_size=16384');
tri.pragma(`key="x'${'11'.repeat(32)}'"`);
tri.pragma('journal_mode=TRUNCATE');
tri.pragma('cache_size=-65536');
tri.exec(`CREATE TABLE docs(id INTEGER PRIMARY KEY, text TEXT NOT NULL); CREATE VIRTUAL TABLE tri USING fts5(text, content='docs', content_rowid='id', tokenize='trigram case_sensitive 0')`);
const insDoc = tri.prepare('INSERT INTO docs(id, text) VALUES (?, ?)');
tri.transaction(() => texts.forEach((x, i) => insDoc.run(i + 1, x)))();
const docsOnly = fs.statSync(triPath).size;
t = performance.now();
tri.exec(`INSERT INTO tri(tri) VALUES ('rebuild'); INSERT INTO tri(tri) VALUES ('optimize')`);
const triMs = performance.now() - t;
const triSize = fs.statSync(triPath).size - docsOnly;
// LIKE on the FTS5 table uses the trigram index for patterns of three or more characters and
// falls back to scanning every row below that
const triLike = tri.prepare(`SELECT count(*) FROM tri WHERE text LIKE ?`).pluck();
const triLat: number[] = [];
let triExact = true;
for (const [i, q] of QUERIES.entries()) {
  for (let r = 0; r < 2; r++) {
    const s = performance.now();
    const n = triLike.get(`%${q}%`) as number;
    triLat.push(performance.now() - s);
    if (n !== perQuery[i]!.brute) triExact = false;
  }
}
tri.close();
for (const f of [triPath, `${triPath}-journal`]) fs.rmSync(f, { force: true });

process.stdout.write(
  `${JSON.stringify({
    messages: texts.length,
    textMb: textBytes / 2 ** 20,
    indexed: ix.indexed,
    indexMs,
    indexMb: (sizeAfter - sizeBefore) / 2 ** 20,
    p50: pct(ours, 50),
    p95: pct(ours, 95),
    exact,
    bruteP50: pct(perQuery.map((x) => x.bruteMs), 50),
    perQuery,
    trigram: { buildMs: triMs, indexMb: triSize / 2 ** 20, p50: pct(triLat, 50), p95: pct(triLat, 95), exact: triExact },
  })}\n`,
);
