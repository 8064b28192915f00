/**
 * Every message of the store, once, in columns: what the behaviour rules need to see patterns
 * (who, to whom, when, in which conversation, what kind) without a query and a million objects
 * per rule. Built in one pass over the messages table — by the dictionary pass of a full scan
 * when there is one, by its own read otherwise — then bodies are fetched by id only for the few
 * messages a rule looks into (red packets, files, links).
 *
 * At 1M messages this is about 30 MB of typed arrays, against ~1 GB of row objects before, and
 * one table read instead of one per rule (each read decrypts every page of the table).
 */
import type { Db } from '../store/index.js';

export const Kind = {
  Other: 0,
  Text: 1,
  RedPacket: 2,
  File: 3,
  /** link, news, docmsg: may carry a URL in their text */
  Linkish: 4,
  Consent: 5,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** what \s matches: the mass-send rule compares texts without white space */
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);

const KINDS: Record<string, Kind> = {
  text: Kind.Text,
  redpacket: Kind.RedPacket,
  external_redpacket: Kind.RedPacket,
  file: Kind.File,
  link: Kind.Linkish,
  news: Kind.Linkish,
  docmsg: Kind.Linkish,
  agree: Kind.Consent,
  disagree: Kind.Consent,
};

/** Who a WeCom id belongs to: the roster first, the id's prefix second (wo/wm external, wb robot). */
export class Parties {
  private readonly staffIds: Set<string>;
  private readonly contactIds: Set<string>;
  constructor(db: Db) {
    this.staffIds = new Set(db.prepare('SELECT userid FROM staff').pluck().all() as string[]);
    this.contactIds = new Set(db.prepare('SELECT external_userid FROM contacts').pluck().all() as string[]);
  }
  isStaff(id: string): boolean {
    if (this.staffIds.has(id)) return true;
    if (this.contactIds.has(id)) return false;
    return !(id.charCodeAt(0) === 0x77 && (id.charCodeAt(1) === 0x6f || id.charCodeAt(1) === 0x6d || id.charCodeAt(1) === 0x62)); // wo wm wb
  }
  isCustomer(id: string): boolean {
    return !this.isStaff(id) && !id.startsWith('wb');
  }
}

/** The recipients of a stored tolist (JSON array); the common one-recipient case without JSON.parse. */
export function recipients(tolist: string): string[] {
  if (tolist === '[]') return [];
  if (tolist.startsWith('["') && tolist.endsWith('"]') && tolist.indexOf('"', 2) === tolist.length - 2 && !tolist.includes('\\')) return [tolist.slice(2, -2)];
  return JSON.parse(tolist) as string[];
}

export const STAFF_SENDER = 1;
export const CUSTOMER_SENDER = 2;
/** staff writing to at least one customer */
export const STAFF_TO_CUSTOMER = 4;
export const HAS_HTTP = 8;

export type MessageRow = [id: number, sender: string, conversation: number | null, msgtime: number | null, kind: Kind, tolist: string, text: string, body: string | null];
/**
 * The kind as a number decided in SQL (a million type strings not made), and the stored record
 * only of the kinds a rule reads into (red packets, files: a few percent of the rows).
 */
export const MESSAGE_ROW_COLUMNS = `id, sender, conversation_id, msgtime, CASE msgtype ${Object.entries(KINDS)
  .map(([type, kind]) => `WHEN '${type}' THEN ${kind}`)
  .join(' ')} ELSE ${Kind.Other} END, tolist, text, CASE WHEN msgtype IN ('redpacket', 'external_redpacket', 'file') THEN raw END`;

export class MessageTable {
  length = 0;
  id = new Float64Array(1024);
  /** epoch ms, NaN when unknown */
  time = new Float64Array(1024);
  /** conversation id, -1 for none */
  conv = new Int32Array(1024);
  /** index into `parties` */
  sender = new Int32Array(1024);
  /** first recipient, index into `parties`, -1 for none */
  firstTo = new Int32Array(1024);
  kind = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  /** text without white space: two independent 26-bit hashes in one number; the text's length in characters */
  textKey = new Float64Array(1024);
  textLen = new Int32Array(1024);
  readonly parties: string[] = [];
  private readonly partyIndex = new Map<string, number>();
  private readonly partyFlags: number[] = [];
  /** the texts with a URL in them (few), by row index */
  readonly httpText = new Map<number, string>();
  /** the stored records of red packets and files, by row index */
  readonly bodies = new Map<number, string>();

