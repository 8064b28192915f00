/**
 * One record's text → the row we store, or the reason it cannot be stored.
 * The raw text is kept byte-for-byte; ids that are JSON numbers are read from the raw text,
 * because seq is an unsigned 64-bit integer and msgids can be long numbers, and JSON.parse
 * would round both to a double.
 */
import { bodyOf, mediaRefsOf, textsOf, type MediaRef } from './bodies.js';

export type ParsedMessage = {
  msgid: string;
  seq: string | null;
  action: string;
  sender: string;
  tolist: string[];
  roomid: string;
  msgtime: number | null;
  msgtype: string;
  text: string;
  raw: string;
  media: MediaRef[];
  recallOf: string | null;
  consent: { contact: string; status: 'agree' | 'disagree'; at: number | null } | null;
};
export type ParseResult = { ok: true; message: ParsedMessage } | { ok: false; reason: string };

const fail = (zh: string, en: string): ParseResult => ({ ok: false, reason: `${zh} / ${en}` });

/**
 * The literal digits of a numeric field of the top-level object, so 64-bit values keep every
 * digit. Scans the text (strings skipped, depth tracked) so a "seq" nested in a body is never
 * taken for the record's own.
 */
export function topLevelNumber(raw: string, key: string): string | null {
  let depth = 0;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      // a string: a key of the top-level object when depth is 1 and a colon follows
      const start = i + 1;
      i++;
      while (i < n && raw.charCodeAt(i) !== 0x22) i += raw.charCodeAt(i) === 0x5c ? 2 : 1;
      if (depth !== 1 || raw.slice(start, i) !== key) continue;
      let j = i + 1;
      while (j < n && /\s/.test(raw[j]!)) j++;
      if (raw[j] !== ':') continue;
      j++;
      while (j < n && /\s/.test(raw[j]!)) j++;
      const m = /^-?\d+/.exec(raw.slice(j, j + 40));
      return m ? m[0] : null;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}

function toMillis(v: unknown): number | null | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) return Number(v);
  return undefined;
}

const ACTIONS = new Set(['send', 'recall', 'switch']);

export function parseRecord(text: string): ParseResult {
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch (e) {
    return fail(`JSON 格式错误（${(e as Error).message}）`, `invalid JSON (${(e as Error).message})`);
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
    return fail('不是消息：应为 JSON 对象', 'not a message: expected a JSON object');
  }
  const r = rec as Record<string, unknown>;
  let msgid: string;
  if (typeof r.msgid === 'string' && r.msgid.trim()) msgid = r.msgid;
  else if (typeof r.msgid === 'number') msgid = topLevelNumber(text, 'msgid') ?? String(r.msgid);
  else if (r.msgid === undefined) return fail('不是消息：缺少 msgid', 'not a message: msgid is missing');
  else return fail('字段类型错误：msgid 应为字符串', 'wrong field type: msgid must be a string');

  let seq: string | null = null;
  if (typeof r.seq === 'number') seq = topLevelNumber(text, 'seq');
  else if (typeof r.seq === 'string' && /^\d+$/.test(r.seq)) seq = r.seq;
  else if (r.seq !== undefined && r.seq !== null) return fail('字段类型错误：seq 应为整数', 'wrong field type: seq must be an integer');

  const action = r.action === undefined ? 'send' : r.action;
  if (typeof action !== 'string') return fail('字段类型错误：action 应为字符串', 'wrong field type: action must be a string');
  if (!ACTIONS.has(action)) return fail(`未知的 action：${action}`, `unknown action: ${action}`);

  if (action === 'switch') {
    const time = toMillis(r.time);
    if (time === undefined) return fail('字段类型错误：switch 记录的 time 应为毫秒数', 'wrong field type: time of a switch record must be milliseconds');
    if (typeof r.user !== 'string') return fail('字段类型错误：switch 记录的 user 应为字符串', 'wrong field type: user of a switch record must be a string');
    return {
      ok: true,
      message: { msgid, seq, action, sender: r.user, tolist: [], roomid: '', msgtime: time || null, msgtype: 'switch', text: '', raw: text, media: [], recallOf: null, consent: null },
    };
  }

  if (typeof r.from !== 'string') return fail('字段类型错误：from 应为字符串', 'wrong field type: from must be a string');
  if (r.tolist !== undefined && (!Array.isArray(r.tolist) || r.tolist.some((x) => typeof x !== 'string'))) {
    return fail('字段类型错误：tolist 应为字符串数组', 'wrong field type: tolist must be an array of strings');
  }
  if (r.roomid !== undefined && r.roomid !== null && typeof r.roomid !== 'string') {
    return fail('字段类型错误：roomid 应为字符串', 'wrong field type: roomid must be a string');
  }
  const msgtime = toMillis(r.msgtime);
  if (msgtime === undefined) return fail('字段类型错误：msgtime 应为毫秒数', 'wrong field type: msgtime must be milliseconds since the epoch');
  if (typeof r.msgtype !== 'string' || !r.msgtype) return fail('字段类型错误：msgtype 应为字符串', 'wrong field type: msgtype must be a string');
  const msgtype = r.msgtype;
  const body = bodyOf(r, msgtype);
  const texts = textsOf(msgtype, body);

  let recallOf: string | null = null;
  if (msgtype === 'revoke' && typeof body.pre_msgid === 'string' && body.pre_msgid) recallOf = body.pre_msgid;

  let consent: ParsedMessage['consent'] = null;
  if (msgtype === 'agree' || msgtype === 'disagree') {
    const contact = typeof body.userid === 'string' && body.userid ? body.userid : r.from;
    let at = toMillis(body.agree_time ?? body.disagree_time) ?? null;
    if (at !== null && at > 0 && at < 1e11) at *= 1000; // seconds in some exports
    consent = { contact, status: msgtype, at: at || msgtime || null };
  }

  return {
    ok: true,
    message: {
      msgid,
      seq,
      action,
      sender: r.from,
      tolist: (r.tolist as string[] | undefined) ?? [],
      roomid: (r.roomid as string | undefined) ?? '',
      msgtime: msgtime || null, // 0 in official samples: kept, time unknown
      msgtype,
      text: texts.join('\n'),
      raw: text,
      media: mediaRefsOf(r, msgtype, body, msgid),
      recallOf,
      consent,
    },
  };
}
