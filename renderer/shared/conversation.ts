/** How a conversation is named on screen: people's names, staff first; groups by their room. */
import type { ConversationRow, Party } from '../../preload/api.js';
import type { Lang } from './i18n.js';

const RANK: Record<Party['kind'], number> = { staff: 0, contact: 1, robot: 2, unknown: 3 };

/** The parties with staff first (the bank's side on the left of "↔"). */
export function orderedParties(row: ConversationRow): Party[] {
  return [...row.parties].sort((a, b) => RANK[a.kind] - RANK[b.kind]);
}

/** A long room id cut to its tail: "…cX5dF7g". */
export function shortRoom(roomid: string): string {
  return roomid.length > 10 ? `…${roomid.slice(-8)}` : roomid;
}

export function conversationTitle(row: ConversationRow, lang: Lang): string {
  if (row.kind === 'group') return `${lang === 'zh' ? '群聊' : 'Group chat'} ${shortRoom(row.roomid)}`;
  const parties = orderedParties(row);
  if (!parties.length) return row.title || (lang === 'zh' ? '系统消息' : 'System messages');
  return parties.map((p) => p.name).join(' ↔ ');
}
