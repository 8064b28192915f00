/** The hits list for review: filters by category, severity, branch, staff, time and status. */
import type { HitRow } from '../../../preload/api.js';
import { personFilters } from '../archive/people.sql.js';
import type { Db } from '../store/index.js';
import { toViewMessages } from '../viewer/conversations.js';

export type HitQuery = { category?: string; severity?: string; staff?: string; branch?: string; status?: string; from?: number; to?: number; includeRetired?: boolean; limit?: number; offset?: number };

export function listHits(db: Db, q: HitQuery): { total: number; hits: HitRow[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (!q.includeRetired) where.push('h.retired_scan_id IS NULL');
  if (q.category) {
    where.push('h.category = ?');
    args.push(q.category);
  }
  if (q.severity) {
    where.push('h.severity = ?');
    args.push(q.severity);
  }
  if (q.status) {
    where.push('h.status = ?');
    args.push(q.status);
  }
  if (q.from !== undefined) {
    where.push('m.msgtime >= ?');
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('m.msgtime < ?');
    args.push(q.to);
  }
  const people = personFilters({ staff: q.staff, branch: q.branch });
  where.push(...people.where);
  args.push(...people.args);
  const from = `FROM hits h JOIN messages m ON m.id = h.message_id LEFT JOIN conversations c ON c.id = m.conversation_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(...args) as number;
  const rows = db
    .prepare(
      `SELECT h.id, h.rule, h.category, h.severity, h.start, h.end, h.match, h.source, h.status, h.scan_id,
              m.id AS mid, m.msgid, m.seq, m.action, m.sender, m.tolist, m.msgtime, m.msgtype, m.text, m.raw, m.conversation_id
       ${from} ORDER BY m.msgtime IS NULL, m.msgtime DESC, h.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit ?? 500, q.offset ?? 0) as Record<string, any>[];
  const views = toViewMessages(
    db,
    rows.map((r) => ({ id: r.mid, msgid: r.msgid, seq: r.seq, action: r.action, sender: r.sender, tolist: r.tolist, msgtime: r.msgtime, msgtype: r.msgtype, text: r.text, raw: r.raw })),
  );
  return {
    total,
    hits: rows.map((r, i) => ({
      id: r.id,
      msgid: r.msgid,
      conversation: r.conversation_id,
      msgtime: r.msgtime,
      from: views[i]!.from,
      category: r.category,
      rule: r.rule,
      severity: r.severity,
      start: r.start,
      end: r.end,
      match: r.match,
      text: r.text,
      source: r.source,
      status: r.status,
      scanId: r.scan_id,
    })),
  };
}
