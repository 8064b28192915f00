/**
 * SQL fragments shared by every list that filters or groups by person: a message (m) and its
 * conversation (c) concern a staff member, contact or branch when that person sent the message or
 * is a party of the conversation.
 */

/** WHERE clauses and their arguments for staff / contact / branch filters. */
export function personFilters(q: { staff?: string | undefined; contact?: string | undefined; branch?: string | undefined }): { where: string[]; args: string[] } {
  const involves = (ids: string) => `(m.sender IN ${ids} OR c.party_a IN ${ids} OR c.party_b IN ${ids})`;
  const where: string[] = [];
  const args: string[] = [];
  for (const id of [q.staff, q.contact]) {
    if (!id) continue;
    where.push(involves('(?)'));
    args.push(id, id, id);
  }
  if (q.branch) {
    where.push(involves('(SELECT userid FROM staff WHERE branch = ? OR sub_branch = ?)'));
    for (let i = 0; i < 3; i++) args.push(q.branch, q.branch);
  }
  return { where, args };
}

/** The staff member a message belongs to: its sender if staff, else the staff party of its conversation, else `otherwise`. */
export function staffPartyOf(otherwise: "''" | 'NULL'): string {
  return `CASE WHEN m.sender IN (SELECT userid FROM staff) THEN m.sender WHEN c.party_a IN (SELECT userid FROM staff) THEN c.party_a WHEN c.party_b IN (SELECT userid FROM staff) THEN c.party_b ELSE ${otherwise} END`;
}
