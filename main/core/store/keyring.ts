/**
 * The keyring: the store's random 256-bit data key, wrapped once per user with a key derived
 * from that user's password by scrypt (slow, memory-hard, built into Node: no dependency).
 * It lives beside the store as `<db>.keyring` because it must be readable before the store is
 * decrypted; it holds no message data, and without a password it yields nothing.
 * Wrapping is AES-256-GCM, so a wrong password is detected by the tag (never by trying the
 * database), and the store id and user name are bound in as associated data so entries cannot
 * be swapped between stores or users.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { CoreError } from '../api/errors.js';
import { writeFileAtomic } from '../tempFiles.js';

export const KEYRING_FORMAT = 'wecom-audit-keyring';
export type KdfParams = { name: 'scrypt'; N: number; r: number; p: number; salt: string };
export type WrappedKey = { user: string; kdf: KdfParams; iv: string; tag: string; ct: string; createdAt: number };
export type Keyring = {
  format: typeof KEYRING_FORMAT;
  version: 1;
  storeId: string;
  cipher: string;
  users: WrappedKey[];
  /** the data key wrapped by the recovery key (entry name RECOVERY_ENTRY); absent in stores made before it existed */
  recovery?: WrappedKey;
  /** the audit log's last entry, kept outside the database so truncation is detectable */
  auditAnchor?: { seq: number; hash: string };
  /** times the log was found not ending at its anchor when an entry was added: kept for good */
  auditBreaks?: { anchorSeq: number; foundSeq: number; at: number; anchorMissing?: boolean }[];
  /** wrong passwords since the last good one, and the lockout, per user (read before the store opens) */
  failures?: Record<string, { count: number; lockedUntil: number }>;
};

/** 2^16 x 8 x 128 bytes = 64 MiB and roughly 0.2 s per unlock on a branch PC: slow for guessing, quick for a person. */
export const DEFAULT_KDF: { N: number; r: number; p: number } = { N: 1 << 16, r: 8, p: 1 };

export function keyringPath(dbPath: string): string {
  return `${dbPath}.keyring`;
}

function deriveKek(password: string, kdf: KdfParams): Buffer {
  return crypto.scryptSync(password.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * 1024 * 1024,
  });
}

function aad(storeId: string, user: string): Buffer {
  return Buffer.from(`${KEYRING_FORMAT}\u0000${storeId}\u0000${user}`, 'utf8');
}

export function wrapKey(dataKey: Buffer, storeId: string, user: string, password: string, params = DEFAULT_KDF): WrappedKey {
  const kdf: KdfParams = { name: 'scrypt', ...params, salt: crypto.randomBytes(16).toString('base64') };
  const kek = deriveKek(password, kdf);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(storeId, user));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { user, kdf, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64'), createdAt: Date.now() };
}

