/**
 * Full-text search over every message: any substring, Chinese or Latin (case-insensitive),
 * with an exact total. The bigram index answers for indexed messages, newest first straight
 * from FTS5 (its rowid is a time key); the few imported since the last indexing run are
 * scanned, so a total is never an estimate.
 */
import type { SearchHit, SearchInput, SearchResult } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import { personFilters } from '../archive/people.sql.js';
import type { Db } from '../store/index.js';
import { MAX_MSGTIME } from '../archive/msgtime.js';
import { indexedUpto, msKey } from './indexer.js';
import { foldForSearch, matchExpression } from './tokens.js';

const SNIPPET_RADIUS = 24;

export function snippetOf(text: string, q: string): { snippet: string; highlight: [number, number] | null } {
  const folded = foldForSearch(text);
  const at = folded.indexOf(foldForSearch(q));
  if (at < 0) return { snippet: text.slice(0, SNIPPET_RADIUS * 2), highlight: null };
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(text.length, at + q.length + SNIPPET_RADIUS);
  const prefix = start > 0 ? '…' : '';
  const snippet = prefix + text.slice(start, end) + (end < text.length ? '…' : '');
  return { snippet: snippet.replace(/\n/g, ' '), highlight: [prefix.length + at - start, prefix.length + at - start + q.length] };
}

/** Filters on the message row (m) and its conversation (c), as SQL and arguments. */
function rowFilters(input: SearchInput): { sql: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (input.conversation !== undefined) {
    where.push('m.conversation_id = ?');
    args.push(input.conversation);
  }
  if (input.types?.length) {
    where.push(`m.msgtype IN (${input.types.map(() => '?').join(', ')})`);
    args.push(...input.types);
  }
  const people = personFilters(input);
  where.push(...people.where);
  args.push(...people.args);
  return { sql: where.join(' AND '), args };
}

type Row = { id: number; msgid: string; msgtime: number | null; sender: string; msgtype: string; conversation_id: number | null; text: string };
const COLS = 'm.id, m.msgid, m.msgtime, m.sender, m.msgtype, m.conversation_id, m.text';
/**
 * A time filter's bound as the millisecond whose first key it is: msgtime ≥ t and msgtime < t
 * both hold exactly when they hold for ⌈t⌉ (times are integers); clamped to the times the
 * archive accepts, so the key stays a 64-bit integer.
 */
function boundOf(t: number): number {
  if (Number.isNaN(t)) throw new CoreError('usage', '时间筛选不是数字', 'The time filter is not a number');
  return Math.min(Math.max(Math.ceil(t), 0), MAX_MSGTIME);
}

const newestFirst = (a: Row, b: Row) => (b.msgtime ?? -1) - (a.msgtime ?? -1) || b.id - a.id;

export function search(db: Db, input: SearchInput): SearchResult {
  const started = performance.now();
  const q = input.q;
  if (!q.trim()) throw new CoreError('usage', '请输入要搜索的内容', 'Type something to search for');
  const match = matchExpression(q)!;
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const rf = rowFilters(input);

  // indexed part: time filters are rowid ranges of the index (exact 64-bit keys). Any time
  // filter starts at key 0, which leaves out undated messages (negative keys), as the scanned
  // part's SQL does (NULL compares to nothing).
  const idx: string[] = ['search_index MATCH ?'];
  const idxArgs: (string | number | bigint)[] = [match];
  if (input.from !== undefined || input.to !== undefined) {
    idx.push('s.rowid >= ?');
    idxArgs.push(msKey(boundOf(input.from ?? 0)));
  }
  if (input.to !== undefined) {
    idx.push('s.rowid < ?');
    idxArgs.push(msKey(boundOf(input.to)));
  }
  const joined = 'search_index s CROSS JOIN search_docs d ON d.key = s.rowid CROSS JOIN messages m ON m.id = d.message_id LEFT JOIN conversations c ON c.id = m.conversation_id';
  const where = `${idx.join(' AND ')}${rf.sql ? ` AND ${rf.sql}` : ''}`;
  const indexedTotal = rf.sql
    ? (db.prepare(`SELECT count(*) FROM ${joined} WHERE ${where}`).pluck().get(...idxArgs, ...rf.args) as number)
    : (db.prepare(`SELECT count(*) FROM search_index s WHERE ${idx.join(' AND ')}`).pluck().get(...idxArgs) as number);
  const page = db
    .prepare(`SELECT ${COLS} FROM ${joined} WHERE ${where} ORDER BY s.rowid DESC LIMIT ?`)
    .all(...idxArgs, ...rf.args, offset + limit) as Row[];

  // the tail not indexed yet, and the few messages the index holds no key for: scanned, so the
  // total stays exact
  const upto = indexedUpto(db);
  const unkeyed = db.prepare('SELECT EXISTS(SELECT 1 FROM search_unkeyed)').pluck().get() === 1;
  const tw: string[] = [unkeyed ? '(m.id > ? OR m.id IN (SELECT message_id FROM search_unkeyed))' : 'm.id > ?'];
  const twArgs: (string | number)[] = [upto];
  if (input.from !== undefined) {
    tw.push('m.msgtime >= ?');
    twArgs.push(input.from);
  }
  if (input.to !== undefined) {
    tw.push('m.msgtime < ?');
    twArgs.push(input.to);
  }
  if (rf.sql) tw.push(rf.sql);
  const needle = foldForSearch(q);
  const tail = (db.prepare(`SELECT ${COLS} FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE ${tw.join(' AND ')}`).all(...twArgs, ...rf.args) as Row[]).filter((r) =>
    foldForSearch(r.text).includes(needle),
  );

  const rows = tail.length ? [...page, ...tail].sort(newestFirst) : page;
  const results: SearchHit[] = rows.slice(offset, offset + limit).map((r) => {
    const { snippet, highlight } = snippetOf(r.text, q);
    return { msgid: r.msgid, msgtime: r.msgtime, from: r.sender, msgtype: r.msgtype, conversation: r.conversation_id, snippet, highlight };
  });
  const pendingIndex = unkeyed ? tail.filter((r) => r.id > upto).length : tail.length;
  return { total: indexedTotal + tail.length, tookMs: Math.round((performance.now() - started) * 10) / 10, results, pendingIndex };
}
