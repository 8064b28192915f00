/**
 * Conversations as a risk officer reads them: who (names and branch, never bare ids), how many
 * messages, when; and the messages of one conversation in windows by position, so a virtual
 * list can open a 100k-message conversation at once and jump to any message.
 */
import type { ConversationRow, MediaItem, Party, ViewMessage } from '../../../preload/api.js';
import { staffAt } from '../people/people.js';
import type { Db } from '../store/index.js';

type Side = { id: string; staffName: string | null; branch: string | null; subBranch: string | null; contactName: string | null; remark: string | null; owner: string | null };

export function partyOf(side: Side): Party {
  if (side.staffName !== null) return { id: side.id, kind: 'staff', name: side.staffName, branch: side.branch ?? '', subBranch: side.subBranch ?? '' };
  if (side.contactName !== null) return { id: side.id, kind: 'contact', name: side.contactName || side.remark || side.id, remark: side.remark ?? '', owner: side.owner ?? '' };
  if (/^wb/.test(side.id)) return { id: side.id, kind: 'robot', name: side.id };
  if (/^w[om]/.test(side.id)) return { id: side.id, kind: 'contact', name: side.id, remark: '', owner: '' };
  return { id: side.id, kind: 'unknown', name: side.id };
}

const SIDE = (alias: string) => `
  ${alias}s.name AS ${alias}_staff_name, ${alias}s.branch AS ${alias}_branch, ${alias}s.sub_branch AS ${alias}_sub,
  ${alias}c.name AS ${alias}_contact_name, ${alias}c.remark AS ${alias}_remark, ${alias}c.owner_userid AS ${alias}_owner`;
const JOIN = (alias: string, col: string) => `
  LEFT JOIN staff ${alias}s ON ${alias}s.userid = ${col} LEFT JOIN contacts ${alias}c ON ${alias}c.external_userid = ${col}`;

function side(r: Record<string, any>, alias: string, id: string | null): Side | null {
  if (id === null) return null;
  return { id, staffName: r[`${alias}_staff_name`], branch: r[`${alias}_branch`], subBranch: r[`${alias}_sub`], contactName: r[`${alias}_contact_name`], remark: r[`${alias}_remark`], owner: r[`${alias}_owner`] };
}

export type ConversationQuery = { branch?: string; staff?: string; contact?: string; kind?: 'single' | 'group'; limit?: number };

