/**
 * THE contract between the core and every host (Electron IPC, CLI, loopback test server).
 * Data plus derived types: each method has an input schema (validated at the boundary by
 * main/core/api/dispatch.ts), an output type, whether it reads or writes, and whether it
 * needs an unlocked store. The renderer imports types only from here.
 * Payloads are JSON-safe: no Date/Map/Buffer, times are epoch milliseconds, files are paths.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'usage', // bad input to a method: exit 2
  'passphrase', // wrong passphrase, or not a store of this app: exit 3
  'rejected', // input rejected as a whole, nothing written: exit 4
  'integrity', // tampering or corruption found: exit 5
  'forbidden', // role or branch scope does not allow it: exit 6
  'locked', // no store is open
  'exists', // refuses to overwrite
  'not_found',
  'disk_full',
  'cancelled',
  'busy', // the store is held by another writer (import, indexing, scan) or in use by another process: exit 1
  'internal', // anything else: exit 1
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every error a person sees is bilingual: Simplified Chinese first, English second. */
export type ApiError = { code: ErrorCode; message: string; messageZh: string; messageEn: string; details?: unknown };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------- shared shapes ----------
export type ImportFileError = { file: string; line: number; reason: string };
export type ImportSummary = {
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
  mediaLinked: number;
  mediaMissing: number;
  /** media found but its MD5 differs from the message's md5sum (stored, flagged) */
  mediaMismatched: number;
  /** media found but not stored: larger than the import's limit, or unreadable (the message's media keeps the reason) */
  mediaNotStored: number;
  byType: Record<string, number>;
  /** whole-file problems (truncated gzip, unreadable or vanished file); the rest still imported */
  fileErrors: ImportFileError[];
  files: number;
  /** files skipped because they were imported whole before (watched-folder schedules) */
  skippedFiles?: number;
  cancelled: boolean;
  tookMs: number;
  /** the search index after the import (null when the phase did not run: cancelled, or turned off) */
  indexed?: { indexed: number; pending: number } | null;
  /** the scan of the new (and any earlier unscanned) messages after indexing, or null when it did not run */
  scan?: { scanned: number; hits: number; byCategory: Record<string, number> } | null;
};
export type QuarantineEntry = { file: string; line: number; reason: string; excerpt: string; at: number };
export type Stats = {
  messages: number;
  conversations: number;
  staff: number;
  contacts: number;
  byType: Record<string, number>;
  quarantined: number;
  /** notStored: found but too large or unreadable */
  media: { linked: number; missing: number; mismatched: number; notStored: number };
  firstMessageAt: number | null;
  lastMessageAt: number | null;
  lastImportAt: number | null;
};
export type MessageRow = {
  msgid: string;
  /** epoch ms; null when the export carried 0 (time unknown) */
  msgtime: number | null;
  from: string;
  msgtype: string;
  action: string;
  /** all scannable text extracted from the message body */
  text: string;
  conversation: number | null;
  roomid: string;
  tolist: string[];
  seq: string | null;
};
export type PeopleImportResult = { imported: number; updated: number; unchanged: number; rejected: { row: number; reason: string }[] };
export type SearchInput = {
  q: string;
  from?: number;
  to?: number;
  conversation?: number;
  staff?: string;
  contact?: string;
  branch?: string;
  types?: string[];
  limit?: number;
  offset?: number;
};
export type SearchHit = {
  msgid: string;
  msgtime: number | null;
  from: string;
  msgtype: string;
  conversation: number | null;
  /** the text around the first match; `highlight` is [start, end) of the match within it */
  snippet: string;
  highlight: [number, number] | null;
};
export type SearchResult = { total: number; tookMs: number; results: SearchHit[]; pendingIndex: number };
/** A person as shown: name and branch, never a bare id (the id stays for filters and tooltips). */
export type Party =
  | { id: string; kind: 'staff'; name: string; branch: string; subBranch: string }
  | { id: string; kind: 'contact'; name: string; remark: string; owner: string }
  | { id: string; kind: 'robot' | 'unknown'; name: string };
