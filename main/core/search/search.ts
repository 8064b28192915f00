/**
 * Full-text search over every message: any substring, Chinese or Latin (case-insensitive),
 * with an exact total. The bigram index answers for indexed messages; the few imported since
 * the last indexing run are scanned, so a total is never an estimate.
 */
import type { SearchHit, SearchInput, SearchResult } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import type { Db } from '../store/index.js';
import { indexedUpto } from './indexer.js';
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

function filters(input: SearchInput): { sql: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (input.from !== undefined) {
    where.push('m.msgtime >= ?');
    args.push(input.from);
  }
  if (input.to !== undefined) {
    where.push('m.msgtime < ?');
    args.push(input.to);
  }
  if (input.conversation !== undefined) {
    where.push('m.conversation_id = ?');
    args.push(input.conversation);
  }
  if (input.types?.length) {
    where.push(`m.msgtype IN (${input.types.map(() => '?').join(', ')})`);
    args.push(...input.types);
  }
  const person = (ids: string) => `(m.sender IN ${ids} OR c.party_a IN ${ids} OR c.party_b IN ${ids})`;
  if (input.staff) {
    where.push(person('(?)'));
    args.push(input.staff, input.staff, input.staff);
  }
  if (input.contact) {
    where.push(person('(?)'));
    args.push(input.contact, input.contact, input.contact);
  }
  if (input.branch) {
    const ids = '(SELECT userid FROM staff WHERE branch = ? OR sub_branch = ?)';
    where.push(person(ids));
    for (let i = 0; i < 3; i++) args.push(input.branch, input.branch);
  }
  return { sql: where.length ? ` AND ${where.join(' AND ')}` : '', args };
}

export function search(db: Db, input: SearchInput): SearchResult {
  const started = performance.now();
  const q = input.q;
  if (!q.trim()) throw new CoreError('usage', '请输入要搜索的内容', 'Type something to search for');
  const match = matchExpression(q)!;
  const upto = indexedUpto(db);
  const f = filters(input);
  const join = 'FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id';
  const indexedCount = db
    .prepare(`SELECT count(*) ${join} WHERE m.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?) AND m.id <= ?${f.sql}`)
    .pluck()
    .get(match, upto, ...f.args) as number;
  // the tail not indexed yet: scanned, so the total stays exact
  const needle = foldForSearch(q);
  const tail = (db.prepare(`SELECT m.id, m.text ${join} WHERE m.id > ?${f.sql}`).all(upto, ...f.args) as { id: number; text: string }[]).filter((r) =>
    foldForSearch(r.text).includes(needle),
  );
  const total = indexedCount + tail.length;
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const tailIds = tail.map((r) => r.id);
  const rows = db
    .prepare(
      `SELECT m.id, m.msgid, m.msgtime, m.sender, m.msgtype, m.conversation_id, m.text ${join}
       WHERE (m.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?) AND m.id <= ? OR m.id IN (SELECT value FROM json_each(?)))${f.sql}
       ORDER BY m.msgtime IS NULL, m.msgtime DESC, m.id DESC LIMIT ? OFFSET ?`,
    )
    .all(match, upto, JSON.stringify(tailIds), ...f.args, limit, offset) as { msgid: string; msgtime: number | null; sender: string; msgtype: string; conversation_id: number | null; text: string }[];
  const results: SearchHit[] = rows.map((r) => {
    const { snippet, highlight } = snippetOf(r.text, q);
    return { msgid: r.msgid, msgtime: r.msgtime, from: r.sender, msgtype: r.msgtype, conversation: r.conversation_id, snippet, highlight };
  });
  return { total, tookMs: Math.round((performance.now() - started) * 10) / 10, results, pendingIndex: tail.length ? tailIds.length : 0 };
}
