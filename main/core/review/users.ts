/**
 * Users: each with their own password wrapping the store's data key (no shared password), a
 * role, and an optional branch scope. Disabling a user removes their wrapped key, so their
 * password no longer opens the store at all.
 */
import { CoreError } from '../api/errors.js';
import { DEFAULT_KDF, openStore, readKeyring, wrapKey, writeKeyring, type Store } from '../store/index.js';
import { newRecoveryKey, unwrapRecovery, wrapRecovery } from '../store/keyring.js';
import { appendAudit } from './audit.js';

export const ROLES = ['admin', 'compliance_manager', 'risk_officer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type UserRow = { user: string; role: Role; branch: string; disabled: boolean; createdBy: string; createdAt: number };

const NAME = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$/;
export const MIN_PASSWORD = 8;

export function getUser(store: Store, user: string): UserRow | null {
  const r = store.db.prepare('SELECT user, role, branch, disabled, created_by, created_at FROM users WHERE user = ?').get(user) as Record<string, any> | undefined;
  return r ? { user: r.user, role: r.role, branch: r.branch, disabled: !!r.disabled, createdBy: r.created_by, createdAt: r.created_at } : null;
}

export function listUsers(store: Store): UserRow[] {
  return (store.db.prepare('SELECT user FROM users ORDER BY created_at, user').pluck().all() as string[]).map((u) => getUser(store, u)!);
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new CoreError('usage', `密码至少 ${MIN_PASSWORD} 个字符`, `The password needs at least ${MIN_PASSWORD} characters`);
}

export function addUser(store: Store, user: string, role: Role, branch: string, password: string, actor: string, kdf = DEFAULT_KDF): UserRow {
  if (!NAME.test(user)) throw new CoreError('usage', `用户名只能含字母、数字、汉字和 _.-，最长 64：${user}`, `A user name has letters, digits, Chinese characters and _.- only, up to 64: ${user}`);
  if (!(ROLES as readonly string[]).includes(role)) throw new CoreError('usage', `角色无效：${role}`, `Unknown role: ${role}`);
  checkPassword(password);
  if (getUser(store, user)) throw new CoreError('exists', `用户已存在：${user}`, `User exists: ${user}`);
  const keyring = readKeyring(store.dbPath);
  keyring.users = keyring.users.filter((u) => u.user !== user);
  keyring.users.push(wrapKey(store.dataKey, keyring.storeId, user, password, kdf));
  store.db.prepare('INSERT INTO users(user, role, branch, disabled, created_by, created_at) VALUES (?, ?, ?, 0, ?, ?)').run(user, role, branch, actor, Date.now());
  writeKeyring(store.dbPath, keyring);
  return getUser(store, user)!;
}

export function changePassword(store: Store, user: string, password: string, kdf = DEFAULT_KDF): void {
  checkPassword(password);
  const row = getUser(store, user);
  if (!row || row.disabled) throw new CoreError('not_found', `没有这个可用的用户：${user}`, `No such active user: ${user}`);
  const keyring = readKeyring(store.dbPath);
  keyring.users = keyring.users.filter((u) => u.user !== user);
  keyring.users.push(wrapKey(store.dataKey, keyring.storeId, user, password, kdf));
  writeKeyring(store.dbPath, keyring);
}

export function setDisabled(store: Store, user: string, disabled: boolean, password?: string): UserRow {
  const row = getUser(store, user);
  if (!row) throw new CoreError('not_found', `没有这个用户：${user}`, `No such user: ${user}`);
  if (disabled && row.role === 'admin' && listUsers(store).filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
    throw new CoreError('forbidden', '不能停用最后一个管理员', 'The last admin cannot be disabled');
  }
  const keyring = readKeyring(store.dbPath);
  keyring.users = keyring.users.filter((u) => u.user !== user);
  if (!disabled) {
    if (!password) throw new CoreError('usage', '重新启用需要设置新密码', 'Re-enabling a user needs a new password');
    checkPassword(password);
    keyring.users.push(wrapKey(store.dataKey, keyring.storeId, user, password));
  }
  store.db.prepare('UPDATE users SET disabled = ? WHERE user = ?').run(disabled ? 1 : 0, user);
  writeKeyring(store.dbPath, keyring);
  return getUser(store, user)!;
}

/**
 * An admin sets another user's password (issue 15 will add more): the same re-wrap as
 * changePassword, and the user's lockout is lifted, since the new password is what they will type.
 */
export function resetPassword(store: Store, user: string, password: string, kdf = DEFAULT_KDF): void {
  changePassword(store, user, password, kdf);
  const keyring = readKeyring(store.dbPath);
  if (keyring.failures?.[user]) {
    delete keyring.failures[user];
    writeKeyring(store.dbPath, keyring);
  }
}

/**
 * Every password lost: the recovery key opens the data key, which is wrapped again for an admin
 * with a new password (their lockout lifted). A typo or a wrong key throws before anything is
 * written. The store is then opened with the new password, which proves the key on the database
 * itself; if that fails, or the user is not an active admin, the keyring is put back as it was.
 * The act is written to the audit log as `users.recover`. Returns the open store (the caller closes it).
 */
export function recoverWithKey(dbPath: string, recoveryKey: string, user: string, password: string, kdf = DEFAULT_KDF): Store {
  checkPassword(password);
  const keyring = readKeyring(dbPath);
  const before = structuredClone(keyring);
  const dataKey = unwrapRecovery(keyring, recoveryKey);
  keyring.users = keyring.users.filter((u) => u.user !== user);
  keyring.users.push(wrapKey(dataKey, keyring.storeId, user, password, kdf));
  dataKey.fill(0);
  if (keyring.failures?.[user]) delete keyring.failures[user];
  writeKeyring(dbPath, keyring);
  let store: Store | undefined;
  try {
    store = openStore(dbPath, password, user);
    const row = getUser(store, user);
    if (!row || row.disabled || row.role !== 'admin') {
      throw new CoreError('forbidden', `恢复密钥只能重置在用的管理员：${user} 不是`, `The recovery key resets an active admin only: ${user} is not one`);
    }
    appendAudit(store.db, dbPath, user, 'users.recover', `user=${user}`, { via: 'recovery key', lockoutCleared: !!before.failures?.[user] });
    return store;
  } catch (e) {
    store?.close();
    writeKeyring(dbPath, before);
    throw e;
  }
}

/** A new recovery key for the open store (stores made before recovery keys have none); replaces an older one. */
export function createRecoveryKey(store: Store, kdf = DEFAULT_KDF): { recoveryKey: string; replaced: boolean } {
  const keyring = readKeyring(store.dbPath);
  const replaced = !!keyring.recovery;
  const recoveryKey = newRecoveryKey();
  keyring.recovery = wrapRecovery(store.dataKey, keyring.storeId, recoveryKey, kdf);
  writeKeyring(store.dbPath, keyring);
  return { recoveryKey, replaced };
}

/** Whether the store has a recovery key, and since when (never the key itself). */
export function recoveryStatus(store: Store): { recovery: boolean; recoveryCreatedAt: number | null } {
  const r = readKeyring(store.dbPath).recovery;
  return { recovery: !!r, recoveryCreatedAt: r?.createdAt ?? null };
}