export type ConversationRow = {
  id: number;
  kind: 'single' | 'group' | 'system';
  roomid: string;
  title: string;
  staff: Party | null;
  contact: Party | null;
  parties: Party[];
  messageCount: number;
  firstTime: number | null;
  lastTime: number | null;
};
export type MediaItem = {
  part: number;
  kind: string;
  md5sum: string | null;
  name: string | null;
  size: number | null;
  status: 'linked' | 'missing' | 'md5_mismatch' | 'too_large' | 'unreadable';
  sha256: string | null;
  /** why a file that was found is not in the store (too_large, unreadable) */
  reason: string | null;
};
export type ViewMessage = {
  id: number;
  msgid: string;
  seq: string | null;
  msgtime: number | null;
  action: string;
  msgtype: string;
  /** the sender as they were at the time (branch of the time) */
  from: Party;
  tolist: string[];
  text: string;
  /** the stored record, parsed (numbers beyond 2^53 lose digits here; seq above keeps them) */
  body: unknown;
  /** set when a later revoke notice recalled this message */
  recalledBy: { msgid: string; msgtime: number | null } | null;
  /** on a revoke notice: the recalled message, when it is in the store */
  recallOf: { msgid: string; found: boolean; msgtype: string | null; text: string | null; msgtime: number | null } | null;
  media: MediaItem[];
};
/** A voice message decoded to WAV (PCM 16-bit mono) for the window's audio player. */
export type AudioData = { sha256: string; codec: 'silk' | 'amr'; sampleRate: number; durationMs: number; wavBase64: string };
export type MediaData = { sha256: string; mime: string; size: number; name: string | null; base64: string };
export type StaffRow = { userid: string; name: string; branch: string; subBranch: string; department: string; position: string };
export type ContactRow = { id: string; name: string; remark: string; owner: string; tags: string };
export type BranchNode = { branch: string; staff: number; subBranches: { name: string; staff: number }[] };
export type Settings = { idleLockMinutes: number };
export type DetectHit = { category: string; rule: string; severity: 'high' | 'medium' | 'low'; start: number; end: number; match: string };
export type DictEntry = {
  id: string;
  term: string;
  category: string;
  severity: 'high' | 'medium' | 'low';
  match: 'literal' | 'regex' | 'proximity';
  termB?: string;
  window?: number;
  exclusions?: string[];
  negatable?: boolean;
  side?: 'staff' | 'customer' | 'both';
  boundary?: boolean;
  enabled?: boolean;
  note?: string;
};
export type DictionaryInfo = { id: number; name: string; scope: string; active: boolean; version: number; entries: number; author: string; updatedAt: number };
export type DictVersion = { version: number; author: string; createdAt: number; note: string; entries: number };
export type DictDiff = { added: DictEntry[]; removed: DictEntry[]; changed: { before: DictEntry; after: DictEntry }[] };
export type DictPreview = { dictionary: string; entries: number; errors: { row: number; reason: string }[]; diff: DictDiff };
export type ScanChange = { hit: number; msgid: string; rule: string; category: string; match: string };
export type ScanResult = {
  scanId: number;
  scanned: number;
  /** hits added by this scan */
  hits: number;
  /** hits a changed dictionary or rule no longer finds (kept, marked retired) */
  retired: number;
  active: number;
  byCategory: Record<string, number>;
  appeared: ScanChange[];
  disappeared: ScanChange[];
  dictionaries: { name: string; version: number }[];
  tookMs: number;
};
/** Whether the stored hits were found by the rules in force now (else a full rescan is due). */
export type ScanStatus = { lastScanAt: number | null; lastFullScanAt: number | null; unscanned: number; rulesChanged: boolean };
export type HitRow = {
  id: number;
  msgid: string;
  conversation: number | null;
  msgtime: number | null;
  from: Party;
  category: string;
  rule: string;
  severity: 'high' | 'medium' | 'low';
  start: number;
  end: number;
  match: string;
  /** the message text (offsets refer to it) */
  text: string;
  source: string;
  status: string;
  scanId: number;
};
export type RuleSetting = { rule: string; zh: string; en: string; enabled: boolean; params: Record<string, unknown> };
export type Role = 'admin' | 'compliance_manager' | 'risk_officer' | 'auditor';
export type UserRow = { user: string; role: Role; branch: string; disabled: boolean; createdBy: string; createdAt: number };
export type Whoami = { user: string; role: Role; branch: string } | null;
export type TriageStatus = 'new' | 'confirmed' | 'dismissed' | 'escalated';
export type Review = { hitId: number; status: string; reason: string; note: string; user: string; at: number };
/**
 * An exclusion proposal. Accepting one adds the phrase to the rule's exclusions in a new version
 * of a dictionary (dictionary, version: the version it produced; null until accepted).
 */
