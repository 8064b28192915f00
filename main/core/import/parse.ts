/**
 * One record's text → the row we store, or the reason it cannot be stored.
 * The raw text is kept byte-for-byte; ids that are JSON numbers are read from the raw text,
 * because seq is an unsigned 64-bit integer and msgids can be long numbers, and JSON.parse
 * would round both to a double.
 */
import { isArchiveTime, MAX_MSGTIME } from '../archive/msgtime.js';
import { bodyOf, illFormed, mediaRefsOf, misshapenBodyKey, textsOf, wellFormed, type MediaRef } from './bodies.js';

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
 * The literal JSON number of a field of the top-level object, so 64-bit values keep every
 * digit. Scans the text (strings skipped, depth tracked) so a "seq" nested in a body is never
 * taken for the record's own; the last occurrence wins, as in JSON.parse, so a record that
 * names a key twice cannot show one value here and another there.
 */
export function topLevelNumber(raw: string, key: string): string | null {
  let depth = 0;
  let found: string | null = null;
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
      found = NUMBER.exec(raw.slice(j, j + 400))?.[0] ?? null;
      i = j - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return found;
}
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

const U64_MAX = (1n << 64n) - 1n;
/** Whether digits spell an unsigned 64-bit integer (seq). */
const isUnsigned64 = (digits: string): boolean => /^\d{1,20}$/.test(digits) && BigInt(digits) <= U64_MAX;

/** Names every plain object already has (constructor, toString, __proto__ …): never a message type. */
const BUILT_IN_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Nesting WeCom never uses; deeper records are refused, so nothing downstream recurses without end. */
export const MAX_DEPTH = 64;

/**
 * What makes a record's shape hostile, found in one walk: nesting deeper than MAX_DEPTH, or a
 * "__proto__" key (JSON.parse keeps it as a plain key, but any later copy by assignment would
 * set a prototype with it; no WeCom message has one).
 */
function shapeProblem(v: unknown, depthLeft: number): 'deep' | 'proto' | null {
  if (typeof v !== 'object' || v === null) return null;
  if (depthLeft === 0) return 'deep';
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = shapeProblem(x, depthLeft - 1);
      if (p) return p;
    }
    return null;
  }
  for (const k in v) {
    if (k === '__proto__') return 'proto';
    const p = shapeProblem((v as Record<string, unknown>)[k], depthLeft - 1);
    if (p) return p;
  }
  return null;
}

const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * The top-level msgtime or a switch record's time: epoch milliseconds as an integer in
 * [0, MAX_MSGTIME) (archive/msgtime.ts says why), written as a JSON number or a string of digits.
 * 0 (official samples) is kept and means unknown: null.
 */
function archiveTime(rec: Record<string, unknown>, raw: string, key: 'msgtime' | 'time'): { ok: true; time: number | null } | { ok: false; zh: string; en: string } {
  const v = rec[key];
  let t: number;
  if (typeof v === 'number') t = v;
  else if (typeof v === 'string' && /^\d{1,16}$/.test(v)) t = Number(v);
  else {
    const what = typeof v === 'string' ? JSON.stringify(shown(v)) : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
    if (v === undefined) return { ok: false, zh: `不是消息：缺少 ${key}`, en: `not a message: ${key} is missing` };
    return { ok: false, zh: `字段类型错误：${key} 应为毫秒数（${what}）`, en: `wrong field type: ${key} must be milliseconds since the epoch (${what})` };
  }
  if (isArchiveTime(t)) return { ok: true, time: t || null };
  // the value as the export wrote it (1e400 is Infinity once parsed): read only for the reason
  const literal = shown(typeof v === 'string' ? v : (topLevelNumber(raw, key) ?? String(v)));
  if (!(t >= 0 && t < MAX_MSGTIME)) {
    return {
      ok: false,
      zh: `${key} 超出范围（${literal}）：应为 1970 年至 2200 年之间的毫秒数`,
      en: `${key} out of range (${literal}): must be milliseconds since the epoch, before the year 2200`,
    };
  }
  return { ok: false, zh: `${key} 不是整数毫秒（${literal}）`, en: `${key} is not a whole number of milliseconds (${literal})` };
}