  constructor(private readonly who: Parties) {}

  /** All messages of the store, in one read. */
  static read(db: Db, who: Parties): MessageTable {
    const t = new MessageTable(who);
    for (const row of db.prepare(`SELECT ${MESSAGE_ROW_COLUMNS} FROM messages ORDER BY id`).raw(true).iterate() as IterableIterator<MessageRow>) t.add(row);
    return t;
  }

  private party(id: string): number {
    let p = this.partyIndex.get(id);
    if (p === undefined) {
      p = this.parties.length;
      this.parties.push(id);
      this.partyIndex.set(id, p);
      this.partyFlags.push((this.who.isStaff(id) ? STAFF_SENDER : 0) | (this.who.isCustomer(id) ? CUSTOMER_SENDER : 0));
    }
    return p;
  }

  isStaff(party: number): boolean {
    return (this.partyFlags[party]! & STAFF_SENDER) !== 0;
  }
  isCustomer(party: number): boolean {
    return (this.partyFlags[party]! & CUSTOMER_SENDER) !== 0;
  }

  add(row: MessageRow): void {
    const [id, sender, conversation, msgtime, kind, tolist, text, body] = row;
    if (this.length === this.id.length) this.grow();
    const i = this.length++;
    this.id[i] = id;
    this.time[i] = msgtime ?? NaN;
    this.conv[i] = conversation ?? -1;
    const from = this.party(sender);
    this.sender[i] = from;
    const to = recipients(tolist);
    this.firstTo[i] = to.length ? this.party(to[0]!) : -1;
    let flags = this.partyFlags[from]! & (STAFF_SENDER | CUSTOMER_SENDER);
    if (flags & STAFF_SENDER) {
      for (const r of to) if (this.isCustomer(this.party(r))) {
        flags |= STAFF_TO_CUSTOMER;
        break;
      }
    }
    this.kind[i] = kind;
    if ((kind === Kind.Text || kind === Kind.Linkish) && text.includes('http')) {
      flags |= HAS_HTTP;
      this.httpText.set(i, text);
    }
    this.flags[i] = flags;
    if (body !== null) this.bodies.set(i, body);
    if (kind === Kind.Text) {
      // FNV-1a twice with different seeds over the non-space units: equal texts, equal keys
      let h1 = 0x811c9dc5;
      let h2 = 0x01000193 ^ 0x5bd1e995;
      let len = 0;
      for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c < 0xdc00 || c > 0xdfff) len++; // characters as SQLite's length() counts them
        if ((c <= 0x20 || c >= 0xa0) && SPACE.has(c)) continue;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
      }
      this.textKey[i] = (h1 & 0x3ffffff) * 0x4000000 + (h2 & 0x3ffffff);
      this.textLen[i] = len;
    }
  }

  /** The row index of a message id, or -1 (rows are added in id order: a binary search). */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.id[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Row indices of messages with a known time, in (time, id) order: the order things happened. */
  inTimeOrder(filter: (i: number) => boolean = () => true): Int32Array {
    const picked: number[] = [];
    let sorted = true;
    for (let i = 0; i < this.length; i++) {
      if (Number.isNaN(this.time[i]!) || !filter(i)) continue;
      const last = picked.length ? picked[picked.length - 1]! : -1;
      if (last >= 0 && (this.time[last]! > this.time[i]! || (this.time[last] === this.time[i] && this.id[last]! > this.id[i]!))) sorted = false;
      picked.push(i);
    }
    const order = Int32Array.from(picked);
    // exports arrive nearly in time order: most stores need no sort at all
    if (!sorted) order.sort((a, b) => this.time[a]! - this.time[b]! || this.id[a]! - this.id[b]!);
    return order;
  }

  private grow(): void {
    const size = this.id.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.id = grow(this.id, (n) => new Float64Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.conv = grow(this.conv, (n) => new Int32Array(n));
    this.sender = grow(this.sender, (n) => new Int32Array(n));
    this.firstTo = grow(this.firstTo, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.textKey = grow(this.textKey, (n) => new Float64Array(n));
    this.textLen = grow(this.textLen, (n) => new Int32Array(n));
  }
}