export type Proposal = {
  id: number;
  rule: string;
  phrase: string;
  dismissals: number;
  status: string;
  createdAt: number;
  decidedBy: string;
  decidedAt: number | null;
  dictionary: string;
  version: number | null;
};
export type CaseRow = { id: number; title: string; status: 'open' | 'investigating' | 'closed'; conclusion: string; assignee: string; dueAt: number | null; createdBy: string; createdAt: number; closedAt: number | null; hits: number };
export type CaseEvent = { at: number; user: string; kind: string; text: string };
export type CaseDetail = CaseRow & { hitRows: HitRow[]; events: CaseEvent[] };
export type AuditRow = { seq: number; at: number; user: string; action: string; target: string; details: unknown };
export type AuditVerify = { valid: boolean; entries: number; problems: { seq: number | null; problem: string }[] };
/** One finding of `store check`: where (the file, a page, SQLite's own checks, the audit log) and why, in both languages. */
export type StoreProblem = { area: 'file' | 'page' | 'sqlite' | 'audit'; page?: number; seq?: number | null; problem: string };
/** checked: what ran (pages, integrity_check, quick_check, foreign_key_check, audit) */
export type StoreCheck = { ok: boolean; pages: number; problems: StoreProblem[]; checked: string[]; tookMs: number };
/**
 * One run of a schedule. It runs with its creator's rights (runAs: role and branch scope as
 * recorded when the schedule was made), whoever or whatever started it (runBy; how: 'manual'
 * for run now, 'cron' when the app fired it; '' for runs from before this was recorded).
 */
export type ScheduleRun = {
  id: number;
  scheduleId: number;
  startedAt: number;
  finishedAt: number | null;
  ok: boolean | null;
  summary: string;
  error: string;
  how: 'manual' | 'cron' | '';
  runBy: string;
  runAs: { user: string; role: Role | ''; branch: string };
  /** the schedule's name now; deleted schedules keep their runs (the history is an audit trail) */
  scheduleName: string;
  scheduleDeleted: boolean;
};
/**
 * A schedule, with its owner's role and branch scope as recorded: its runs use them. The owner
 * (createdBy/createdRole/createdBranch) is its creator, or whoever edited it last.
 */
