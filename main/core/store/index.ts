/**
 * The encrypted store. The only module that opens better-sqlite3-multiple-ciphers.
 *
 * Cipher: SQLCipher-compatible AES-256-CBC with a per-page HMAC (SQLite3 Multiple Ciphers'
 * `sqlcipher` scheme, SQLCipher 3 parameters, 16 KiB pages) keyed with a random raw 256-bit
 * data key. Chosen over ChaCha20-Poly1305 because stores then open in standard SQLCipher tools
 * (Debian's `sqlcipher`, DB Browser for SQLite) given the key, which the tests check; the page
 * HMAC makes an edited file fail to open instead of yielding altered rows. 16 KiB pages cut
 * the per-page crypto cost (measured: about a third faster imports than 4 KiB).
 * Temp storage is in memory, so no plain temp files are written; the rollback journal holds
 * encrypted pages only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { CoreError } from '../api/errors.js';
import { DEFAULT_KDF, newRecoveryKey, readKeyring, unwrapKey, wrapKey, wrapRecovery, writeKeyring, keyringPath, type Keyring } from './keyring.js';
export { readKeyring, writeKeyring, wrapKey, DEFAULT_KDF } from './keyring.js';
import { LATEST_VERSION, migrate } from './migrations.js';
import { cleanStaleTempFiles } from '../tempFiles.js';
import { checkFile, damagedStoreError, sizeMatches, unreadableStoreError } from './check.js';
import { releaseMarker, removeStale, staleMarkers, writeMarker } from './openMarker.js';
import { EMPTY_FILE } from './pages.js';

export type Db = Database.Database;
export { LATEST_VERSION } from './migrations.js';
export { keyringPath } from './keyring.js';

/** PRAGMA application_id: 'WCAU'. Tells our stores from other SQLite files once decrypted. */
export const APPLICATION_ID = 0x57434155;
export const CIPHER_DESCRIPTION = 'sqlcipher (AES-256-CBC, HMAC-SHA1 per page, SQLCipher 3 compatible), 16 KiB pages';

export type Store = {
  db: Db;
  dbPath: string;
  user: string;
  storeId: string;
  schemaVersion: number;
  migratedFrom: number;
  /** held while the store is open, to wrap it for a new user or a changed password */
  dataKey: Buffer;
  /** wrong passwords for this user since their last good one (for the audit log) */
  failedBefore: number;
  /** only on a store just made by createStore: the recovery key, to be shown once and never kept */
  recoveryKey?: string;
  /** set when the last session ended uncleanly and the check at this open passed (for the audit log) */
  uncleanShutdown?: { pids: number[]; pages: number; checked: string[]; tookMs: number };
  close(): void;
};

export const LOCKOUT_AFTER = 5;
export const LOCKOUT_MS = 15 * 60_000;

export type OpenOptions = {
  /** only for tests that need an older schema */
  targetVersion?: number;
  kdf?: { N: number; r: number; p: number };
  /** test hook: SQLite max_page_count, to provoke a full disk */
  maxPageCount?: number;
};

function applyKey(db: Db, dataKey: Buffer): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=3');
  db.pragma('legacy_page_size=16384');
  db.pragma(`key="x'${dataKey.toString('hex')}'"`);
}

function tune(db: Db, opts: OpenOptions): void {
  // Rollback journal, not WAL: one process, one connection, so WAL's concurrent readers buy
  // nothing, while WAL writes every page twice (log, then checkpoint). Measured on the import
  // bench: TRUNCATE writes the store once and imports about 30% faster. FULL syncs at every
  // commit (a batch of thousands of messages), so a power cut cannot corrupt the store.
  db.pragma('journal_mode = TRUNCATE');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536'); // 64 MiB of decrypted pages
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000'); // a short write waits out one batch of a long one
  if (opts.maxPageCount) db.pragma(`max_page_count = ${opts.maxPageCount}`);
  immediateTransactions(db);
}