/** Returns the data key, or null when the password is wrong. */
export function unwrapKey(entry: WrappedKey, storeId: string, password: string): Buffer | null {
  const kek = deriveKek(password, entry.kdf);
  const decipher = crypto.createDecipheriv('aes-256-gcm', kek, Buffer.from(entry.iv, 'base64'));
  decipher.setAAD(aad(storeId, entry.user));
  decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(entry.ct, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export function readKeyring(dbPath: string): Keyring {
  const file = keyringPath(dbPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CoreError(
      'passphrase',
      `不是本应用的存储库：缺少密钥环文件 ${file}`,
      `Not a store of this app: the keyring ${file} is missing`,
    );
  }
  let parsed: Keyring;
  try {
    parsed = JSON.parse(text) as Keyring;
  } catch {
    throw new CoreError('passphrase', `密钥环文件已损坏：${file}`, `The keyring file is damaged: ${file}`);
  }
  if (parsed?.format !== KEYRING_FORMAT || parsed.version !== 1 || !Array.isArray(parsed.users)) {
    throw new CoreError('passphrase', `不是本应用的密钥环：${file}`, `Not a keyring of this app: ${file}`);
  }
  return parsed;
}

/**
 * Atomic replace: a crash leaves the old or the new keyring, never half of one, and a failed write
 * (a full disk) leaves no temp file beside it (main/core/tempFiles.ts).
 */
export function writeKeyring(dbPath: string, keyring: Keyring, exclusive = false): void {
  const file = keyringPath(dbPath);
  if (exclusive && fs.existsSync(file)) {
    throw new CoreError('exists', `密钥环已存在，拒绝覆盖：${file}`, `Keyring exists, refusing to overwrite: ${file}`);
  }
  writeFileAtomic(file, JSON.stringify(keyring, null, 2), { mode: 0o600 });
}

/**
 * The recovery key: a second way to the data key that does not depend on any person's password,
 * made at init, shown once, printed and kept in the safe. Ten groups of six digits (digits only:
 * typed back on any keyboard or IME; full-width digits are accepted). Each group is five random
 * digits and a Damm check digit over the group's position and those five, so a mistyped digit,
 * two swapped neighbours or two swapped groups are caught, and named, before scrypt runs.
 * 10 x log2(10^5) = 166 bits of randomness.
 */
export const RECOVERY_ENTRY = '#recovery'; // '#' is not allowed in a user name (review/users.ts), so no user can take it
export const RECOVERY_GROUPS = 10;

const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

function damm(digits: string): number {
  let interim = 0;
  for (const d of digits) interim = DAMM[interim]![Number(d)]!;
  return interim;
}

export function newRecoveryKey(): string {
  const groups: string[] = [];
  for (let g = 0; g < RECOVERY_GROUPS; g++) {
    const data = String(crypto.randomInt(0, 100_000)).padStart(5, '0');
    groups.push(`${data}${damm(`${g}${data}`)}`);
  }
  return groups.join('-');
}

/**
 * The canonical form of a typed recovery key (groups joined by '-'), or a 'passphrase' error that
 * names the group with a typo. Spaces, hyphens and full-width characters are forgiven.
 */
export function parseRecoveryKey(typed: string): string {
  const digits = typed.normalize('NFKC').replace(/[\s\-_.]/g, '');
  if (!/^\d+$/.test(digits) || digits.length !== RECOVERY_GROUPS * 6) {
    throw new CoreError(
      'passphrase',
      `恢复密钥格式不对：应为 ${RECOVERY_GROUPS} 组、每组 6 位数字（共 ${RECOVERY_GROUPS * 6} 位），输入了 ${digits.replace(/\D/g, '').length} 位数字${/^\d*$/.test(digits) ? '' : '及其他字符'}`,
      `Not a recovery key: it has ${RECOVERY_GROUPS} groups of 6 digits (${RECOVERY_GROUPS * 6} in all); this has ${digits.replace(/\D/g, '').length} digits${/^\d*$/.test(digits) ? '' : ' and other characters'}`,
    );
  }
  const groups = digits.match(/\d{6}/g)!;
  const bad = groups.map((grp, g) => (damm(`${g}${grp.slice(0, 5)}`) === Number(grp[5]) ? 0 : g + 1)).filter(Boolean);
  if (bad.length) {
    throw new CoreError(
      'passphrase',
      `恢复密钥输入有误：第 ${bad.join('、')} 组校验不符，请对照打印件重新输入；密钥环未被改动`,
      `The recovery key has a typo: group ${bad.join(', ')} does not match its check digit; type it again from the printout. The keyring was not touched`,
    );
  }
  return groups.join('-');
}

export function wrapRecovery(dataKey: Buffer, storeId: string, recoveryKey: string, params = DEFAULT_KDF): WrappedKey {
  return wrapKey(dataKey, storeId, RECOVERY_ENTRY, parseRecoveryKey(recoveryKey), params);
}

/** The data key from a typed recovery key; a typo or a wrong key is a 'passphrase' error, nothing written. */
export function unwrapRecovery(keyring: Keyring, typed: string): Buffer {
  const canonical = parseRecoveryKey(typed);
  if (!keyring.recovery) {
    throw new CoreError(
      'passphrase',
      '此存储库没有恢复密钥（在恢复密钥功能之前创建）；管理员可用 key recovery-create 生成一个',
      'This store has no recovery key (it was made before recovery keys existed); an admin can make one with key recovery-create',
    );
  }
  // the entry name is fixed here, not read from the entry: a user's entry copied into this slot does not pass
  const key = unwrapKey({ ...keyring.recovery, user: RECOVERY_ENTRY }, keyring.storeId, canonical);
  if (!key) throw new CoreError('passphrase', '恢复密钥不正确（不是这个存储库的恢复密钥），密钥环未被改动', 'Wrong recovery key (not the one of this store); the keyring was not touched');
  return key;
}