export type Schedule = {
  id: number;
  name: string;
  kind: 'import' | 'scan' | 'report';
  cron: string;
  params: Record<string, unknown>;
  enabled: boolean;
  createdBy: string;
  createdRole: Role | '';
  createdBranch: string;
  createdAt: number;
  lastRun: ScheduleRun | null;
};
/** A hits.list filter: what a dashboard chart opens when clicked. */
export type HitFilter = { category?: string; severity?: 'high' | 'medium' | 'low' | string; status?: string; staff?: string; branch?: string; from?: number; to?: number };
export type Dashboard = {
  from: number;
  to: number;
  byDay: { day: number; category: string; hits: number; filter: HitFilter }[];
  byBranch: { branch: string; hits: number; filter: HitFilter }[];
  topStaff: { staff: string; name: string; branch: string; hits: number; high: number; filter: HitFilter }[];
  backlog: { status: string; severity: string; hits: number; filter: HitFilter }[];
  freshness: { lastImportAt: number | null; lastMessageAt: number | null; openCases: number; overdueCases: number };
};
/** What an independent reader needs besides the key (main/core/store/index.ts applyKey). */
export type CipherParams = {
  name: 'sqlcipher';
  description: string;
  /** SQLite3 Multiple Ciphers (how this app opens it) */
  sqlite3mc: { cipher: 'sqlcipher'; legacy: 3; legacy_page_size: 16384 };
  /** SQLCipher's own parameters: version 3 defaults with 16 KiB pages; the key is raw, so no key derivation runs */
  sqlcipher: { compatibility: 3; cipher_page_size: 16384; cipher_hmac_algorithm: 'HMAC_SHA1'; cipher_kdf_algorithm: 'PBKDF2_HMAC_SHA1'; kdf_iter: 64000; rawKey: true };
  /** the statements to type into the sqlcipher shell, in order (3.x; 4.x: cipher_compatibility first) */
  pragmas: string[];
};
export type StoreInfo = { dbPath: string; user: string; schemaVersion: number; cipher: string };
export type AppInfo = {
  version: string;
  defaultDbPath: string;
  samplesDir: string;
  open: StoreInfo | null;
  /** true where the host can show native file dialogs (Electron) */
  nativeDialogs: boolean;
};
export type ImportProgress = {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  bytesTotal: number;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
};

const path = z.string().min(1).max(4096);
/** seconds a long write waits for the store's writer lock before it is refused */
const waitSeconds = z.number().int().min(0).max(24 * 3600).optional();
const passphrase = z.string().min(1).max(1024);
const epochMs = z.number().int();

