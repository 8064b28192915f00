/** Read-side queries over the archive: counts, messages in time order, quarantine. */
import type { MessageRow, QuarantineEntry, Stats } from '../../../preload/api.js';
import type { Db } from '../store/index.js';

const tableExists = (db: Db, name: string) =>
  !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);

export function stats(db: Db): Stats {
  const one = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  // fromEntries defines each key as the object's own, so a stored msgtype such as "__proto__"
  // (imported before such names were refused) is counted, never assigned to the prototype
  const byType: Record<string, number> = Object.fromEntries(
    (db.prepare('SELECT msgtype, count(*) AS n FROM messages GROUP BY msgtype ORDER BY n DESC').all() as { msgtype: string; n: number }[]).map((r) => [r.msgtype, r.n]),
  );
  const media = { linked: 0, missing: 0, mismatched: 0, notStored: 0 };
  for (const r of db.prepare('SELECT status, count(*) AS n FROM message_media GROUP BY status').all() as { status: string; n: number }[]) {
    if (r.status === 'linked') media.linked = r.n;
    else if (r.status === 'missing') media.missing = r.n;
    else if (r.status === 'md5_mismatch') media.mismatched = r.n;
    else media.notStored += r.n; // too_large, unreadable
  }
  const range = db.prepare('SELECT min(msgtime) AS first, max(msgtime) AS last FROM messages').get() as { first: number | null; last: number | null };
  const lastImport = db.prepare(`SELECT value FROM meta WHERE key = 'last_import_at'`).pluck().get() as string | undefined;
  return {
    messages: one('SELECT count(*) FROM messages'),
    conversations: one('SELECT count(*) FROM conversations'),
    staff: tableExists(db, 'staff') ? one('SELECT count(*) FROM staff') : 0,
    contacts: tableExists(db, 'contacts') ? one('SELECT count(*) FROM contacts') : 0,
    byType,
    quarantined: one('SELECT count(*) FROM quarantine'),
    media,
    firstMessageAt: range.first,
    lastMessageAt: range.last,
    lastImportAt: lastImport ? Number(lastImport) : null,
  };
}

export type MessageQuery = { conversation?: number; from?: number; to?: number; limit?: number };

/** `scope`: WHERE clauses on m (messages) and c (conversations) that keep the list within a user's branch (review/policy.ts). */
export function listMessages(db: Db, q: MessageQuery, scope: { where: string[]; args: string[] } = { where: [], args: [] }): MessageRow[] {
  const where: string[] = [...scope.where];
  const args: (number | string)[] = [...scope.args];
  if (q.conversation !== undefined) {
    where.push('m.conversation_id = ?');
    args.push(q.conversation);
  }
  if (q.from !== undefined) {
    where.push('m.msgtime >= ?');
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('m.msgtime < ?');
    args.push(q.to);
  }
  const sql = `SELECT m.msgid, m.msgtime, m.sender, m.msgtype, m.action, m.text, m.conversation_id, m.roomid, m.tolist, m.seq FROM messages m
    LEFT JOIN conversations c ON c.id = m.conversation_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY m.msgtime IS NULL, m.msgtime, m.id LIMIT ?`;
  args.push(q.limit ?? 1000);
  return (db.prepare(sql).all(...args) as Record<string, any>[]).map((r) => ({
    msgid: r.msgid,
    msgtime: r.msgtime,
    from: r.sender,
    msgtype: r.msgtype,
    action: r.action,
    text: r.text,
    conversation: r.conversation_id,
    roomid: r.roomid,
    tolist: JSON.parse(r.tolist) as string[],
    seq: r.seq,
  }));
}

export function listQuarantine(db: Db, limit = 10000): QuarantineEntry[] {
  return db.prepare('SELECT file, line, reason, excerpt, at FROM quarantine ORDER BY file, line, item LIMIT ?').all(limit) as QuarantineEntry[];
}
