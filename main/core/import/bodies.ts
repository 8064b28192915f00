/**
 * What each WeCom message type carries (shared/spec/wecom-archive-format.md): where its body
 * lives, which words in it a risk officer cares about, and which media it references.
 * Pure functions over one parsed record; no store, no I/O.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Whether a string holds half of a surrogate pair (JSON can write one: "\ud800"). */
export const illFormed = (s: string): boolean => /\p{Cs}/u.test(s);
/** Such halves as U+FFFD: stored as they are, they would be bytes that are not UTF-8, read back as three replacement characters. */
export const wellFormed = (s: string): string => (illFormed(s) ? s.replace(/\p{Cs}/gu, '\ufffd') : s);

/**
 * Body key per msgtype where it differs from the msgtype itself. A Map, never an object
 * literal: msgtype comes from the export, and "constructor" or "__proto__" must not find
 * Object.prototype's members.
 */
const BODY_KEYS = new Map<string, string[]>([
  ['docmsg', ['doc', 'docmsg']],
  ['markdown', ['info', 'markdown']],
  ['news', ['info', 'news']],
  ['voiptext', ['info', 'voiptext']],
  ['qydiskfile', ['info', 'qydiskfile']],
  ['meeting_notification', ['info', 'meeting_notification']],
  ['external_redpacket', ['redpacket', 'external_redpacket']],
]);

/** A field of a parsed record: its own property only, never one inherited from Object.prototype. */
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** The body object of a record, or null when none of its body keys holds an object. */
export function bodyOf(record: Obj, msgtype: string): Obj | null {
  for (const key of BODY_KEYS.get(msgtype) ?? [msgtype]) {
    const body = own(record, key);
    if (isObj(body)) return body;
  }
  // vote: most SDKs put the fields at the top level of the record
  if (msgtype === 'vote') return record;
  return null;
}

/** The body key that is there but holds no object (an array, a string, a number): a record to refuse. */
export function misshapenBodyKey(record: Obj, msgtype: string): string | null {
  for (const key of BODY_KEYS.get(msgtype) ?? [msgtype]) {
    const v = own(record, key);
    if (v !== undefined && v !== null && !isObj(v)) return key;
  }
  return null;
}

function parseJsonObject(text: unknown): Obj {
  if (isObj(text)) return text;
  if (typeof text !== 'string' || !text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return isObj(v) ? v : { content: text };
  } catch {
    return { content: text };
  }
}

/** chatrecord item types are 'ChatRecordText', 'ChatRecordFile', …: map them onto message types. */
function innerType(type: unknown): string {
  const t = str(type);
  return t.startsWith('ChatRecord') ? t.slice('ChatRecord'.length).toLowerCase() : t.toLowerCase();
}

/** Keys that hold ids, hashes or urls of media, never words. */
const NON_TEXT_KEYS = new Set(['sdkfileid', 'md5sum', 'msgid', 'userid', 'voiceid', 'voipid', 'image_url', 'picurl', 'seq', 'pre_msgid', 'meetingid', 'meeting_id', 'voteid', 'id', 'username']);

function allStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > 6) return;
  if (typeof v === 'string') {
    if (v.trim()) out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) allStrings(x, out, depth + 1);
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) if (!NON_TEXT_KEYS.has(k)) allStrings(x, out, depth + 1);
  }
}

