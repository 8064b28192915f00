/**
 * The audit log: every change, export, view of message content and login, under the acting
 * user. Each entry carries the hash of the one before (a chain), and the head of the chain is
 * anchored outside the database, in the keyring file beside it, so editing, deleting,
 * reordering or truncating entries in the database is found by `verify`.
 */
import crypto from 'node:crypto';
import { readKeyring, writeKeyring } from '../store/keyring.js';
import type { Db } from '../store/index.js';

export type AuditEntry = { seq: number; at: number; user: string; action: string; target: string; details: unknown };
export type AuditProblem = { seq: number | null; problem: string };

const GENESIS = '0'.repeat(64);

function entryHash(prev: string, e: { seq: number; at: number; user: string; action: string; target: string; details: string }): string {
  return crypto.createHash('sha256').update(`${prev}\n${e.seq}\n${e.at}\n${e.user}\n${e.action}\n${e.target}\n${e.details}`).digest('hex');
}

export function appendAudit(db: Db, dbPath: string, user: string, action: string, target = '', details: unknown = {}): AuditEntry {
  const entry = db.transaction(() => {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS;
    const e = { seq, at: Date.now(), user, action, target, details: JSON.stringify(details ?? {}) };
    const hash = entryHash(prev, e);
    db.prepare('INSERT INTO audit_log(seq, at, user, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(seq, e.at, user, action, target, e.details, prev, hash);
    return { e, hash, prevSeq: last?.seq ?? 0, prevHash: prev };
  })();
  // the anchor outside the database: a truncated or rewritten chain no longer ends here. If the
  // chain did not end at the anchor before this entry, the break is recorded for good, so a new
  // entry can never paper over a truncation.
  const keyring = readKeyring(dbPath);
  const anchor = keyring.auditAnchor;
  if (anchor && (entry.prevSeq !== anchor.seq || entry.prevHash !== anchor.hash)) {
    keyring.auditBreaks = [...(keyring.auditBreaks ?? []), { anchorSeq: anchor.seq, foundSeq: entry.prevSeq, at: entry.e.at }];
  } else if (!anchor && entry.prevSeq > 0) {
    // entries without an anchor: it was removed from the keyring (every entry writes one), and
    // this entry would otherwise write a fresh anchor over the gap
    keyring.auditBreaks = [...(keyring.auditBreaks ?? []), { anchorSeq: 0, foundSeq: entry.prevSeq, at: entry.e.at, anchorMissing: true }];
  }
  keyring.auditAnchor = { seq: entry.e.seq, hash: entry.hash };
  writeKeyring(dbPath, keyring);
  return { seq: entry.e.seq, at: entry.e.at, user, action, target, details };
}

export function listAudit(db: Db, opts: { limit?: number; user?: string; action?: string; from?: number; to?: number } = {}): AuditEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (opts.user) {
    where.push('user = ?');
    args.push(opts.user);
  }
  if (opts.action) {
    where.push('action LIKE ?');
    args.push(`${opts.action}%`);
  }
  if (opts.from !== undefined) {
    where.push('at >= ?');
    args.push(opts.from);
  }
  if (opts.to !== undefined) {
    where.push('at < ?');
    args.push(opts.to);
  }
  return (db.prepare(`SELECT seq, at, user, action, target, details FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`).all(...args, opts.limit ?? 1000) as Record<string, any>[]).map(
    (r) => ({ seq: r.seq, at: r.at, user: r.user, action: r.action, target: r.target, details: JSON.parse(r.details) as unknown }),
  );
}

/** history: false leaves out the breaks recorded in the keyring (the quick form before a report, main/core/store/check.ts) */
export function verifyAudit(db: Db, dbPath: string, opts: { history?: boolean } = {}): { valid: boolean; entries: number; problems: AuditProblem[] } {
  const rows = db.prepare('SELECT rowid AS rid, seq, at, user, action, target, details, prev_hash, hash FROM audit_log ORDER BY rowid').all() as Record<string, any>[];
  const problems: AuditProblem[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) problems.push({ seq: r.seq, problem: `序号不连续：应为 ${expectedSeq} / sequence broken: expected ${expectedSeq}` });
    if (r.prev_hash !== prev) problems.push({ seq: r.seq, problem: '与前一条的哈希不衔接（删除、插入或重排）/ does not chain to the entry before (deleted, inserted or reordered)' });
    if (entryHash(r.prev_hash as string, r as { seq: number; at: number; user: string; action: string; target: string; details: string }) !== r.hash) problems.push({ seq: r.seq, problem: '内容与哈希不符（被修改）/ content does not match its hash (edited)' });
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  const keyring = readKeyring(dbPath);
  for (const b of opts.history === false ? [] : (keyring.auditBreaks ?? [])) {
    if (b.anchorMissing) {
      problems.push({ seq: b.foundSeq, problem: `记录第 ${b.foundSeq + 1} 条时日志已有 ${b.foundSeq} 条，锚点却不见了：锚点被删除 / when entry ${b.foundSeq + 1} was written the log held ${b.foundSeq} entries but the anchor was gone: it was removed` });
      continue;
    }
    problems.push({ seq: b.foundSeq, problem: `记录第 ${b.foundSeq + 1} 条时发现日志止于第 ${b.foundSeq} 条，而锚点为第 ${b.anchorSeq} 条：被截断或改写 / when entry ${b.foundSeq + 1} was written the log ended at ${b.foundSeq}, not at its anchor ${b.anchorSeq}: truncated or rewritten` });
  }
  const anchor = keyring.auditAnchor;
  const last = rows.at(-1);
  if (anchor) {
    if (!last || last.seq !== anchor.seq || last.hash !== anchor.hash) {
      problems.push({ seq: last?.seq ?? null, problem: `日志末尾与锚点不符（应止于第 ${anchor.seq} 条）：被截断或改写 / the log does not end at its anchor (entry ${anchor.seq}): truncated or rewritten` });
    }
  } else if (rows.length) {
    problems.push({ seq: null, problem: '缺少日志锚点 / the audit anchor is missing' });
  }
  return { valid: problems.length === 0, entries: rows.length, problems };
}
