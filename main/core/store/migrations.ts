/**
 * Versioned schema. Each migration runs in its own transaction (SQLite DDL is transactional),
 * so a store is always at exactly one version; PRAGMA user_version records it.
 * Never edit a migration that has shipped: add a new one. test/fixtures/store-v1.db was
 * written by migration 1 and is opened by the tests with the current code.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export type Migration = { version: number; name: string; up: (db: Database) => void };

const v1 = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE import_files(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  size INTEGER,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  status TEXT NOT NULL,          -- running | done | failed
  records INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE TABLE conversations(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,            -- single | group | system
  key TEXT NOT NULL UNIQUE,      -- 'room:<roomid>' or 'single:<a>|<b>' with a < b
  roomid TEXT NOT NULL DEFAULT '',
  party_a TEXT,
  party_b TEXT,
  first_time INTEGER,
  last_time INTEGER,
  message_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  msgid TEXT NOT NULL UNIQUE,
  seq TEXT,                      -- unsigned 64-bit, kept as text
  action TEXT NOT NULL,
  sender TEXT NOT NULL,
  tolist TEXT NOT NULL,          -- JSON array
  roomid TEXT NOT NULL DEFAULT '',
  msgtime INTEGER,               -- epoch ms; NULL when the export said 0 (unknown)
  msgtype TEXT NOT NULL,
  conversation_id INTEGER REFERENCES conversations(id),
  text TEXT NOT NULL DEFAULT '', -- every scannable text of the body, joined by newlines
  raw TEXT NOT NULL,             -- the record exactly as it stood in the export
  file_id INTEGER REFERENCES import_files(id),
  line INTEGER
);
CREATE INDEX messages_conversation_time ON messages(conversation_id, msgtime, id);
CREATE INDEX messages_time ON messages(msgtime);
CREATE TABLE quarantine(
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL DEFAULT 'record', -- record | file (a whole-file problem: truncated gzip, vanished file)
  UNIQUE(file, line)
);
`;

const v2 = `
CREATE TABLE media(
  sha256 TEXT PRIMARY KEY,
  md5 TEXT NOT NULL,
  size INTEGER NOT NULL,
  name TEXT,
  bytes BLOB NOT NULL            -- inside the encrypted store: media is never plain on disk
);
CREATE INDEX media_md5 ON media(md5);
CREATE TABLE message_media(
  message_id INTEGER NOT NULL REFERENCES messages(id),
  part INTEGER NOT NULL,         -- 0: the body; n: item n of a chatrecord or mixed message
  kind TEXT NOT NULL,
  md5sum TEXT,
  sdkfileid TEXT,
  name_hint TEXT,                -- voiceid / voipid / filename
  declared_size INTEGER,
  status TEXT NOT NULL,          -- linked | missing | md5_mismatch
  sha256 TEXT REFERENCES media(sha256),
  PRIMARY KEY(message_id, part)
);
CREATE INDEX message_media_status ON message_media(status);
CREATE TABLE recalls(
  message_id INTEGER PRIMARY KEY REFERENCES messages(id), -- the revoke notice
  pre_msgid TEXT NOT NULL                                  -- the recalled message (may arrive later)
);
CREATE INDEX recalls_pre ON recalls(pre_msgid);
CREATE TABLE consents(
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  contact TEXT NOT NULL,
  status TEXT NOT NULL,          -- agree | disagree
  at INTEGER
);
CREATE INDEX consents_contact ON consents(contact, at);
`;

const v3 = `
CREATE TABLE staff(
  userid TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  branch TEXT NOT NULL DEFAULT '',
  sub_branch TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE INDEX staff_branch ON staff(branch, sub_branch);
-- every version a staff member has had; valid_from 0 = since before any message
CREATE TABLE staff_history(
  id INTEGER PRIMARY KEY,
  userid TEXT NOT NULL,
  name TEXT NOT NULL,
  branch TEXT NOT NULL,
  sub_branch TEXT NOT NULL,
  department TEXT NOT NULL,
  position TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,              -- NULL: current
  source TEXT
);
CREATE INDEX staff_history_user ON staff_history(userid, valid_from);
CREATE TABLE contacts(
  external_userid TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  remark TEXT NOT NULL DEFAULT '',
  owner_userid TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_owner ON contacts(owner_userid);
CREATE TABLE contact_history(
  id INTEGER PRIMARY KEY,
  external_userid TEXT NOT NULL,
  name TEXT NOT NULL,
  remark TEXT NOT NULL,
  owner_userid TEXT NOT NULL,
  tags TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  source TEXT
);
CREATE INDEX contact_history_id ON contact_history(external_userid, valid_from);
`;

export const migrations: Migration[] = [
  { version: 1, name: 'messages, conversations, quarantine', up: (db) => db.exec(v1) },
  {
    version: 2,
    name: 'media, recalls, consents (backfilled from stored raw records)',
    up: (db) => {
      db.exec(v2);
      // Older stores kept every raw record, so links can be derived for what is already there.
      backfillV2(db);
    },
  },
  { version: 3, name: 'staff and contacts with history', up: (db) => db.exec(v3) },
  {
    version: 4,
    name: 'bigram search index (contentless FTS5, filled in the background)',
    up: (db) =>
      db.exec(`
        CREATE VIRTUAL TABLE search_index USING fts5(tokens, content='', columnsize=0, detail=full, prefix='4', tokenize='ascii');
        -- the index's rowid is a time key (msgtime * 2^20 + a tie-breaker), so FTS5 returns hits
        -- newest first and a time range is a rowid range, without touching the messages table
        CREATE TABLE search_docs(key INTEGER PRIMARY KEY, message_id INTEGER NOT NULL);
        INSERT INTO meta(key, value) VALUES ('search_indexed_upto', '0') ON CONFLICT(key) DO UPDATE SET value = '0';
      `),
  },
  {
    version: 5,
    name: 'quarantine keyed by file, line and record on that line (a minified SDK page holds many on line 1)',
    up: (db) =>
      db.exec(`
        CREATE TABLE quarantine_v5(
          id INTEGER PRIMARY KEY,
          file TEXT NOT NULL,
          line INTEGER NOT NULL,
          item INTEGER NOT NULL DEFAULT 0, -- which record on that line, from 0
          reason TEXT NOT NULL,
          excerpt TEXT NOT NULL,
          at INTEGER NOT NULL,
          kind TEXT NOT NULL DEFAULT 'record',
          UNIQUE(file, line, item)
        );
        INSERT INTO quarantine_v5(id, file, line, item, reason, excerpt, at, kind) SELECT id, file, line, 0, reason, excerpt, at, kind FROM quarantine;
        DROP TABLE quarantine;
        ALTER TABLE quarantine_v5 RENAME TO quarantine;
      `),
  },
  {
    version: 6,
    name: 'dictionaries with versions, behaviour rule settings, scans and hits',
    up: (db) =>
      db.exec(`
        CREATE TABLE dictionaries(
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          scope TEXT NOT NULL DEFAULT '',   -- '' head-office baseline, else the branch it adds to
          active INTEGER NOT NULL DEFAULT 1,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE dictionary_versions(
          id INTEGER PRIMARY KEY,
          dictionary_id INTEGER NOT NULL REFERENCES dictionaries(id),
          version INTEGER NOT NULL,
          entries TEXT NOT NULL,            -- JSON array of entries, as applied
          author TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          note TEXT NOT NULL DEFAULT '',
          UNIQUE(dictionary_id, version)
        );
        CREATE TABLE rule_settings(
          rule TEXT PRIMARY KEY,            -- a behaviour rule id
          enabled INTEGER NOT NULL DEFAULT 1,
          params TEXT NOT NULL,             -- JSON
          updated_by TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE scans(
          id INTEGER PRIMARY KEY,
          started_at INTEGER NOT NULL,
          finished_at INTEGER,
          full INTEGER NOT NULL,
          ruleset TEXT NOT NULL,            -- JSON: dictionary versions and behaviour settings used
          scanned INTEGER NOT NULL DEFAULT 0,
          added INTEGER NOT NULL DEFAULT 0,
          retired INTEGER NOT NULL DEFAULT 0,
          user TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE hits(
          id INTEGER PRIMARY KEY,
          message_id INTEGER NOT NULL REFERENCES messages(id),
          rule TEXT NOT NULL,
          category TEXT NOT NULL,
          severity TEXT NOT NULL,
          start INTEGER NOT NULL,           -- UTF-16 offsets into messages.text
          end INTEGER NOT NULL,
          match TEXT NOT NULL,
          source TEXT NOT NULL,             -- 'dictionary name@version', 'pii' or 'behaviour'
          scan_id INTEGER NOT NULL REFERENCES scans(id),
          retired_scan_id INTEGER REFERENCES scans(id), -- set when a later scan no longer finds it
          status TEXT NOT NULL DEFAULT 'new',
          created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX hits_active ON hits(message_id, rule, start, end) WHERE retired_scan_id IS NULL;
        CREATE INDEX hits_message ON hits(message_id);
        CREATE INDEX hits_category ON hits(category, severity);
        INSERT INTO meta(key, value) VALUES ('scan_upto', '0') ON CONFLICT(key) DO UPDATE SET value = '0';
      `),
  },
  {
    version: 7,
    name: 'users and roles, audit log (hash chain), triage history, cases, exclusion proposals',
    up: (db) =>
      db.exec(`
        CREATE TABLE users(
          user TEXT PRIMARY KEY,
          role TEXT NOT NULL,               -- admin | compliance_manager | risk_officer | auditor
          branch TEXT NOT NULL DEFAULT '',  -- '' = head office (everything), else a branch or sub-branch
          disabled INTEGER NOT NULL DEFAULT 0,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        INSERT INTO users(user, role, branch, created_by, created_at) VALUES ('admin', 'admin', '', 'system', strftime('%s','now') * 1000);
        CREATE TABLE audit_log(
          seq INTEGER PRIMARY KEY,          -- 1, 2, 3 … with no gaps
          at INTEGER NOT NULL,
          user TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          details TEXT NOT NULL,            -- JSON
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL                -- sha256(prev_hash + the entry), chained
        );
        CREATE TABLE hit_reviews(
          id INTEGER PRIMARY KEY,
          hit_id INTEGER NOT NULL REFERENCES hits(id),
          status TEXT NOT NULL,
          reason TEXT NOT NULL DEFAULT '',
          note TEXT NOT NULL DEFAULT '',
          user TEXT NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX hit_reviews_hit ON hit_reviews(hit_id);
        CREATE TABLE cases(
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'open', -- open | investigating | closed
          conclusion TEXT NOT NULL DEFAULT '', -- violation_confirmed | not_confirmed (when closed)
          assignee TEXT NOT NULL DEFAULT '',
          due_at INTEGER,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          closed_at INTEGER
        );
        CREATE TABLE case_hits(case_id INTEGER NOT NULL REFERENCES cases(id), hit_id INTEGER NOT NULL REFERENCES hits(id), PRIMARY KEY(case_id, hit_id));
        CREATE TABLE case_events(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          at INTEGER NOT NULL,
          user TEXT NOT NULL,
          kind TEXT NOT NULL,               -- created | note | status | assign | hits | due
          text TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE exclusion_proposals(
          id INTEGER PRIMARY KEY,
          rule TEXT NOT NULL,
          phrase TEXT NOT NULL,
          dismissals INTEGER NOT NULL,
          status TEXT NOT NULL DEFAULT 'open', -- open | accepted | rejected
          created_at INTEGER NOT NULL,
          UNIQUE(rule, phrase)
        );
      `),
  },
  {
    version: 8,
    name: 'schedules and their run history',
    up: (db) =>
      db.exec(`
        CREATE TABLE schedules(
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          kind TEXT NOT NULL,               -- import | scan | report
          cron TEXT NOT NULL,               -- node-cron expression, Beijing time
          params TEXT NOT NULL,             -- JSON
          enabled INTEGER NOT NULL DEFAULT 1,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE schedule_runs(
          id INTEGER PRIMARY KEY,
          schedule_id INTEGER NOT NULL REFERENCES schedules(id),
          started_at INTEGER NOT NULL,
          finished_at INTEGER,
          ok INTEGER,
          summary TEXT NOT NULL DEFAULT '',
          error TEXT NOT NULL DEFAULT ''
        );
      `),
  },
  {
    version: 9,
    name: 'schedules run as their creator: the creator role and branch; who ran each run, and as whom',
    up: (db) =>
      db.exec(`
        ALTER TABLE schedules ADD COLUMN created_role TEXT NOT NULL DEFAULT '';
        ALTER TABLE schedules ADD COLUMN created_branch TEXT NOT NULL DEFAULT '';
        -- schedules made before: the creator's role and branch as they are now (users are never deleted)
        UPDATE schedules SET
          created_role = coalesce((SELECT u.role FROM users u WHERE u.user = schedules.created_by), ''),
          created_branch = coalesce((SELECT u.branch FROM users u WHERE u.user = schedules.created_by), '');
        ALTER TABLE schedule_runs ADD COLUMN how TEXT NOT NULL DEFAULT '';        -- manual | cron
        ALTER TABLE schedule_runs ADD COLUMN run_by TEXT NOT NULL DEFAULT '';     -- the acting user
        ALTER TABLE schedule_runs ADD COLUMN as_user TEXT NOT NULL DEFAULT '';    -- the creator whose rights it ran with
        ALTER TABLE schedule_runs ADD COLUMN as_role TEXT NOT NULL DEFAULT '';
        ALTER TABLE schedule_runs ADD COLUMN as_branch TEXT NOT NULL DEFAULT '';
      `),
  },
  {
    version: 10,
    name: 'exclusion proposals: who decided, when, and the dictionary version an acceptance produced',
    up: (db) =>
      db.exec(`
        ALTER TABLE exclusion_proposals ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE exclusion_proposals ADD COLUMN decided_at INTEGER;
        ALTER TABLE exclusion_proposals ADD COLUMN dictionary TEXT NOT NULL DEFAULT '';  -- the dictionary that took the exclusion
        ALTER TABLE exclusion_proposals ADD COLUMN dictionary_version INTEGER;          -- its version holding it
      `),
  },
  {
    version: 11,
    // every query by message reads active hits (retired_scan_id IS NULL), which hits_active's
    // prefix serves; the extra index cost a sixth of every hit insert (measured on a 1M full scan)
    name: 'drop hits_message: the partial index hits_active already leads with message_id',
    up: (db) => db.exec('DROP INDEX IF EXISTS hits_message;'),
  },
  {
    version: 12,
    // a deleted schedule stays as a row: its runs refer to it and the audit trail names it
    name: 'schedules are deleted softly: when and by whom; hidden and never fired, their runs kept',
    up: (db) =>
      db.exec(`
        ALTER TABLE schedules ADD COLUMN deleted_at INTEGER;                      -- NULL while it exists
        ALTER TABLE schedules ADD COLUMN deleted_by TEXT NOT NULL DEFAULT '';
      `),
  },
  {
    version: 13,
    // the old key (msgtime · 2^20 + id mod 2^20, computed as a double) was rounded for every real
    // time, and its tie loop could spin; the new keys are exact 64-bit integers
    // (search/indexer.ts). The index is rebuilt from the messages: search stays exact meanwhile
    // (unindexed messages are scanned), only slower until the next indexing run.
    name: 'search index rebuilt with exact time keys; media too large or unreadable keeps its reason',
    up: (db) =>
      db.exec(`
        INSERT INTO search_index(search_index) VALUES ('delete-all');
        DELETE FROM search_docs;
        -- messages the index holds no key for (a millisecond with 2^20 of them, a time stored before
        -- times were checked on import): search scans them
        CREATE TABLE search_unkeyed(message_id INTEGER PRIMARY KEY);
        UPDATE meta SET value = '0' WHERE key = 'search_indexed_upto';
        ALTER TABLE message_media ADD COLUMN reason TEXT;  -- why a found file was not stored (too_large | unreadable)
      `),
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;

function backfillV2(db: Database): void {
  const rows = db
    .prepare(`SELECT id, msgtype, raw FROM messages WHERE msgtype IN ('revoke','agree','disagree')`)
    .all() as { id: number; msgtype: string; raw: string }[];
  const insRecall = db.prepare('INSERT OR IGNORE INTO recalls(message_id, pre_msgid) VALUES (?, ?)');
  const insConsent = db.prepare('INSERT OR IGNORE INTO consents(message_id, contact, status, at) VALUES (?, ?, ?, ?)');
  for (const row of rows) {
    const rec = JSON.parse(row.raw) as Record<string, any>;
    if (row.msgtype === 'revoke') {
      const pre = rec.revoke?.pre_msgid;
      if (typeof pre === 'string' && pre) insRecall.run(row.id, pre);
    } else {
      const body = rec[row.msgtype] ?? {};
      const contact = typeof body.userid === 'string' && body.userid ? body.userid : String(rec.from ?? '');
      const at = Number(body.agree_time ?? body.disagree_time ?? rec.msgtime) || null;
      insConsent.run(row.id, contact, row.msgtype, at);
    }
  }
}

export function migrate(db: Database, targetVersion = LATEST_VERSION): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_VERSION) {
    throw new Error(`store schema ${from} is newer than this app (${LATEST_VERSION})`);
  }
  for (const m of migrations) {
    if (m.version <= from || m.version > targetVersion) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: db.pragma('user_version', { simple: true }) as number };
}