export const contract = {
  'app.info': { kind: 'read', needsStore: false, input: z.object({}).strict() },
  'store.create': {
    kind: 'write',
    needsStore: false,
    input: z.object({ dbPath: path, passphrase }).strict(),
  },
  'store.unlock': {
    kind: 'read',
    needsStore: false,
    input: z.object({ dbPath: path, passphrase, user: z.string().min(1).max(128).optional() }).strict(),
  },
  'store.lock': { kind: 'read', needsStore: false, input: z.object({}).strict() },
  'store.stats': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  /** every page's authentication, SQLite's integrity and foreign-key checks, the audit chain and its anchor */
  'store.check': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'import.run': {
    kind: 'write',
    needsStore: true,
    input: z
      .object({
        paths: z.array(path).min(1).max(10000),
        mediaDir: path.optional(),
        /** test hook: records per transaction (default 20,000) */
        batchSize: z.number().int().min(1).max(1_000_000).optional(),
        /** longest line or array element accepted, in bytes (default 32 MiB) */
        maxRecordBytes: z.number().int().min(1024).max(1 << 30).optional(),
        /** the phases after the import (default on): the search index, then the scan */
        index: z.boolean().optional(),
        scan: z.boolean().optional(),
        /** seconds to wait when another import, indexing or scan holds the store (default 0: refuse at once) */
        wait: waitSeconds,
        /** largest media file read into the store, in bytes (default 512 MiB; SQLite holds at most about 950 MiB in one value) */
        maxMediaBytes: z.number().int().min(0).max(900 * 1024 * 1024).optional(),
      })
      .strict(),
  },
  'import.cancel': { kind: 'read', needsStore: false, input: z.object({}).strict() },
  'import.quarantine': {
    kind: 'read',
    needsStore: true,
    input: z.object({ limit: z.number().int().min(1).max(100000).optional() }).strict(),
  },
  'messages.list': {
    kind: 'read',
    needsStore: true,
    input: z
      .object({
        conversation: z.number().int().optional(),
        from: epochMs.optional(),
        to: epochMs.optional(),
        limit: z.number().int().min(1).max(100000).optional(),
      })
      .strict(),
  },
  'people.import': {
    kind: 'write',
    needsStore: true,
    input: z.object({ file: path, kind: z.enum(['staff', 'contacts']) }).strict(),
  },
  'search.query': {
    kind: 'read',
    needsStore: true,
    input: z
      .object({
        q: z.string().min(1).max(500),
        from: epochMs.optional(),
        to: epochMs.optional(),
        conversation: z.number().int().optional(),
        staff: z.string().max(128).optional(),
        contact: z.string().max(128).optional(),
        branch: z.string().max(128).optional(),
        types: z.array(z.string().max(64)).max(50).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
  },
  'search.index': { kind: 'write', needsStore: true, input: z.object({ wait: waitSeconds }).strict() },
  'conversations.list': {
    kind: 'read',
    needsStore: true,
    input: z
      .object({ branch: z.string().max(128).optional(), staff: z.string().max(128).optional(), contact: z.string().max(128).optional(), kind: z.enum(['single', 'group']).optional(), limit: z.number().int().min(1).max(1_000_000).optional() })
      .strict(),
  },
  'conversations.messages': {
    kind: 'read',
    needsStore: true,
    input: z.object({ conversation: z.number().int(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(),
  },
  'conversations.locate': { kind: 'read', needsStore: true, input: z.object({ msgid: z.string().min(1).max(256) }).strict() },
  'media.get': { kind: 'read', needsStore: true, input: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict() },
  'media.audio': { kind: 'read', needsStore: true, input: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict() },
  'people.list': { kind: 'read', needsStore: true, input: z.object({ kind: z.enum(['staff', 'contacts']), branch: z.string().max(128).optional() }).strict() },
  'people.branches': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'settings.get': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'settings.set': { kind: 'write', needsStore: true, input: z.object({ idleLockMinutes: z.number().int().min(0).max(1440) }).strict() },
  'detect.text': { kind: 'read', needsStore: false, input: z.object({ text: z.string().max(100_000), side: z.enum(['staff', 'customer', 'both']).optional() }).strict() },
  'scan.run': { kind: 'write', needsStore: true, input: z.object({ full: z.boolean().optional(), wait: waitSeconds }).strict() },
  'scan.status': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'hits.list': {
    kind: 'read',
    needsStore: true,
    input: z
      .object({
        category: z.string().max(64).optional(),
        severity: z.enum(['high', 'medium', 'low']).optional(),
        staff: z.string().max(128).optional(),
        branch: z.string().max(128).optional(),
        status: z.string().max(32).optional(),
        from: epochMs.optional(),
        to: epochMs.optional(),
        includeRetired: z.boolean().optional(),
        limit: z.number().int().min(1).max(100_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
  },
  'dict.list': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'dict.entries': { kind: 'read', needsStore: true, input: z.object({ name: z.string().max(200).optional(), version: z.number().int().min(1).optional() }).strict() },
  'dict.versions': { kind: 'read', needsStore: true, input: z.object({ name: z.string().max(200) }).strict() },
  'dict.diff': { kind: 'read', needsStore: true, input: z.object({ name: z.string().max(200), from: z.number().int().min(1), to: z.number().int().min(1) }).strict() },
  'dict.preview': { kind: 'read', needsStore: true, input: z.object({ file: path, name: z.string().max(200).optional() }).strict() },
  'dict.import': {
    kind: 'write',
    needsStore: true,
    input: z.object({ file: path, name: z.string().max(200).optional(), note: z.string().max(1000).optional(), skipInvalid: z.boolean().optional() }).strict(),
  },
  'dict.save': {
    kind: 'write',
    needsStore: true,
    input: z.object({ name: z.string().min(1).max(200), entries: z.array(z.record(z.string(), z.unknown())).max(200_000), note: z.string().max(1000).optional(), scope: z.string().max(128).optional() }).strict(),
  },
  'dict.export': { kind: 'read', needsStore: true, input: z.object({ out: path, name: z.string().max(200).optional() }).strict() },
  'dict.setActive': { kind: 'write', needsStore: true, input: z.object({ name: z.string().max(200), active: z.boolean() }).strict() },
  'rules.list': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'rules.set': {
    kind: 'write',
    needsStore: true,
    input: z.object({ rule: z.string().max(100), enabled: z.boolean().optional(), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  },
  'session.whoami': { kind: 'read', needsStore: false, input: z.object({}).strict() },
  /** the core's permission table, so the window disables what the core would refuse without a copy of its own */
  'session.permissions': { kind: 'read', needsStore: false, input: z.object({}).strict() },
  'users.add': {
    kind: 'write',
    needsStore: true,
    input: z.object({ user: z.string().min(1).max(64), role: z.enum(['admin', 'compliance_manager', 'risk_officer', 'auditor']), branch: z.string().max(128).optional(), password: z.string().min(1).max(1024) }).strict(),
  },
  'users.list': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'users.setDisabled': { kind: 'write', needsStore: true, input: z.object({ user: z.string().min(1).max(64), disabled: z.boolean(), password: z.string().max(1024).optional() }).strict() },
  'users.changePassword': { kind: 'write', needsStore: true, input: z.object({ user: z.string().min(1).max(64).optional(), password: z.string().min(1).max(1024) }).strict() },
  /** an admin sets a user's password and lifts their lockout */
  'users.resetPassword': { kind: 'write', needsStore: true, input: z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict() },
  /** every password lost: the recovery key re-wraps the data key for an admin (default admin) with a new password; audited as users.recover; leaves no store open */
  'users.recover': {
    kind: 'write',
    needsStore: false,
    input: z.object({ dbPath: path, recoveryKey: z.string().min(1).max(512), user: z.string().min(1).max(64).optional(), password: z.string().min(1).max(1024) }).strict(),
  },
  /** a new recovery key for this store (shown once; replaces an older one) */
  'key.recoveryCreate': { kind: 'write', needsStore: true, input: z.object({}).strict() },
  /** whether the store has a recovery key */
  'key.status': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  /** the raw data key and the cipher parameters, for escrow or an independent reader (audited) */
  'key.export': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'review.triage': {
    kind: 'write',
    needsStore: true,
    input: z.object({ hits: z.array(z.number().int()).min(1).max(10_000), status: z.enum(['new', 'confirmed', 'dismissed', 'escalated']), reason: z.string().max(100).optional(), note: z.string().max(2000).optional() }).strict(),
  },
  'review.history': { kind: 'read', needsStore: true, input: z.object({ hit: z.number().int() }).strict() },
  'review.proposals': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'review.proposalDecide': { kind: 'write', needsStore: true, input: z.object({ id: z.number().int(), accept: z.boolean() }).strict() },
  'cases.create': {
    kind: 'write',
    needsStore: true,
    input: z.object({ title: z.string().min(1).max(200), hits: z.array(z.number().int()).max(10_000), assignee: z.string().max(64).optional(), dueAt: epochMs.optional(), note: z.string().max(5000).optional() }).strict(),
  },
  'cases.list': { kind: 'read', needsStore: true, input: z.object({ status: z.enum(['open', 'investigating', 'closed']).optional() }).strict() },
  'cases.get': { kind: 'read', needsStore: true, input: z.object({ id: z.number().int() }).strict() },
  'cases.update': {
    kind: 'write',
    needsStore: true,
    input: z
      .object({
        id: z.number().int(),
        status: z.enum(['open', 'investigating', 'closed']).optional(),
        conclusion: z.enum(['violation_confirmed', 'not_confirmed']).optional(),
        assignee: z.string().max(64).optional(),
        dueAt: epochMs.nullable().optional(),
        note: z.string().max(5000).optional(),
        addHits: z.array(z.number().int()).max(10_000).optional(),
      })
      .strict(),
  },
  'log.list': {
    kind: 'read',
    needsStore: true,
    input: z.object({ limit: z.number().int().min(1).max(100_000).optional(), user: z.string().max(64).optional(), action: z.string().max(100).optional(), from: epochMs.optional(), to: epochMs.optional() }).strict(),
  },
  'log.verify': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'pii.unmask': { kind: 'read', needsStore: true, input: z.object({ hit: z.number().int() }).strict() },
  'evidence.create': {
    kind: 'write',
    needsStore: true,
    // pdf: false skips transcript.pdf (default: include it where the host can print)
    input: z.object({ hits: z.array(z.number().int()).max(10_000).optional(), case: z.number().int().optional(), out: path, pdf: z.boolean().optional() }).strict(),
  },
  /**
   * expectFingerprint: the signer's SHA-256 fingerprint (hex; colons, spaces, case ignored);
   * trustedSigners: a trusted-signers file (main/core/report/trust.ts). With either, a pack signed
   * by a key not among them is invalid; with both, either may match.
   */
  /** admin: a new evidence-signing key; the old public key is kept in the history (core/report/signing.ts) */
  'signing.rotate': { kind: 'write', needsStore: true, input: z.object({}).strict() },
  'evidence.verify': { kind: 'read', needsStore: false, input: z.object({ file: path, expectFingerprint: z.string().max(200).optional(), trustedSigners: path.optional() }).strict() },
  'dashboard.get': { kind: 'read', needsStore: true, input: z.object({ from: epochMs, to: epochMs, branch: z.string().max(128).optional() }).strict() },
  'schedules.list': { kind: 'read', needsStore: true, input: z.object({}).strict() },
  'schedules.add': {
    kind: 'write',
    needsStore: true,
    input: z.object({ name: z.string().min(1).max(100), kind: z.enum(['import', 'scan', 'report']), cron: z.string().min(1).max(100), params: z.record(z.string(), z.unknown()) }).strict(),
  },
  'schedules.setEnabled': { kind: 'write', needsStore: true, input: z.object({ id: z.number().int(), enabled: z.boolean() }).strict() },
  /**
   * Change a schedule's name, cron or params (its kind stays). params are merged over the
   * current ones, a key set to null is removed. Whoever edits it becomes its owner: it then runs
   * with the editor's role and branch (main/core/scheduler/schedules.ts says why).
   */
  'schedules.update': {
    kind: 'write',
    needsStore: true,
    input: z.object({ id: z.number().int(), name: z.string().min(1).max(100).optional(), cron: z.string().min(1).max(100).optional(), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  },
  /** Soft delete: hidden from the list and never fired; its runs stay in the history. */
  'schedules.remove': { kind: 'write', needsStore: true, input: z.object({ id: z.number().int() }).strict() },
  'schedules.run': { kind: 'write', needsStore: true, input: z.object({ id: z.number().int() }).strict() },
  'schedules.runs': { kind: 'read', needsStore: true, input: z.object({ id: z.number().int().optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict() },
  'report.create': {
    kind: 'write',
    needsStore: true,
    input: z.object({ from: epochMs, to: epochMs, out: path, branch: z.string().max(128).optional(), categories: z.array(z.string().max(64)).max(20).optional() }).strict(),
  },
  /** Native file/folder dialogs: real in Electron, absent elsewhere (the UI then offers a path field). */
  'shell.pickPaths': {
    kind: 'read',
    needsStore: false,
    input: z.object({ kind: z.enum(['files', 'folder', 'saveFile']), title: z.string().max(200).optional() }).strict(),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type In<M extends Method> = z.infer<Contract[M]['input']>;

/** Output types: declared here once, checked against the handler table by tsc. */
export type Outputs = {
  'app.info': AppInfo;
  /** recoveryKey: shown once, never stored in the clear */
  'store.create': { created: string; recoveryKey: string };
  'store.unlock': StoreInfo;
  'store.lock': { locked: true };
  'store.stats': Stats;
  'store.check': StoreCheck;
  'import.run': ImportSummary;
  'import.cancel': { cancelled: boolean };
  'import.quarantine': QuarantineEntry[];
  'messages.list': MessageRow[];
  'shell.pickPaths': { paths: string[] };
  'people.import': PeopleImportResult;
  'search.query': SearchResult;
  'search.index': { indexed: number; pending: number };
  'conversations.list': ConversationRow[];
  'conversations.messages': { total: number; offset: number; messages: ViewMessage[] };
  'conversations.locate': { conversation: number; index: number } | null;
  'media.get': MediaData;
  'media.audio': AudioData;
  'people.list': StaffRow[] | ContactRow[];
  'people.branches': BranchNode[];
  'settings.get': Settings;
  'settings.set': Settings;
  'detect.text': DetectHit[];
  'scan.run': ScanResult;
  'scan.status': ScanStatus;
  'hits.list': { total: number; hits: HitRow[] };
  'dict.list': DictionaryInfo[];
  'dict.entries': DictEntry[];
  'dict.versions': DictVersion[];
  'dict.diff': DictDiff;
  'dict.preview': DictPreview;
  'dict.import': { dictionary: string; version: number; entries: number; skipped: { row: number; reason: string }[]; diff: DictDiff };
  'dict.save': { dictionary: string; version: number; diff: DictDiff };
  'dict.export': { out: string; entries: number };
  'dict.setActive': { name: string; active: boolean };
  'rules.list': RuleSetting[];
  'rules.set': RuleSetting;
  'session.whoami': Whoami;
  'session.permissions': Record<Method, Role[] | 'open'>;
  'users.add': UserRow;
  'users.list': UserRow[];
  'users.setDisabled': UserRow;
  'users.changePassword': { user: string };
  'users.resetPassword': { user: string; lockoutCleared: boolean };
  'users.recover': { user: string; recovered: true };
  'key.recoveryCreate': { recoveryKey: string; replaced: boolean };
  'key.status': { recovery: boolean; recoveryCreatedAt: number | null };
  'key.export': { key: string; cipher: CipherParams };
  'review.triage': { updated: number; status: TriageStatus; proposals: Proposal[] };
  'review.history': Review[];
  'review.proposals': Proposal[];
  'review.proposalDecide': Proposal;
  'cases.create': { id: number };
  'cases.list': CaseRow[];
  'cases.get': CaseDetail;
  'cases.update': CaseRow;
  'log.list': AuditRow[];
  'log.verify': AuditVerify;
  'pii.unmask': { hit: number; match: string };
  /** pdf: whether transcript.pdf is in the pack; pdfReason: why not, when it is not */
  'evidence.create': { out: string; files: number; sha256: string; fingerprint: string; packId: string; pdf: boolean; pdfReason?: string };
  'signing.rotate': { previous: string; fingerprint: string; retired: number };
  'evidence.verify': { valid: boolean; problems: string[]; fingerprint: string | null; files: number; pinned: boolean; trusted: boolean; signer: { label: string; source: string } | null; fingerprintCommand: string };
  'report.create': { out: string; sheets: string[]; hits: number; fingerprint: string };
  'dashboard.get': Dashboard;
  'schedules.list': Schedule[];
  'schedules.add': Schedule;
  'schedules.setEnabled': { id: number; enabled: boolean };
  'schedules.update': Schedule;
  'schedules.remove': { id: number; deleted: true };
  'schedules.run': ScheduleRun;
  'schedules.runs': ScheduleRun[];
};
export type Out<M extends Method> = Outputs[M];

export type Events = {
  /** a long write waits for the store's writer lock, held by this one (null when unreadable) */
  'store.writerWait': { holder: { pid: number; host: string; op: string; user: string; startedAt: number } | null };
  /** which phase of an import is running */
  'import.phase': { phase: 'import' | 'index' | 'scan' | 'done' };
  'import.progress': ImportProgress;
  'search.indexProgress': { indexed: number; pending: number };
  'scan.progress': { scanned: number; total: number };
};
export type EventName = keyof Events;

export const methodNames = Object.keys(contract) as Method[];
export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the renderer sees, whether window.api (Electron preload) or HTTP (test server). */
export type Api = {
  invoke<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
