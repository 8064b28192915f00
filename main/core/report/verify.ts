/**
 * Checks an evidence pack: first the zip's structure (zipNames.ts: no duplicate, case-twin or
 * escaping names), then the manifest's Ed25519 signature against the public key inside, and every
 * file's SHA-256 against the manifest. Any changed, added or removed file, or a bad signature, is
 * a problem that names the file.
 *
 * The key inside only proves the pack is unchanged since *someone* signed it. Who signed it is
 * settled by a pin (trust.ts): with one, a pack signed by any other key is invalid whatever its
 * own signature says; without one the result says `pinned: false, trusted: false` and gives the
 * fingerprint and the OpenSSL command to compare it by hand.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { fingerprintOf } from './signing.js';
import { FINGERPRINT_COMMAND, normalizeFingerprint, type TrustedSigner } from './trust.js';
import { zipNameProblems } from './zipNames.js';

export type PackManifest = { format: 'wecom-audit-evidence'; version: 1; createdAt: string; createdBy: string; storeId: string; publicKeyFingerprint: string; files: { path: string; sha256: string; size: number }[]; [k: string]: unknown };
export type VerifyResult = {
  valid: boolean;
  problems: string[];
  fingerprint: string | null;
  files: number;
  /** a pin was given (--expect-fingerprint or --trusted-signers) */
  pinned: boolean;
  /** the pack is intact and its signer matches a pin */
  trusted: boolean;
  /** the pin that matched */
  signer: { label: string; source: string } | null;
  /** how to compute the fingerprint from public-key.pem with OpenSSL alone */
  fingerprintCommand: string;
};

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';
const UNSIGNED = new Set([MANIFEST, SIGNATURE, PUBLIC_KEY]);

/** pins: the signers to accept; empty: integrity only, and the result says the signer is not pinned */
export function verifyPack(file: string, pins: TrustedSigner[] = []): VerifyResult {
  const integrity = checkIntegrity(file);
  const pinned = pins.length > 0;
  const base = { ...integrity, pinned, trusted: false, signer: null, fingerprintCommand: FINGERPRINT_COMMAND };
  if (!pinned) return base;
  const actual = integrity.fingerprint ? normalizeFingerprint(integrity.fingerprint) : null;
  const match = actual ? pins.find((p) => p.fingerprint === actual) : undefined;
  if (!match) {
    const expected = pins.map((p) => (p.label && p.label !== p.source ? `${groups(p.fingerprint)} (${p.label})` : groups(p.fingerprint))).join(', ');
    const got = integrity.fingerprint ?? '无法读取 unknown';
    return {
      ...base,
      valid: false,
      problems: [...integrity.problems, `签名者不受信任：本包由指纹 ${got} 的密钥签名，预期 ${expected} / signer not trusted: signed by key ${got}, expected ${expected}`],
    };
  }
  return { ...base, trusted: integrity.valid, signer: { label: match.label, source: match.source } };
}

const groups = (hex: string) => hex.match(/.{4}/g)!.join(':');

function checkIntegrity(file: string): { valid: boolean; problems: string[]; fingerprint: string | null; files: number } {
  const problems: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    const bytes = new Uint8Array(fs.readFileSync(file));
    // the structure before any entry is read: fflate keeps one entry per name, others may show another
    const names = zipNameProblems(bytes);
    if (typeof names === 'string') return { valid: false, problems: [names], fingerprint: null, files: 0 };
    entries = unzipSync(bytes);
  } catch (e) {
    return { valid: false, problems: [`无法读取压缩包 / cannot read the zip: ${(e as Error).message}`], fingerprint: null, files: 0 };
  }
  const entry = (name: string): Uint8Array | undefined => (Object.hasOwn(entries, name) ? entries[name] : undefined);
  const text = (name: string) => (entry(name) ? Buffer.from(entry(name)!).toString('utf8') : null);
  const manifestText = text(MANIFEST);
  const sig = text(SIGNATURE);
  const pem = text(PUBLIC_KEY);
  if (!manifestText || !sig || !pem) {
    for (const n of [MANIFEST, SIGNATURE, PUBLIC_KEY]) if (!entry(n)) problems.push(`缺少 / missing: ${n}`);
    return { valid: false, problems, fingerprint: null, files: 0 };
  }
  let fingerprint: string | null = null;
  try {
    fingerprint = fingerprintOf(pem);
    const ok = crypto.verify(null, Buffer.from(entries[MANIFEST]!), crypto.createPublicKey(pem), Buffer.from(sig.trim(), 'base64'));
    if (!ok) problems.push(`签名无效 / bad signature: ${MANIFEST}`);
  } catch (e) {
    problems.push(`签名无法验证 / signature cannot be checked: ${(e as Error).message}`);
  }
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(manifestText) as PackManifest;
  } catch {
    return { valid: false, problems: [...problems, `清单损坏 / manifest unreadable: ${MANIFEST}`], fingerprint, files: 0 };
  }
  if (fingerprint && manifest.publicKeyFingerprint !== fingerprint) problems.push(`公钥与清单中的指纹不符 / the public key does not match the manifest's fingerprint: ${PUBLIC_KEY}`);
  const listed = new Set<string>();
  for (const f of manifest.files ?? []) {
    if (listed.has(f.path)) problems.push(`清单重复列出 / listed twice in the manifest: ${f.path}`);
    listed.add(f.path);
    const bytes = typeof f.path === 'string' ? entry(f.path) : undefined;
    if (!bytes) {
      problems.push(`文件被删除 / removed: ${f.path}`);
      continue;
    }
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256 || bytes.length !== f.size) problems.push(`文件被修改 / changed: ${f.path}`);
  }
  for (const name of Object.keys(entries)) {
    if ((name.endsWith('/') && !entries[name]!.length) || UNSIGNED.has(name) || listed.has(name)) continue;
    problems.push(`多出的文件 / added: ${name}`);
  }
  return { valid: problems.length === 0, problems, fingerprint, files: listed.size };
}
