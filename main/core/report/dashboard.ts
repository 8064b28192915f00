/**
 * The dashboard's numbers: hits over time by category, by branch, top staff, the review backlog
 * and import freshness; each series carries the filter that lists its hits, so a chart click
 * opens the matching hits.
 */
import type { Dashboard } from '../../../preload/api.js';
import { staffPartyOf } from '../archive/people.sql.js';
import type { Db } from '../store/index.js';

const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;

export function dashboard(db: Db, o: { from: number; to: number; branch?: string }): Dashboard {
  const staffOf = staffPartyOf('NULL');
  const FROM = `FROM hits h JOIN messages m ON m.id = h.message_id LEFT JOIN conversations c ON c.id = m.conversation_id LEFT JOIN staff s ON s.userid = (${staffOf})`;
  const where = ['h.retired_scan_id IS NULL', 'm.msgtime >= ?', 'm.msgtime < ?'];
  const args: (string | number)[] = [o.from, o.to];
  if (o.branch) {
    where.push('(s.branch = ? OR s.sub_branch = ?)');
    args.push(o.branch, o.branch);
  }
  const W = `WHERE ${where.join(' AND ')}`;
  const byDay = db
    .prepare(`SELECT ((m.msgtime + ${BEIJING}) / ${DAY}) * ${DAY} - ${BEIJING} AS day, h.category, count(*) AS n ${FROM} ${W} GROUP BY day, h.category ORDER BY day`)
    .all(...args) as { day: number; category: string; n: number }[];
  const byBranch = db.prepare(`SELECT coalesce(s.branch, '') AS branch, count(*) AS n ${FROM} ${W} GROUP BY s.branch ORDER BY n DESC`).all(...args) as { branch: string; n: number }[];
  const topStaff = db
    .prepare(`SELECT s.userid, s.name, s.branch, count(*) AS n, sum(h.severity = 'high') AS high ${FROM} ${W} AND s.userid IS NOT NULL GROUP BY s.userid ORDER BY high DESC, n DESC LIMIT 10`)
    .all(...args) as { userid: string; name: string; branch: string; n: number; high: number }[];
  const backlog = db.prepare(`SELECT h.status, h.severity, count(*) AS n ${FROM} ${W} GROUP BY h.status, h.severity`).all(...args) as { status: string; severity: string; n: number }[];
  const lastImportAt = Number(db.prepare(`SELECT value FROM meta WHERE key = 'last_import_at'`).pluck().get() ?? 0) || null;
  const lastMessageAt = (db.prepare('SELECT max(msgtime) FROM messages').pluck().get() as number | null) ?? null;
  const openCases = db.prepare(`SELECT count(*) FROM cases WHERE status != 'closed'`).pluck().get() as number;
  const overdueCases = db.prepare(`SELECT count(*) FROM cases WHERE status != 'closed' AND due_at IS NOT NULL AND due_at < ?`).pluck().get(Date.now()) as number;
  return {
    from: o.from,
    to: o.to,
    byDay: byDay.map((r) => ({ day: r.day, category: r.category, hits: r.n, filter: { category: r.category, from: r.day, to: r.day + DAY } })),
    byBranch: byBranch.map((r) => ({ branch: r.branch, hits: r.n, filter: r.branch ? { branch: r.branch, from: o.from, to: o.to } : { from: o.from, to: o.to } })),
    topStaff: topStaff.map((r) => ({ staff: r.userid, name: r.name, branch: r.branch, hits: r.n, high: r.high, filter: { staff: r.userid, from: o.from, to: o.to } })),
    backlog: backlog.map((r) => ({ status: r.status, severity: r.severity, hits: r.n, filter: { status: r.status, severity: r.severity, from: o.from, to: o.to } })),
    freshness: { lastImportAt, lastMessageAt, openCases, overdueCases },
  };
}
