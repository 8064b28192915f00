/**
 * The dashboard's numbers: hits over time by category, by branch, top staff, the review backlog
 * and import freshness; each series carries the filter that lists its hits, so a chart click
 * opens the matching hits. Every count is read the way hits.list reads that filter (a person or
 * branch concerns a hit when its message was sent by them or their conversation has them as a
 * party: people.sql.ts), so the number on a bar is the number of hits its click lists.
 */
import type { Dashboard, HitFilter } from '../../../preload/api.js';
import { personFilters } from '../archive/people.sql.js';
import type { Db } from '../store/index.js';

const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;

/** the staff members a hit's message concerns: its sender, or a party of its conversation */
const INVOLVED = 'JOIN staff s ON s.userid IN (m.sender, c.party_a, c.party_b)';

export function dashboard(db: Db, o: { from: number; to: number; branch?: string }): Dashboard {
  const FROM = 'FROM hits h JOIN messages m ON m.id = h.message_id LEFT JOIN conversations c ON c.id = m.conversation_id';
  const people = personFilters({ branch: o.branch });
  const W = `WHERE ${['h.retired_scan_id IS NULL', 'm.msgtime >= ?', 'm.msgtime < ?', ...people.where].join(' AND ')}`;
  const args: (string | number)[] = [o.from, o.to, ...people.args];
  // a dashboard for one branch lists that branch's hits only, and so does every click on it
  const scope: HitFilter = o.branch ? { branch: o.branch } : {};
  const period: HitFilter = { from: o.from, to: o.to, ...scope };
  // grouping and ranking by staff keeps to the branch's own staff
  const inScope = o.branch ? ' AND (s.branch = ? OR s.sub_branch = ?)' : '';
  const scopeArgs = o.branch ? [o.branch, o.branch] : [];

  const byDay = db
    .prepare(`SELECT ((m.msgtime + ${BEIJING}) / ${DAY}) * ${DAY} - ${BEIJING} AS day, h.category, count(*) AS n ${FROM} ${W} GROUP BY day, h.category ORDER BY day`)
    .all(...args) as { day: number; category: string; n: number }[];

  // the whole bank by branch (分行); one branch, or a bank of one branch, by its sub-branches (支行)
  const branches = db.prepare('SELECT count(DISTINCT branch) FROM staff').pluck().get() as number;
  const level = o.branch || branches <= 1 ? 's.sub_branch' : 's.branch';
  const byBranch = db
    .prepare(`SELECT coalesce(${level}, '') AS grp, count(DISTINCT h.id) AS n ${FROM} ${INVOLVED}${inScope} ${W} GROUP BY grp ORDER BY n DESC, grp`)
    .all(...scopeArgs, ...args) as { grp: string; n: number }[];
  // hits no staff member is party to (a branch's dashboard has none: its filter needs its staff)
  const unattributed = o.branch ? 0 : (db.prepare(`SELECT count(*) ${FROM} ${W} AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.userid IN (m.sender, c.party_a, c.party_b))`).pluck().get(...args) as number);

  const topStaff = db
    .prepare(
      `SELECT s.userid, s.name, s.branch, count(DISTINCT h.id) AS n, count(DISTINCT CASE WHEN h.severity = 'high' THEN h.id END) AS high
       ${FROM} ${INVOLVED}${inScope} ${W} GROUP BY s.userid ORDER BY high DESC, n DESC, s.userid LIMIT 10`,
    )
    .all(...scopeArgs, ...args) as { userid: string; name: string; branch: string; n: number; high: number }[];
  const backlog = db.prepare(`SELECT h.status, h.severity, count(*) AS n ${FROM} ${W} GROUP BY h.status, h.severity`).all(...args) as { status: string; severity: string; n: number }[];

  const lastImportAt = Number(db.prepare(`SELECT value FROM meta WHERE key = 'last_import_at'`).pluck().get() ?? 0) || null;
  const lastMessageAt = (db.prepare('SELECT max(msgtime) FROM messages').pluck().get() as number | null) ?? null;
  const openCases = db.prepare(`SELECT count(*) FROM cases WHERE status != 'closed'`).pluck().get() as number;
  const overdueCases = db.prepare(`SELECT count(*) FROM cases WHERE status != 'closed' AND due_at IS NOT NULL AND due_at < ?`).pluck().get(Date.now()) as number;
  return {
    from: o.from,
    to: o.to,
    byDay: byDay.map((r) => ({ day: r.day, category: r.category, hits: r.n, filter: { category: r.category, from: r.day, to: r.day + DAY, ...scope } })),
    // a nameless group (staff without a branch, or hits no staff is party to) has no filter of its own: it opens the period
    byBranch: withUnattributed(byBranch.map((r) => ({ name: r.grp, n: r.n })), unattributed).map((r) => ({ branch: r.name, hits: r.n, filter: r.name ? { ...period, branch: r.name } : period })),
    topStaff: topStaff.map((r) => ({ staff: r.userid, name: r.name, branch: r.branch, hits: r.n, high: r.high, filter: { ...period, staff: r.userid } })),
    backlog: backlog.map((r) => ({ status: r.status, severity: r.severity, hits: r.n, filter: { ...period, status: r.status, severity: r.severity } })),
    freshness: { lastImportAt, lastMessageAt, openCases, overdueCases },
  };
}

/** the nameless group, with the hits no staff member is party to added to it, goes last */
function withUnattributed(rows: { name: string; n: number }[], unattributed: number): { name: string; n: number }[] {
  const nameless = (rows.find((r) => !r.name)?.n ?? 0) + unattributed;
  return [...rows.filter((r) => r.name), ...(nameless ? [{ name: '', n: nameless }] : [])];
}
