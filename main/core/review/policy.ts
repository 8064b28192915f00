/**
 * The policy gate's rules in one place: what a user's branch scope lets them see and touch, and
 * what is masked for them. Every handler that reads or changes something of a message — a hit,
 * a case, a conversation, a contact, an evidence pack — asks here, in SQL where it lists (so a
 * scoped user's LIMIT counts rows of their scope, never rows filtered away afterwards) and by
 * target where it acts. Masking is one function per kind of output, for the same user the same.
 *
 * Scope: a message is within a branch when a staff member of that branch or one of its
 * sub-branches sent it or is a party of its conversation (people.sql.ts, as every list filters).
 */
import type { ContactRow, HitRow, Party, ViewMessage } from '../../../preload/api.js';
import type { Actor } from '../api/context.js';
import { CoreError } from '../api/errors.js';
import { personFilters } from '../archive/people.sql.js';
import { maskTextPii } from '../detect/pii.js';
import type { Db } from '../store/index.js';

export type Policy = {
  user: string;
  /** '' for head office: everything */
  branch: string;
  /** ID, card and mobile numbers and customers' names masked (auditors); revealing is its own audited act */
  masks: boolean;
};

export function policyOf(actor: Actor | null): Policy {
  return { user: actor?.user ?? '', branch: actor?.branch ?? '', masks: actor?.role === 'auditor' };
}

/** WHERE clauses (aliases m = messages, c = conversations) that keep a list within the scope. */
export function scopeWhere(p: Policy): { where: string[]; args: string[] } {
  return p.branch ? personFilters({ branch: p.branch }) : { where: [], args: [] };
}

const outside = (p: Policy, what: { zh: string; en: string }) =>
  new CoreError('forbidden', `${what.zh}不在您的范围（${p.branch}）内`, `${what.en} outside your scope (${p.branch})`);

/** `table` (aliased x) joined to its message m and conversation c by `join`: every id that exists must be in scope. */
function requireMessagesWhere(db: Db, p: Policy, table: string, join: string, ids: number[], what: { zh: string; en: string }): void {
  if (!p.branch || !ids.length) return;
  const s = scopeWhere(p);
  const unique = [...new Set(ids)];
  for (let k = 0; k < unique.length; k += 500) {
    const part = unique.slice(k, k + 500);
    const inScope = db
      .prepare(`SELECT count(DISTINCT x.id) FROM ${table} x ${join} WHERE x.id IN (${part.map(() => '?').join(',')}) AND ${s.where.join(' AND ')}`)
      .pluck()
      .get(...part, ...s.args) as number;
    // ids that do not exist are the handler's to report (not found); here only what exists counts
    const existing = db.prepare(`SELECT count(*) FROM ${table} x WHERE x.id IN (${part.map(() => '?').join(',')})`).pluck().get(...part) as number;
    if (inScope < existing) throw outside(p, what);
  }
}

/** Hits: each one's message must be within the scope. */
export function requireHitsInScope(db: Db, p: Policy, hitIds: number[]): void {
  requireMessagesWhere(db, p, 'hits', 'JOIN messages m ON m.id = x.message_id LEFT JOIN conversations c ON c.id = m.conversation_id', hitIds, { zh: '所选命中', en: 'Some of these hits are' });
}

/** A case: every hit in it within the scope (a case reaching into another branch is head office's). */
export function requireCaseInScope(db: Db, p: Policy, caseId: number): void {
  if (!p.branch) return;
  const hits = db.prepare('SELECT hit_id FROM case_hits WHERE case_id = ?').pluck().all(caseId) as number[];
  try {
    requireHitsInScope(db, p, hits);
  } catch {
    throw outside(p, { zh: `案件 ${caseId} `, en: `Case ${caseId} is` });
  }
}

/** The cases a scoped user may see: those whose every hit is within the scope (none: the ones they opened). */
export function casesInScope(db: Db, p: Policy, ids: number[]): Set<number> {
  if (!p.branch) return new Set(ids);
  const s = scopeWhere(p);
  const outsideCases = new Set(
    db
      .prepare(
        `SELECT DISTINCT ch.case_id FROM case_hits ch JOIN hits h ON h.id = ch.hit_id JOIN messages m ON m.id = h.message_id LEFT JOIN conversations c ON c.id = m.conversation_id
         WHERE NOT (${s.where.join(' AND ')})`,
      )
      .pluck()
      .all(...s.args) as number[],
  );
  const empty = new Set(db.prepare(`SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM case_hits) AND created_by != ?`).pluck().all(p.user) as number[]);
  return new Set(ids.filter((id) => !outsideCases.has(id) && !empty.has(id)));
}