/**
 * Every transaction of the app begins IMMEDIATE (takes the write lock first, waiting up to the
 * busy timeout). A deferred one that reads and then writes — most of ours: the audit log reads
 * its last entry, an import batch looks up msgids — cannot wait for another process's write
 * lock: SQLite answers SQLITE_BUSY at once ("database is locked") to avoid a deadlock. Made
 * here, once, for every caller of db.transaction.
 */
function immediateTransactions(db: Db): void {
  const plain = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = plain(fn);
    const immediate = (...args: unknown[]) => tx.immediate(...args);
    return Object.assign(immediate, { default: tx.default, deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive });
  }) as Db['transaction'];
}

function finish(db: Db, dbPath: string, user: string, storeId: string, from: number, to: number, dataKey: Buffer, marker: string | null): Store {
  return {
    db,
    dataKey,
    failedBefore: 0,
    dbPath,
    user,
    storeId,
    schemaVersion: to,
    migratedFrom: from,
    close: () => {
      dataKey.fill(0);
      if (db.open) {
        db.close();
        releaseMarker(marker);
      }
    },
  };
}

export function createStore(dbPath: string, passphrase: string, opts: OpenOptions = {}): Store {
  cleanStaleTempFiles({ dbPath });
  if (fs.existsSync(dbPath) || fs.existsSync(keyringPath(dbPath))) {
    throw new CoreError('exists', `文件已存在，拒绝覆盖：${dbPath}`, `File exists, refusing to overwrite: ${dbPath}`);
  }
  const dataKey = crypto.randomBytes(32);
  const storeId = crypto.randomUUID();
  const recoveryKey = newRecoveryKey();
  const keyring: Keyring = {
    format: 'wecom-audit-keyring',
    version: 1,
    storeId,
    cipher: 'sqlcipher-v3-16k',
    users: [wrapKey(dataKey, storeId, 'admin', passphrase, opts.kdf ?? DEFAULT_KDF)],
    recovery: wrapRecovery(dataKey, storeId, recoveryKey, opts.kdf ?? DEFAULT_KDF),
  };
  writeKeyring(dbPath, keyring, true);
  let db: Db | undefined;
  try {
    db = new Database(dbPath);
    applyKey(db, dataKey);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    tune(db, opts);
    const { from, to } = migrate(db, opts.targetVersion ?? LATEST_VERSION);
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('store_id', storeId);
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('created_at', String(Date.now()));
    return { ...finish(db, dbPath, 'admin', storeId, from, to, dataKey, writeMarker(dbPath)), recoveryKey };
  } catch (e) {
    db?.close();
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, keyringPath(dbPath)]) fs.rmSync(f, { force: true });
    throw e;
  }
}

