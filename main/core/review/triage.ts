/**
 * Triage and cases. A hit is new, confirmed, dismissed (with a reason) or escalated; every
 * change is kept as history. Dismissing the same false alarm again and again becomes an
 * exclusion proposal for the compliance manager. Cases group hits with an owner, notes, a due
 * date, a status workflow and a timeline.
 */
import type { CaseDetail, CaseRow, Proposal, Review, TriageStatus } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import { addExclusion, type ExclusionResult } from '../rules/dictionaries.js';
import { listHits } from '../scan/hits.js';
import type { Db } from '../store/index.js';

export const DISMISS_REASONS = ['误报：否定或合规披露语境', '误报：非业务语境', '误报：词条过宽', '已核实无违规', '已整改', '其他'] as const;
/** this many dismissals of the same match for the same rule make an exclusion proposal */
export const PROPOSAL_AFTER = 3;

export function triage(db: Db, hitIds: number[], status: TriageStatus, user: string, reason = '', note = ''): { updated: number; proposals: Proposal[] } {
  if (status === 'dismissed' && !reason) throw new CoreError('usage', '驳回需要选择原因', 'Dismissing needs a reason');
  const exists = db.prepare('SELECT id FROM hits WHERE id = ?').pluck();
  const missing = hitIds.filter((id) => !exists.get(id));
  if (missing.length) throw new CoreError('not_found', `没有这些命中：${missing.join(', ')}`, `No such hits: ${missing.join(', ')}`);
  const now = Date.now();
  const upd = db.prepare('UPDATE hits SET status = ? WHERE id = ?');
  const hist = db.prepare('INSERT INTO hit_reviews(hit_id, status, reason, note, user, at) VALUES (?, ?, ?, ?, ?, ?)');
  const proposals: Proposal[] = [];
  db.transaction(() => {
    for (const id of hitIds) {
      upd.run(status, id);
      hist.run(id, status, reason, note, user, now);
    }
    if (status === 'dismissed' && reason.startsWith('误报')) proposals.push(...propose(db, hitIds));
  })();
  return { updated: hitIds.length, proposals };
}

/** Repeated false alarms on the same words: propose the phrase around them as an exclusion. */
function propose(db: Db, hitIds: number[]): Proposal[] {
  const out: Proposal[] = [];
  const hit = db.prepare('SELECT h.rule, h.match, h.start, h.end, m.text FROM hits h JOIN messages m ON m.id = h.message_id WHERE h.id = ?');
  const count = db.prepare(`SELECT count(*) FROM hits WHERE rule = ? AND match = ? AND status = 'dismissed' AND category != 'behaviour'`).pluck();
  const upsert = db.prepare(
    `INSERT INTO exclusion_proposals(rule, phrase, dismissals, status, created_at) VALUES (?, ?, ?, 'open', ?)
     ON CONFLICT(rule, phrase) DO UPDATE SET dismissals = excluded.dismissals RETURNING id, rule, phrase, dismissals, status, created_at`,
  );
  for (const id of hitIds) {
    const h = hit.get(id) as { rule: string; match: string; start: number; end: number; text: string } | undefined;
    if (!h || h.rule.startsWith('behaviour.') || h.rule.startsWith('pii.')) continue;
    const n = count.get(h.rule, h.match) as number;
    if (n < PROPOSAL_AFTER) continue;
    // the match with the words just before it: the usual shape of an exclusion (不保本, 非保本)
    const phrase = h.text.slice(Math.max(0, h.start - 2), h.end).replace(/\s+/g, '');
    const r = upsert.get(h.rule, phrase, n, Date.now()) as { id: number };
    out.push(getProposal(db, r.id));
  }
  return out;
}

const proposalRow = (r: Record<string, any>): Proposal => ({
  id: r.id,
  rule: r.rule,
  phrase: r.phrase,
  dismissals: r.dismissals,
  status: r.status,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  dictionary: r.dictionary,
  version: r.dictionary_version,
});

