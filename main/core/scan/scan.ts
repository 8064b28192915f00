/**
 * Scanning: run the active dictionaries (and PII) over messages not yet scanned, or over all
 * with `full`, then the behaviour rules over the whole store, and reconcile with stored hits:
 * new ones are added, ones a changed dictionary or rule no longer finds are retired (kept, with
 * the scan that retired them, since reviews refer to them), so a rescan says what appeared and
 * what disappeared. Each batch is one transaction with the scan watermark.
 */
import type { ScanChange, ScanResult } from '../../../preload/api.js';
import type { Speaker } from '../detect/types.js';
import type { Db } from '../store/index.js';
import { activeSet, detectorFor, seedDefault } from '../rules/dictionaries.js';
import { behaviourByRule, Ctx } from './behaviour.js';
import { detectPool, spawnDetectWorker } from './detectPool.js';
import { CELLS, type PackedHits, type RuleInfo } from './packedHits.js';
import { currentRuleset } from './status.js';
import { collectGarbage } from '../memory.js';
import { CUSTOMER_SENDER, MESSAGE_ROW_COLUMNS, MessageTable, Parties, STAFF_SENDER, STAFF_TO_CUSTOMER, type MessageRow } from './messageTable.js';

const BATCH = 20_000;
const LIST_LIMIT = 200;
const INSERT_ROWS = 64;
/** SQLite's page cache during the dictionary pass (negative: KiB), against 64 MiB otherwise */
const SCAN_CACHE_KIB = -16384;
/** batches between full collections (memory.ts): ~50 ms each, against ~150 MB less peak at 1M */
const GC_EVERY = 5;
/** behaviour rules fit in this many numbers per message (a key is message id × RULE_SLOTS + rule): exact below 2^53 for 2^43 messages */
const RULE_SLOTS = 1024;

/**
 * Hits to insert, by column (a million scan hits as objects cost the scan's thread more to make
 * and collect than to write): rule, category and severity by reference to a shared RuleInfo.
 */
class NewHits {
  messageId: number[] = [];
  rule: RuleInfo[] = [];
  start: number[] = [];
  end: number[] = [];
  match: string[] = [];
  source: string[] = [];
  status: string[] = [];
  get length(): number {
    return this.messageId.length;
  }
  push(messageId: number, rule: RuleInfo, start: number, end: number, match: string, source: string, status = 'new'): void {
    this.messageId.push(messageId);
    this.rule.push(rule);
    this.start.push(start);
    this.end.push(end);
    this.match.push(match);
    this.source.push(source);
    this.status.push(status);
  }
}

/** Milliseconds per phase, filled in when passed (the bench prints where a scan's time goes). */
export type ScanTimings = { setup: number; read: number; waitDetect: number; write: number; behaviour: number; behaviourWrite: number; count: number };