/** A consent's own time, seconds in some exports; outside the archive's range it is not trusted (the message time is used). */
function consentTime(v: unknown): number | null {
  let t = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  if (t > 0 && t < 1e11) t *= 1000;
  return isArchiveTime(t) && t > 0 ? t : null;
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
  const shape = shapeProblem(rec, MAX_DEPTH);
  if (shape === 'deep') return fail(`嵌套过深（超过 ${MAX_DEPTH} 层），不是会话存档消息`, `nested too deep (over ${MAX_DEPTH} levels); not an archive message`);
  if (shape === 'proto') return fail('含有名为 "__proto__" 的键，不是会话存档消息', 'holds a key named "__proto__"; not an archive message');
  const r = rec as Record<string, unknown>;
  // ids with half a surrogate pair are refused, not repaired: two different ids would become one
  let msgid: string;
  if (typeof r.msgid === 'string') {
    if (!r.msgid.trim()) return fail('msgid 为空', 'msgid is empty');
    if (illFormed(r.msgid)) return fail('msgid 含无效的 UTF-16 代理字符', 'msgid holds an invalid UTF-16 surrogate');
    msgid = r.msgid;
  } else if (typeof r.msgid === 'number') {
    const literal = topLevelNumber(text, 'msgid') ?? '';
    if (!/^\d+$/.test(literal)) return fail(`msgid 为数字时应为非负整数（${shown(literal)}）`, `a numeric msgid must be a non-negative integer (${shown(literal)})`);
    msgid = literal;
  } else if (r.msgid === undefined) return fail('不是消息：缺少 msgid', 'not a message: msgid is missing');
  else return fail('字段类型错误：msgid 应为字符串', 'wrong field type: msgid must be a string');

  let seq: string | null = null;
  if (typeof r.seq === 'number' || typeof r.seq === 'string') {
    const literal = typeof r.seq === 'number' ? (topLevelNumber(text, 'seq') ?? '') : r.seq;
    if (!isUnsigned64(literal)) return fail(`seq 应为 0 至 2^64−1 的整数（${shown(literal)}）`, `seq must be an integer from 0 to 2^64−1 (${shown(literal)})`);
    seq = literal;
  } else if (r.seq !== undefined && r.seq !== null) return fail('字段类型错误：seq 应为整数', 'wrong field type: seq must be an integer');

  const action = r.action === undefined ? 'send' : r.action;
  if (typeof action !== 'string') return fail('字段类型错误：action 应为字符串', 'wrong field type: action must be a string');
  if (!ACTIONS.has(action)) return fail(`未知的 action：${shown(action)}`, `unknown action: ${shown(action)}`);

  if (action === 'switch') {
    const time = archiveTime(r, text, 'time');
    if (!time.ok) return fail(`switch 记录：${time.zh}`, `switch record: ${time.en}`);
    if (typeof r.user !== 'string') return fail('字段类型错误：switch 记录的 user 应为字符串', 'wrong field type: user of a switch record must be a string');
    if (illFormed(r.user)) return fail('switch 记录的 user 含无效的 UTF-16 代理字符', 'user of a switch record holds an invalid UTF-16 surrogate');
    return {
      ok: true,
      message: { msgid, seq, action, sender: r.user, tolist: [], roomid: '', msgtime: time.time, msgtype: 'switch', text: '', raw: text, media: [], recallOf: null, consent: null },
    };
  }

  if (typeof r.from !== 'string') return fail('字段类型错误：from 应为字符串', 'wrong field type: from must be a string');
  if (illFormed(r.from)) return fail('from 含无效的 UTF-16 代理字符', 'from holds an invalid UTF-16 surrogate');
  if (r.tolist !== undefined && (!Array.isArray(r.tolist) || r.tolist.some((x) => typeof x !== 'string'))) {
    return fail('字段类型错误：tolist 应为字符串数组', 'wrong field type: tolist must be an array of strings');
  }
  if (r.tolist !== undefined && (r.tolist as string[]).some(illFormed)) return fail('tolist 含无效的 UTF-16 代理字符', 'tolist holds an invalid UTF-16 surrogate');
  if (r.roomid !== undefined && r.roomid !== null && typeof r.roomid !== 'string') {
    return fail('字段类型错误：roomid 应为字符串', 'wrong field type: roomid must be a string');
  }
  if (typeof r.roomid === 'string' && illFormed(r.roomid)) return fail('roomid 含无效的 UTF-16 代理字符', 'roomid holds an invalid UTF-16 surrogate');
  const time = archiveTime(r, text, 'msgtime');
  if (!time.ok) return fail(time.zh, time.en);
  const msgtime = time.time; // null: 0 in official samples, kept, time unknown
  if (typeof r.msgtype !== 'string' || !r.msgtype) return fail('字段类型错误：msgtype 应为字符串', 'wrong field type: msgtype must be a string');
  const msgtype = r.msgtype;
  if (BUILT_IN_NAMES.has(msgtype)) {
    return fail(`msgtype「${msgtype}」是 JavaScript 对象的内置名称，不是企业微信消息类型`, `msgtype "${msgtype}" is a built-in JavaScript object name, not a WeCom message type`);
  }
  if (illFormed(msgtype)) return fail('msgtype 含无效的 UTF-16 代理字符', 'msgtype holds an invalid UTF-16 surrogate');
  let body = bodyOf(r, msgtype);
  if (body === null) {
    const key = misshapenBodyKey(r, msgtype);
    if (key !== null) return fail(`消息体 ${key} 应为 JSON 对象`, `the message body ${key} must be a JSON object`);
    body = {};
  }
  const texts = textsOf(msgtype, body);

  let recallOf: string | null = null;
  if (msgtype === 'revoke' && typeof body.pre_msgid === 'string' && body.pre_msgid) recallOf = wellFormed(body.pre_msgid);

  let consent: ParsedMessage['consent'] = null;
  if (msgtype === 'agree' || msgtype === 'disagree') {
    const contact = typeof body.userid === 'string' && body.userid ? wellFormed(body.userid) : r.from;
    consent = { contact, status: msgtype, at: consentTime(body.agree_time ?? body.disagree_time) ?? msgtime };
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
      msgtime,
      msgtype,
      text: wellFormed(texts.join('\n')),
      raw: text,
      media: mediaRefsOf(r, msgtype, body, msgid),
      recallOf,
      consent,
    },
  };
}
