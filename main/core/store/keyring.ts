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