export async function scan(
  db: Db,
  opts: { full?: boolean; user?: string; defaultDictionary?: string; onProgress?: (p: { scanned: number; total: number }) => void; timings?: ScanTimings } = {},
): Promise<ScanResult> {
  const timings = opts.timings;
  let lap = performance.now();
  const phase = (name: keyof ScanTimings) => {
    const t = performance.now();
    if (timings) timings[name] += t - lap;
    lap = t;
  };
  const started = Date.now();
  const worker = spawnDetectWorker();
  await seedDefault(db, opts.defaultDictionary);
  const set = activeSet(db);
  const dictOf = new Map(set.entries.map((e) => [e.id, e.dictionary]));
  const ruleset = currentRuleset(db);
  const scanId = Number(db.prepare('INSERT INTO scans(started_at, full, ruleset, user) VALUES (?, ?, ?, ?)').run(started, opts.full ? 1 : 0, ruleset, opts.user ?? '').lastInsertRowid);
  const result: ScanResult = { scanId, scanned: 0, hits: 0, retired: 0, active: 0, byCategory: {}, appeared: [], disappeared: [], dictionaries: set.sources, tookMs: 0 };

  const now = Date.now();
  // scan id and time are the same for every hit of this scan: literals (integers), not bound per row
  const row = `(?, ?, ?, ?, ?, ?, ?, ?, ${scanId}, ?, ${now})`;
  const insertSql = (rows: number) =>
    `INSERT INTO hits(message_id, rule, category, severity, start, end, match, source, scan_id, status, created_at) VALUES ${Array.from({ length: rows }, () => row).join(', ')}
     ON CONFLICT(message_id, rule, start, end) WHERE retired_scan_id IS NULL DO NOTHING`;
  const insert = db.prepare(insertSql(1));
  const retire = db.prepare('UPDATE hits SET retired_scan_id = ? WHERE id = ?');
  /**
   * New hits in statements of INSERT_ROWS rows (a statement per hit cost more than finding them).
   * The first LIST_LIMIT go one by one, for their ids in `appeared`. A conflict (the same hit
   * already active) cannot happen after reconciling with `stale`; DO NOTHING stays as a guard and
   * `changes` keeps the count honest.
   */
  const insertMany = db.prepare(insertSql(INSERT_ROWS));
  const args: unknown[] = new Array(INSERT_ROWS * 9);
  const put = (f: NewHits, k: number, at: number) => {
    const rule = f.rule[k]!;
    args[at] = f.messageId[k];
    args[at + 1] = rule.rule;
    args[at + 2] = rule.category;
    args[at + 3] = rule.severity;
    args[at + 4] = f.start[k];
    args[at + 5] = f.end[k];
    args[at + 6] = f.match[k];
    args[at + 7] = f.source[k];
    args[at + 8] = f.status[k];
  };
  const one = (f: NewHits, k: number) => {
    put(f, k, 0);
    return insert.run(...args.slice(0, 9));
  };
  const count = (h: { category: string }) => {
    result.byCategory[h.category] = (result.byCategory[h.category] ?? 0) + 1;
  };
  /** rows [from, to) of `fresh` */
  const insertHits = (fresh: NewHits, from = 0, to = fresh.length) => {
    let k = from;
    for (; k < to && result.appeared.length < LIST_LIMIT; k++) {
      const res = one(fresh, k);
      if (res.changes) added(Number(res.lastInsertRowid), fresh.messageId[k]!, fresh.rule[k]!, fresh.match[k]!);
    }
    for (; k + INSERT_ROWS <= to; k += INSERT_ROWS) {
      for (let j = 0; j < INSERT_ROWS; j++) {
        put(fresh, k + j, j * 9);
        count(fresh.rule[k + j]!);
      }
      result.hits += insertMany.run(...args).changes;
    }
    for (; k < to; k++) {
      if (one(fresh, k).changes) {
        result.hits++;
        count(fresh.rule[k]!);
      }
    }
  };
  // only what identifies an active hit (a rescan reads about a million): the details of the few that disappear come by id
  const existing = db.prepare(`SELECT id, message_id, rule, start, end FROM hits WHERE message_id BETWEEN ? AND ? AND retired_scan_id IS NULL AND source != 'behaviour'`).raw(true);
  const detailsOf = db.prepare('SELECT h.rule, h.category, h.match, m.msgid FROM hits h JOIN messages m ON m.id = h.message_id WHERE h.id = ?');
  /** a hit no longer found: retired (kept, with the scan that retired it), the first LIST_LIMIT listed */
  const retireHit = (id: number) => {
    retire.run(scanId, id);
    result.retired++;
    if (result.disappeared.length >= LIST_LIMIT) return;
    const d = detailsOf.get(id) as { rule: string; category: string; match: string; msgid: string };
    note(result.disappeared, { hit: id, msgid: d.msgid, rule: d.rule, category: d.category, match: d.match });
  };
  const msgidOf = db.prepare('SELECT msgid FROM messages WHERE id = ?').pluck();
  const mark = db.prepare(`UPDATE meta SET value = ? WHERE key = 'scan_upto'`);
  const note = (list: ScanChange[], c: ScanChange) => list.length < LIST_LIMIT && list.push(c);
  const added = (id: number, messageId: number, h: RuleInfo, match: string) => {
    result.hits++;
    count(h);
    note(result.appeared, { hit: id, msgid: msgidOf.get(messageId) as string, rule: h.rule, category: h.category, match });
  };

  const parties = new Parties(db);
  const upto = opts.full ? 0 : Number(db.prepare(`SELECT value FROM meta WHERE key = 'scan_upto'`).pluck().get() ?? 0);
  // a full scan reads every message anyway: the behaviour rules' table is filled on the way
  const table = upto === 0 ? new MessageTable(parties) : null;
  const rowsTable = table ?? new MessageTable(parties);
  // for progress only; a whole-table count reads the small time index, not every (encrypted) row
  const total = (upto === 0 ? db.prepare('SELECT count(*) FROM messages').pluck().get() : db.prepare('SELECT count(*) FROM messages WHERE id > ?').pluck().get(upto)) as number;
  const select = db.prepare(`SELECT ${MESSAGE_ROW_COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?`).raw(true);
  const speaker = (i: number): Speaker => {
    const f = rowsTable.flags[i]!;
    if (f & STAFF_SENDER) return f & STAFF_TO_CUSTOMER ? 'staff' : 'internal';
    return f & CUSTOMER_SENDER ? 'customer' : 'both';
  };
  /** One transaction per batch: new hits in, hits no longer found retired, the watermark moved. */
  const write = (rows: MessageRow[], found: PackedHits) =>
    withoutForeignKeyChecks(db, () => {
      const lo = rows[0]![0];
      const hi = rows[rows.length - 1]![0];
      const stale = new Map((existing.all(lo, hi) as [id: number, messageId: number, rule: string, start: number, end: number][]).map(([id, m, rule, start, end]) => [`${m}:${rule}:${start}:${end}`, id]));
      const fresh = new NewHits();
      const sources = found.rules.map((h) => (h.category === 'pii' ? 'pii' : (dictOf.get(h.rule) ?? 'dictionary')));
      const { cells } = found;
      for (let c = 0; c < cells.length; c += CELLS) {
        const r = rows[cells[c]!]!;
        const rule = cells[c + 1]!;
        const start = cells[c + 2]!;
        const end = cells[c + 3]!;
        if (stale.size && stale.delete(`${r[0]}:${found.rules[rule]!.rule}:${start}:${end}`)) continue; // still found: unchanged
        fresh.push(r[0], found.rules[rule]!, start, end, r[6].slice(start, end), sources[rule]!);
      }
      insertHits(fresh);
      for (const id of stale.values()) retireHit(id);
      mark.run(String(Math.max(hi, Number(db.prepare(`SELECT value FROM meta WHERE key = 'scan_upto'`).pluck().get() ?? 0))));
    });
  // read batch k+1 and write batch k here while the detection thread works (pipelined)
  const pool = detectPool(set.entries, () => detectorFor(set), worker);
  // The dictionary pass reads the messages once, in id order, and appends hits in the same order:
  // a small page cache serves it as well as a large one, and the detection thread's memory sits
  // beside it (the whole ingest's peak is here). The cache comes back for everything after.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${SCAN_CACHE_KIB}`);
  type Batch = { rows: MessageRow[]; found: Promise<PackedHits> };
  const read = (after: number): Batch | null => {
    const rows = select.all(after, BATCH) as MessageRow[];
    if (!rows.length) return null;
    if (!table) rowsTable.length = 0; // an incremental scan only needs this batch's flags
    const first = rowsTable.length;
    for (const r of rows) rowsTable.add(r);
    return { rows, found: pool.detect(rows.map((r) => r[6]), rows.map((_, k) => speaker(first + k))) };
  };
  let batches = 0;
  try {
    for (let batch = read(upto); batch; ) {
      const { rows } = batch;
      phase('setup');
      const next = read(rows[rows.length - 1]![0]);
      phase('read');
      const found = await batch.found;
      phase('waitDetect');
      write(rows, found);
      phase('write');
      result.scanned += rows.length;
      opts.onProgress?.({ scanned: result.scanned, total });
      if (++batches % GC_EVERY === 0) collectGarbage();
      batch = next;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await pool.close();
    db.pragma(`cache_size = ${cacheSize}`);
  }

  // behaviour rules look at the whole store: reconcile all of their hits
  collectGarbage();
  phase('setup');
  // (category = 'behaviour' lets the category index find them instead of reading every hit)
  // Keyed by number (message id × rule number), read row by row: half a million string keys and
  // row arrays were most of a rescan's peak memory.
  const ruleNo = new Map<string, number>();
  const keyOf = (messageId: number, rule: string) => {
    let n = ruleNo.get(rule);
    if (n === undefined) ruleNo.set(rule, (n = ruleNo.size));
    return messageId * RULE_SLOTS + n;
  };
  const stale = new Map<number, number>();
  for (const [id, m, rule] of db.prepare(`SELECT id, message_id, rule FROM hits WHERE category = 'behaviour' AND source = 'behaviour' AND retired_scan_id IS NULL`).raw(true).iterate() as IterableIterator<[id: number, messageId: number, rule: string]>) {
    stale.set(keyOf(m, rule), id);
  }
  const ruleInfo = new Map<string, RuleInfo>();
  let ruleMs = 0;
  // rule by rule: each rule's hits written before the next one runs, so one rule's are held at a time
  let t = performance.now();
  for (const candidates of behaviourByRule(db, new Ctx(db, parties, table ?? undefined))) {
    ruleMs += performance.now() - t;
    const kept = candidates.filter((c) => !(stale.size && stale.delete(keyOf(c.messageId, c.rule))));
    candidates.length = 0;
    // in message order (a rule jumps about the store), a transaction per BATCH like the
    // dictionary hits: one transaction of half a million rows outgrows the page cache and spills. A
    // scan cut off half way leaves some behaviour hits missing, and the next scan adds them.
    kept.sort((a, b) => a.messageId - b.messageId);
    const fresh = new NewHits();
    for (const c of kept) {
      const key = `${c.rule}\u0000${c.severity}`;
      let info = ruleInfo.get(key);
      if (!info) ruleInfo.set(key, (info = { rule: c.rule, category: 'behaviour', severity: c.severity }));
      fresh.push(c.messageId, info, 0, 0, c.match, 'behaviour', c.escalate ? 'escalated' : 'new');
    }
    kept.length = 0;
    for (let k = 0; k < fresh.length; k += BATCH) withoutForeignKeyChecks(db, () => insertHits(fresh, k, Math.min(k + BATCH, fresh.length)));
    collectGarbage();
    t = performance.now();
  }
  withoutForeignKeyChecks(db, () => {
    for (const id of stale.values()) retireHit(id);
  });
  phase('behaviourWrite');
  if (timings) {
    // the rules' own time apart from writing their hits, as the bench has always printed them
    timings.behaviourWrite -= ruleMs;
    timings.behaviour += ruleMs;
  }
  result.active = db.prepare('SELECT count(*) FROM hits WHERE retired_scan_id IS NULL').pluck().get() as number;
  phase('count');
  result.tookMs = Date.now() - started;
  db.prepare('UPDATE scans SET finished_at = ?, scanned = ?, added = ?, retired = ? WHERE id = ?').run(Date.now(), result.scanned, result.hits, result.retired, scanId);
  return result;
}

/**
 * One transaction with the hits' foreign-key lookups off: each looked up its message in the
 * (large, encrypted) messages table, a quarter of the insert time, for ids this scan has just
 * read from that table (messages are never deleted). Synchronous from the pragma off to the
 * pragma on, so no other request on this connection runs in between without its checks.
 */
function withoutForeignKeyChecks(db: Db, work: () => void): void {
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(work)();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