export function listProposals(db: Db): Proposal[] {
  return (db.prepare(`SELECT * FROM exclusion_proposals ORDER BY status = 'open' DESC, dismissals DESC`).all() as Record<string, any>[]).map(proposalRow);
}

function getProposal(db: Db, id: number): Proposal {
  const r = db.prepare('SELECT * FROM exclusion_proposals WHERE id = ?').get(id) as Record<string, any> | undefined;
  if (!r) throw new CoreError('not_found', `没有这个建议：${id}`, `No such proposal: ${id}`);
  return proposalRow(r);
}

/**
 * Accept or reject an open proposal. Accepting adds its phrase to the rule's exclusions in a new
 * dictionary version (rules/dictionaries.ts addExclusion: the dictionary holding the rule, or the
 * decider's additions dictionary when that is the baseline or another scope's), and links the
 * proposal to it; a full rescan then retires the hits it cancels. All or nothing.
 */
export function decideProposal(db: Db, id: number, accept: boolean, decider: { user: string; branch: string }): { proposal: Proposal; exclusion: ExclusionResult | null } {
  return db.transaction(() => {
    const p = getProposal(db, id);
    if (p.status !== 'open') {
      throw new CoreError('rejected', `建议 ${id} 已处理（${p.status === 'accepted' ? '已采纳' : '已拒绝'}，${p.decidedBy}）`, `Proposal ${id} was decided already (${p.status}, by ${p.decidedBy})`);
    }
    const exclusion = accept ? addExclusion(db, p.rule, p.phrase, decider, `采纳排除建议 #${id}：规则 ${p.rule} 排除「${p.phrase}」（${p.dismissals} 次误报驳回）/ exclusion proposal ${id} accepted`) : null;
    db.prepare('UPDATE exclusion_proposals SET status = ?, decided_by = ?, decided_at = ?, dictionary = ?, dictionary_version = ? WHERE id = ?').run(
      accept ? 'accepted' : 'rejected',
      decider.user,
      Date.now(),
      exclusion?.dictionary ?? '',
      exclusion?.version ?? null,
      id,
    );
    return { proposal: getProposal(db, id), exclusion };
  })();
}

export function reviewHistory(db: Db, hit: number): Review[] {
  return (db.prepare('SELECT hit_id, status, reason, note, user, at FROM hit_reviews WHERE hit_id = ? ORDER BY at, id').all(hit) as Record<string, any>[]).map((r) => ({
    hitId: r.hit_id,
    status: r.status,
    reason: r.reason,
    note: r.note,
    user: r.user,
    at: r.at,
  }));
}

const caseRow = (r: Record<string, any>): CaseRow => ({
  id: r.id,
  title: r.title,
  status: r.status,
  conclusion: r.conclusion,
  assignee: r.assignee,
  dueAt: r.due_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  hits: r.hits,
});
const CASE_SELECT = 'SELECT c.*, (SELECT count(*) FROM case_hits x WHERE x.case_id = c.id) AS hits FROM cases c';