export function openStore(dbPath: string, passphrase: string, user = 'admin', opts: OpenOptions = {}): Store {
  if (!fs.existsSync(dbPath)) {
    throw new CoreError('not_found', `存储库不存在：${dbPath}`, `No store at ${dbPath}`);
  }
  // what a killed process of ours left (temp files of packs, workbooks, the keyring; Chromium profiles)
  cleanStaleTempFiles({ dbPath });
  const keyring = readKeyring(dbPath);
  const entry = keyring.users.find((u) => u.user === user);
  const failure = keyring.failures?.[user];
  if (entry && failure && failure.lockedUntil > Date.now()) {
    const until = new Date(failure.lockedUntil + 8 * 3600_000).toISOString().slice(11, 16);
    throw new CoreError('forbidden', `密码错误次数过多，账户已锁定至 ${until}（北京时间）`, `Too many wrong passwords: the account is locked until ${until} (Beijing time)`);
  }
  const dataKey = entry ? unwrapKey(entry, keyring.storeId, passphrase) : null;
  if (!dataKey) {
    if (entry) {
      // counted in the keyring: a wrong password cannot open the store to record it there
      const count = (failure?.count ?? 0) + 1;
      keyring.failures = { ...keyring.failures, [user]: count >= LOCKOUT_AFTER ? { count: 0, lockedUntil: Date.now() + LOCKOUT_MS } : { count, lockedUntil: 0 } };
      writeKeyring(dbPath, keyring);
    }
    // Same answer for an unknown user and a wrong password: do not reveal which users exist.
    throw new CoreError('passphrase', '用户名或密码错误，存储库未被改动', 'Wrong user or passphrase; the store was not touched');
  }
  const failedBefore = failure?.count ?? 0;
  if (failure) {
    delete keyring.failures![user];
    writeKeyring(dbPath, keyring);
  }
  // before this process's own marker exists: markers of sessions that did not close
  const stale = staleMarkers(dbPath);
  // fileMustExist, and nothing is written until the key has been proved on a read.
  const db = new Database(dbPath, { fileMustExist: true });
  let marker: string | null = null;
  try {
    applyKey(db, dataKey);
    let appId: number;
    let storedId: string | undefined;
    try {
      // the first read also rolls back a journal left by a session that died mid-write
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      appId = db.pragma('application_id', { simple: true }) as number;
      storedId = appId === APPLICATION_ID ? (db.prepare(`SELECT value FROM meta WHERE key = 'store_id'`).get() as { value: string } | undefined)?.value : undefined;
    } catch (e) {
      // the key is right for this keyring: pages that authenticate with it make this a damaged store, not a foreign file
      throw unreadableStoreError(dbPath, dataKey, e);
    }
    if (appId !== APPLICATION_ID) {
      // SQLite reads an empty file as an empty database; beside this store's keyring it is this store, cut to nothing
      if (fs.statSync(dbPath).size === 0) throw damagedStoreError({ ok: false, pages: 0, problems: [EMPTY_FILE], checked: ['pages'], tookMs: 0 }, dbPath);
      throw new CoreError('passphrase', `不是本应用的存储库：${dbPath}`, `Not a store of this app: ${dbPath}`);
    }
    if (storedId !== keyring.storeId) {
      throw new CoreError('passphrase', `密钥环与存储库不匹配：${dbPath}`, `The keyring does not belong to this store: ${dbPath}`);
    }
    tune(db, opts);
    // nothing may write to a store that is damaged or was left mid-session until it has been checked
    let unclean: Store['uncleanShutdown'];
    if (stale.length || !sizeMatches(db, () => fs.statSync(dbPath).size)) {
      const check = checkFile(db, dbPath, dataKey, 'open');
      if (!check.ok) {
        throw damagedStoreError(check, dbPath, stale.length ? { zh: `上次会话未正常关闭（进程 ${stale.map((m) => m.pid).join('、')}）`, en: `The last session did not close cleanly (process ${stale.map((m) => m.pid).join(', ')})` } : undefined);
      }
      if (stale.length) unclean = { pids: stale.map((m) => m.pid), pages: check.pages, checked: check.checked, tookMs: check.tookMs };
      for (const m of stale) removeStale(m);
    }
    marker = writeMarker(dbPath);
    const { from, to } = migrate(db, opts.targetVersion ?? LATEST_VERSION);
    return { ...finish(db, dbPath, user, keyring.storeId, from, to, dataKey, marker), failedBefore, ...(unclean && { uncleanShutdown: unclean }) };
  } catch (e) {
    db.close();
    releaseMarker(marker);
    throw e;
  }
}

/** For tests and the independent-reader check: the raw data key, given a valid password. */
export function revealDataKey(dbPath: string, passphrase: string, user = 'admin'): Buffer {
  const keyring = readKeyring(dbPath);
  const entry = keyring.users.find((u) => u.user === user);
  const key = entry ? unwrapKey(entry, keyring.storeId, passphrase) : null;
  if (!key) throw new CoreError('passphrase', '用户名或密码错误', 'Wrong user or passphrase');
  return key;
}