export function listConversations(db: Db, q: ConversationQuery = {}): ConversationRow[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.kind, c.roomid, c.party_a, c.party_b, c.message_count, c.first_time, c.last_time, ${SIDE('x')}, ${SIDE('y')}
       FROM conversations c ${JOIN('x', 'c.party_a')} ${JOIN('y', 'c.party_b')}
       ${q.kind ? 'WHERE c.kind = ?' : ''}
       ORDER BY c.last_time IS NULL, c.last_time DESC, c.id DESC`,
    )
    .all(...(q.kind ? [q.kind] : [])) as Record<string, any>[];
  // a group belongs to a branch or staff member whose staff wrote in it
  const groupsWhere = (cond: string, ...args: string[]) =>
    new Set(
      db
        .prepare(`SELECT DISTINCT m.conversation_id FROM conversations c JOIN messages m ON m.conversation_id = c.id LEFT JOIN staff s ON s.userid = m.sender WHERE c.kind = 'group' AND ${cond}`)
        .pluck()
        .all(...args) as number[],
    );
  const groupsOfBranch = q.branch ? groupsWhere('(s.branch = ? OR s.sub_branch = ?)', q.branch, q.branch) : null;
  const groupsOfStaff = q.staff ? groupsWhere('m.sender = ?', q.staff) : null;
  const out: ConversationRow[] = [];
  for (const r of rows) {
    const parties = [side(r, 'x', r.party_a), side(r, 'y', r.party_b)].filter((s): s is Side => s !== null && s.id !== '').map(partyOf);
    const staff = parties.find((p) => p.kind === 'staff') ?? null;
    const contact = parties.find((p) => p !== staff && p.kind !== 'staff') ?? null;
    const group = r.kind === 'group';
    if (groupsOfStaff && (group ? !groupsOfStaff.has(r.id) : staff?.id !== q.staff)) continue;
    if (q.contact && (group || contact?.id !== q.contact)) continue;
    if (groupsOfBranch) {
      const inBranch = staff?.kind === 'staff' && (staff.branch === q.branch || staff.subBranch === q.branch);
      if (group ? !groupsOfBranch.has(r.id) : !inBranch) continue;
    }
    const title = r.kind === 'group' ? `群聊 ${r.roomid}` : parties.map((p) => p.name).join(' ↔ ');
    out.push({ id: r.id, kind: r.kind, roomid: r.roomid, title, staff, contact, parties, messageCount: r.message_count, firstTime: r.first_time, lastTime: r.last_time });
    if (q.limit && out.length >= q.limit) break;
  }
  return out;
}

type MsgRow = { id: number; msgid: string; seq: string | null; action: string; sender: string; tolist: string; msgtime: number | null; msgtype: string; text: string; raw: string };

/** Messages [offset, offset+limit) of a conversation in time order (unknown times first). */
export function conversationWindow(db: Db, conversation: number, offset: number, limit: number): { total: number; offset: number; messages: ViewMessage[] } {
  const total = (db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(conversation) as number) ?? 0;
  const rows = db
    .prepare(`SELECT id, msgid, seq, action, sender, tolist, msgtime, msgtype, text, raw FROM messages WHERE conversation_id = ? ORDER BY msgtime, id LIMIT ? OFFSET ?`)
    .all(conversation, limit, offset) as MsgRow[];
  return { total, offset, messages: toViewMessages(db, rows) };
}

/** Where a message stands in its conversation, for "jump to message". */
export function locateMessage(db: Db, msgid: string): { conversation: number; index: number } | null {
  const m = db.prepare('SELECT id, conversation_id, msgtime FROM messages WHERE msgid = ?').get(msgid) as { id: number; conversation_id: number | null; msgtime: number | null } | undefined;
  if (!m || m.conversation_id === null) return null;
  const c = m.conversation_id;
  const index =
    m.msgtime === null
      ? (db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND msgtime IS NULL AND id < ?').pluck().get(c, m.id) as number)
      : (db
          .prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND (msgtime IS NULL OR msgtime < ? OR (msgtime = ? AND id < ?))')
          .pluck()
          .get(c, m.msgtime, m.msgtime, m.id) as number);
  return { conversation: c, index };
}

export function toViewMessages(db: Db, rows: MsgRow[]): ViewMessage[] {
  const staffRow = db.prepare('SELECT 1 FROM staff WHERE userid = ?');
  const contactRow = db.prepare('SELECT name, remark, owner_userid FROM contacts WHERE external_userid = ?');
  const recalledBy = db.prepare('SELECT m.msgid, m.msgtime FROM recalls r JOIN messages m ON m.id = r.message_id WHERE r.pre_msgid = ? ORDER BY m.msgtime LIMIT 1');
  const original = db.prepare('SELECT msgtype, text, msgtime FROM messages WHERE msgid = ?');
  const media = db.prepare('SELECT m.part, m.kind, m.md5sum, m.name_hint, m.declared_size, m.status, m.sha256, m.reason, x.size, x.name FROM message_media m LEFT JOIN media x ON x.sha256 = m.sha256 WHERE m.message_id = ? ORDER BY m.part');
  const parties = new Map<string, Party>();
  const partyAt = (id: string, at: number | null): Party => {
    const key = `${id}@${at ?? ''}`;
    let p = parties.get(key);
    if (!p) {
      const s = staffRow.get(id) ? staffAt(db, id, at) : null;
      const c = s ? undefined : (contactRow.get(id) as { name: string; remark: string; owner_userid: string } | undefined);
      p = partyOf({ id, staffName: s?.name ?? null, branch: s?.branch ?? null, subBranch: s?.sub_branch ?? null, contactName: c ? c.name : null, remark: c?.remark ?? null, owner: c?.owner_userid ?? null });
      parties.set(key, p);
    }
    return p;
  };
  return rows.map((r) => {
    let body: unknown;
    try {
      body = JSON.parse(r.raw);
    } catch {
      body = null;
    }
    const recall = recalledBy.get(r.msgid) as { msgid: string; msgtime: number | null } | undefined;
    let recallOf: ViewMessage['recallOf'] = null;
    if (r.msgtype === 'revoke') {
      const pre = (body as { revoke?: { pre_msgid?: string } } | null)?.revoke?.pre_msgid ?? '';
      const o = pre ? (original.get(pre) as { msgtype: string; text: string; msgtime: number | null } | undefined) : undefined;
      recallOf = { msgid: pre, found: !!o, msgtype: o?.msgtype ?? null, text: o?.text ?? null, msgtime: o?.msgtime ?? null };
    }
    const items = (media.all(r.id) as Record<string, any>[]).map(
      (x): MediaItem => ({ part: x.part, kind: x.kind, md5sum: x.md5sum, name: x.name_hint ?? x.name ?? null, size: x.size ?? x.declared_size ?? null, status: x.status, sha256: x.sha256, reason: x.reason ?? null }),
    );
    return {
      id: r.id,
      msgid: r.msgid,
      seq: r.seq,
      msgtime: r.msgtime,
      action: r.action,
      msgtype: r.msgtype,
      from: partyAt(r.sender, r.msgtime),
      tolist: JSON.parse(r.tolist) as string[],
      text: r.text,
      body,
      recalledBy: recall ?? null,
      recallOf,
      media: items,
    };
  });
}