/** Every scannable text of one body, in reading order. */
export function textsOf(msgtype: string, body: Obj, depth = 0): string[] {
  const out: string[] = [];
  const push = (...values: unknown[]) => {
    for (const v of values) {
      // an object or array where text belongs: its words are kept all the same, so text
      // cannot hide from the scanner in a misshapen field
      if (typeof v === 'object' && v !== null) allStrings(v, out, depth);
      else {
        const s = str(v);
        if (s.trim()) out.push(s);
      }
    }
  };
  switch (msgtype) {
    case 'text':
    case 'markdown':
    case 'meeting_notification':
      push(body.content);
      break;
    case 'link':
      push(body.title, body.description, body.link_url);
      break;
    case 'file':
    case 'voip_doc_share':
    case 'qydiskfile':
      push(body.filename);
      break;
    case 'card':
      push(body.corpname);
      break;
    case 'weapp':
      push(body.title, body.description, body.displayname);
      break;
    case 'todo':
      push(body.title, body.content);
      break;
    case 'vote':
      push(body.votetitle);
      if (Array.isArray(body.voteitem)) push(...body.voteitem);
      break;
    case 'collect':
      push(body.room_name, body.title);
      if (Array.isArray(body.details)) for (const d of body.details) if (isObj(d)) push(d.ques);
      break;
    case 'redpacket':
    case 'external_redpacket':
      push(body.wish);
      break;
    case 'meeting':
      push(body.topic, body.address, body.remarks);
      break;
    case 'docmsg':
      push(body.title, body.link_url);
      break;
    case 'news':
      if (Array.isArray(body.item)) for (const it of body.item) if (isObj(it)) push(it.title, it.description, it.url);
      break;
    case 'calendar':
      push(body.title, body.creatorname);
      if (Array.isArray(body.attendeename)) push(...body.attendeename);
      push(body.place, body.remarks);
      break;
    case 'location':
      push(body.title, body.address);
      break;
    case 'sphfeed':
      push(body.sph_name, body.feed_desc);
      break;
    case 'chatrecord':
    case 'mixed':
      if (msgtype === 'chatrecord') push(body.title);
      if (Array.isArray(body.item) && depth < 4) {
        for (const it of body.item) {
          if (!isObj(it)) continue;
          const t = innerType(it.type);
          const inner = parseJsonObject(it.content);
          out.push(...textsOf(t === 'chatrecord' || t === 'mixed' ? t : t, inner, depth + 1));
        }
      }
      break;
    case 'image':
    case 'voice':
    case 'video':
    case 'emotion':
    case 'revoke':
    case 'agree':
    case 'disagree':
    case 'voiptext':
    case 'meeting_voice_call':
    case 'switch':
      break;
    default:
      // A type WeCom added after this was written (接龙, 笔记, …): keep every word it carries.
      allStrings(body, out);
  }
  return out;
}

export type MediaRef = {
  part: number;
  kind: string;
  md5sum: string | null;
  sdkfileid: string | null;
  /** other names the media file may carry: msgid, voiceid, voipid */
  names: string[];
  filename: string | null;
  declaredSize: number | null;
};

const MEDIA_TYPES = new Set(['image', 'voice', 'video', 'emotion', 'file', 'meeting_voice_call', 'voip_doc_share']);

function mediaOf(kind: string, body: Obj, part: number, names: string[]): MediaRef | null {
  const md5 = wellFormed(str(body.md5sum)).toLowerCase() || null;
  const sdk = str(body.sdkfileid) || null;
  if (!md5 && !sdk) return null;
  const size = Number(body.filesize ?? body.voice_size ?? body.imagesize);
  return {
    part,
    kind,
    md5sum: md5,
    sdkfileid: sdk && wellFormed(sdk),
    names,
    filename: wellFormed(str(body.filename)) || null,
    declaredSize: Number.isSafeInteger(size) && size > 0 ? size : null,
  };
}

/** The media a message refers to: its body (part 0) and, for chatrecord/mixed, each item (part n). */
export function mediaRefsOf(record: Obj, msgtype: string, body: Obj, msgid: string): MediaRef[] {
  const refs: MediaRef[] = [];
  if (MEDIA_TYPES.has(msgtype)) {
    const names = [msgid, str(record.voiceid), str(record.voipid)].filter(Boolean);
    const ref = mediaOf(msgtype, body, 0, names);
    if (ref) refs.push(ref);
  }
  if ((msgtype === 'chatrecord' || msgtype === 'mixed') && Array.isArray(body.item)) {
    body.item.forEach((it, i) => {
      if (!isObj(it)) return;
      const kind = innerType(it.type);
      const ref = mediaOf(kind, parseJsonObject(it.content), i + 1, [`${msgid}_${i + 1}`]);
      if (ref) refs.push(ref);
    });
  }
  return refs;
}
