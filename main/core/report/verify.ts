/**
 * Checks an evidence pack with nothing but the pack: the manifest's Ed25519 signature against
 * the public key inside, and every file's SHA-256 against the manifest. Any changed, added or
 * removed file, or a bad signature, is a problem that names the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { fingerprintOf } from './signing.js';

export type PackManifest = { format: 'wecom-audit-evidence'; version: 1; createdAt: string; createdBy: string; storeId: string; publicKeyFingerprint: string; files: { path: string; sha256: string; size: number }[]; [k: string]: unknown };
export type VerifyResult = { valid: boolean; problems: string[]; fingerprint: string | null; files: number };

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';
const UNSIGNED = new Set([MANIFEST, SIGNATURE, PUBLIC_KEY]);

export function verifyPack(file: string): VerifyResult {
  const problems: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(fs.readFileSync(file)));
  } catch (e) {
    return { valid: false, problems: [`无法读取压缩包 / cannot read the zip: ${(e as Error).message}`], fingerprint: null, files: 0 };
  }
  const text = (name: string) => (entries[name] ? Buffer.from(entries[name]!).toString('utf8') : null);
  const manifestText = text(MANIFEST);
  const sig = text(SIGNATURE);
  const pem = text(PUBLIC_KEY);
  if (!manifestText || !sig || !pem) {
    for (const n of [MANIFEST, SIGNATURE, PUBLIC_KEY]) if (!entries[n]) problems.push(`缺少 / missing: ${n}`);
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
    listed.add(f.path);
    const bytes = entries[f.path];
    if (!bytes) {
      problems.push(`文件被删除 / removed: ${f.path}`);
      continue;
    }
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256 || bytes.length !== f.size) problems.push(`文件被修改 / changed: ${f.path}`);
  }
  for (const name of Object.keys(entries)) {
    if (name.endsWith('/') || UNSIGNED.has(name) || listed.has(name)) continue;
    problems.push(`多出的文件 / added: ${name}`);
  }
  return { valid: problems.length === 0, problems, fingerprint, files: listed.size };
}