/** A conversation: one of its messages concerns the scope (as conversations.list lists them). */
export function requireConversationInScope(db: Db, p: Policy, conversation: number): void {
  if (!p.branch) return;
  const s = personFilters({ branch: p.branch });
  const ok = db
    .prepare(`SELECT 1 FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE m.conversation_id = ? AND ${s.where.join(' AND ')} LIMIT 1`)
    .get(conversation, ...s.args);
  if (!ok) throw outside(p, { zh: '该会话', en: 'That conversation is' });
}

/** A medium: it is carried by a message of a conversation within the scope (as the viewer shows it). */
export function requireMediaInScope(db: Db, p: Policy, sha256: string): void {
  if (!p.branch) return;
  const s = scopeWhere(p);
  const ok = db
    .prepare(
      `SELECT 1 FROM message_media x JOIN messages mm ON mm.id = x.message_id WHERE x.sha256 = ? AND EXISTS
         (SELECT 1 FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE m.conversation_id = mm.conversation_id AND ${s.where.join(' AND ')}) LIMIT 1`,
    )
    .get(sha256, ...s.args);
  if (!ok) throw outside(p, { zh: '该媒体文件', en: 'That media is' });
}

/** Contacts a scoped user may see: those their branch's staff own or talk with. */
export function contactsInScope(db: Db, p: Policy, rows: ContactRow[]): ContactRow[] {
  if (!p.branch) return rows;
  const staff = new Set(db.prepare('SELECT userid FROM staff WHERE branch = ? OR sub_branch = ?').pluck().all(p.branch, p.branch) as string[]);
  const talking = new Set(
    (db.prepare('SELECT party_a, party_b FROM conversations WHERE party_a IS NOT NULL').raw(true).all() as [string, string][]).flatMap(([a, b]) => (staff.has(a) ? [b] : staff.has(b) ? [a] : [])),
  );
  return rows.filter((r) => staff.has(r.owner) || talking.has(r.id));
}

// ---- masking: the same function for the same kind of output, whoever calls ----

/** 张三 → 张**: the customer stays recognisable to whoever knows them, not to a reader of the file. */
export function maskName(name: string): string {
  return name ? name.slice(0, 1) + '*'.repeat(Math.max(1, name.length - 1)) : name;
}

export const maskText = (p: Policy, text: string) => (p.masks ? maskTextPii(text) : text);

export function maskParty(p: Policy, party: Party): Party {
  if (!p.masks || party.kind !== 'contact') return party;
  return { ...party, name: maskName(party.name), remark: party.remark ? maskName(party.remark) : party.remark };
}

export function maskContact(p: Policy, c: ContactRow): ContactRow {
  return p.masks ? { ...c, name: maskName(c.name), remark: c.remark ? maskName(c.remark) : c.remark } : c;
}

/** A hit: masking keeps every character's place, so its offsets still point at its match. */
export function maskHit(p: Policy, h: HitRow): HitRow {
  if (!p.masks) return h;
  const text = maskTextPii(h.text);
  return { ...h, text, match: h.rule.startsWith('pii.') ? text.slice(h.start, h.end) : h.match, from: maskParty(p, h.from) };
}

export function maskMessage<M extends Pick<ViewMessage, 'text' | 'body' | 'from' | 'recallOf'>>(p: Policy, m: M): M {
  if (!p.masks) return m;
  return {
    ...m,
    text: maskTextPii(m.text),
    body: JSON.parse(maskTextPii(JSON.stringify(m.body ?? null))) as unknown,
    from: maskParty(p, m.from),
    recallOf: m.recallOf && { ...m.recallOf, text: m.recallOf.text && maskTextPii(m.recallOf.text) },
  };
}

export function maskConversation<C extends { title: string; staff: Party | null; contact: Party | null; parties: Party[] }>(p: Policy, c: C): C {
  if (!p.masks) return c;
  let title = c.title;
  for (const party of [c.contact, ...c.parties]) if (party?.kind === 'contact' && party.name) title = title.replaceAll(party.name, maskName(party.name));
  return { ...c, title, contact: c.contact && maskParty(p, c.contact), parties: c.parties.map((x) => maskParty(p, x)) };
}
