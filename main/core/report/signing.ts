/**
 * The store's Ed25519 signing key for evidence packs: made on first use, kept inside the
 * encrypted store. Its public key and fingerprint travel in every pack and report, so anyone can
 * check a pack offline and compare the fingerprint with the one the bank published.
 */
import crypto from 'node:crypto';
import type { Db } from '../store/index.js';

export type SigningKey = { privateKey: crypto.KeyObject; publicKeyPem: string; fingerprint: string };

/** SHA-256 of the raw 32-byte public key, as hex in groups of four for reading aloud. */
export function fingerprintOf(publicKeyPem: string): string {
  const spki = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const raw = spki.subarray(spki.length - 32);
  return crypto.createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(':');
}

export function signingKey(db: Db): SigningKey {
  let pem = db.prepare(`SELECT value FROM meta WHERE key = 'signing_key'`).pluck().get() as string | undefined;
  if (!pem) {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    db.prepare(`INSERT INTO meta(key, value) VALUES ('signing_key', ?)`).run(pem);
  }
  const privateKey = crypto.createPrivateKey(pem);
  const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
  return { privateKey, publicKeyPem, fingerprint: fingerprintOf(publicKeyPem) };
}