export function createCase(db: Db, title: string, hits: number[], user: string, assignee = '', dueAt: number | null = null, note = ''): number {
  return db.transaction(() => {
    const now = Date.now();
    const id = Number(db.prepare('INSERT INTO cases(title, assignee, due_at, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(title, assignee, dueAt, user, now).lastInsertRowid);
    const event = db.prepare('INSERT INTO case_events(case_id, at, user, kind, text) VALUES (?, ?, ?, ?, ?)');
    event.run(id, now, user, 'created', title);
    addHits(db, id, hits, user);
    if (assignee) event.run(id, now, user, 'assign', assignee);
    if (note) event.run(id, now, user, 'note', note);
    return id;
  })();
}

function addHits(db: Db, caseId: number, hits: number[], user: string): void {
  const exists = db.prepare('SELECT 1 FROM hits WHERE id = ?');
  const missing = hits.filter((h) => !exists.get(h));
  if (missing.length) throw new CoreError('not_found', `没有这些命中：${missing.join(', ')}`, `No such hits: ${missing.join(', ')}`);
  const ins = db.prepare('INSERT OR IGNORE INTO case_hits(case_id, hit_id) VALUES (?, ?)');
  let n = 0;
  for (const h of hits) n += ins.run(caseId, h).changes;
  if (n) db.prepare('INSERT INTO case_events(case_id, at, user, kind, text) VALUES (?, ?, ?, ?, ?)').run(caseId, Date.now(), user, 'hits', `+${n}: ${hits.join(', ')}`);
}

export function listCases(db: Db, status?: string): CaseRow[] {
  return (db.prepare(`${CASE_SELECT} ${status ? 'WHERE c.status = ?' : ''} ORDER BY c.status = 'closed', c.due_at IS NULL, c.due_at, c.id DESC`).all(...(status ? [status] : [])) as Record<string, any>[]).map(caseRow);
}

export function getCase(db: Db, id: number): CaseDetail {
  const r = db.prepare(`${CASE_SELECT} WHERE c.id = ?`).get(id) as Record<string, any> | undefined;
  if (!r) throw new CoreError('not_found', `没有这个案件：${id}`, `No such case: ${id}`);
  const hitIds = new Set(db.prepare('SELECT hit_id FROM case_hits WHERE case_id = ?').pluck().all(id) as number[]);
  const hitRows = listHits(db, { includeRetired: true, limit: 100_000 }).hits.filter((h) => hitIds.has(h.id));
  const events = db.prepare('SELECT at, user, kind, text FROM case_events WHERE case_id = ? ORDER BY id').all(id) as CaseDetail['events'];
  return { ...caseRow(r), hitRows, events };
}

export type CaseUpdate = { status?: 'open' | 'investigating' | 'closed'; conclusion?: 'violation_confirmed' | 'not_confirmed'; assignee?: string; dueAt?: number | null; note?: string; addHits?: number[] };

export function updateCase(db: Db, id: number, u: CaseUpdate, user: string): CaseRow {
  const current = getCase(db, id);
  return db.transaction(() => {
    const now = Date.now();
    const event = db.prepare('INSERT INTO case_events(case_id, at, user, kind, text) VALUES (?, ?, ?, ?, ?)');
    if (u.status && u.status !== current.status) {
      if (u.status === 'closed' && !u.conclusion && !current.conclusion) {
        throw new CoreError('usage', '结案需要结论：违规属实 或 违规不属实', 'Closing a case needs a conclusion: violation confirmed or not confirmed');
      }
      if (current.status === 'closed') throw new CoreError('usage', '已结案的案件不能再更改状态', 'A closed case cannot change status');
      db.prepare('UPDATE cases SET status = ?, closed_at = ? WHERE id = ?').run(u.status, u.status === 'closed' ? now : null, id);
      event.run(id, now, user, 'status', u.status);
    }
    if (u.conclusion) {
      db.prepare('UPDATE cases SET conclusion = ? WHERE id = ?').run(u.conclusion, id);
      event.run(id, now, user, 'conclusion', u.conclusion);
    }
    if (u.assignee !== undefined && u.assignee !== current.assignee) {
      db.prepare('UPDATE cases SET assignee = ? WHERE id = ?').run(u.assignee, id);
      event.run(id, now, user, 'assign', u.assignee);
    }
    if (u.dueAt !== undefined) {
      db.prepare('UPDATE cases SET due_at = ? WHERE id = ?').run(u.dueAt, id);
      event.run(id, now, user, 'due', u.dueAt === null ? '' : new Date(u.dueAt).toISOString());
    }
    if (u.note) event.run(id, now, user, 'note', u.note);
    if (u.addHits?.length) addHits(db, id, u.addHits, user);
    return listCases(db).find((c) => c.id === id)!;
  })();
}
