/**
 * The store's Ed25519 signing key for evidence packs: made on first use, kept inside the
 * encrypted store. Its public key and fingerprint travel in every pack and report, so anyone can
 * check a pack offline and compare the fingerprint with the one the bank published.
 *
 * Rotation (`key rotate-signing`): a new key replaces the old one; the old private key is
 * discarded (a rotation is often because it may have leaked), its public key and fingerprint stay
 * in meta 'signing_key_history'. Packs already made carry their own key, so they keep verifying
 * against the old fingerprint they were pinned to; the bank publishes the new fingerprint (and
 * keeps the old one in its trusted-signers list for as long as old packs are in circulation).
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

export type RetiredKey = { fingerprint: string; publicKeyPem: string; retiredAt: string };
export type RotateResult = { previous: string; fingerprint: string; retired: number };

export function retiredSigningKeys(db: Db): RetiredKey[] {
  const text = db.prepare(`SELECT value FROM meta WHERE key = 'signing_key_history'`).pluck().get() as string | undefined;
  return text ? (JSON.parse(text) as RetiredKey[]) : [];
}

/** A new signing key; the old one's public half goes to the history. One transaction. */
export function rotateSigningKey(db: Db): RotateResult {
  return db.transaction(() => {
    const old = signingKey(db);
    const history = [...retiredSigningKeys(db), { fingerprint: old.fingerprint, publicKeyPem: old.publicKeyPem, retiredAt: new Date().toISOString() }];
    const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'signing_key'`).run(pem);
    db.prepare(`INSERT INTO meta(key, value) VALUES ('signing_key_history', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(history));
    return { previous: old.fingerprint, fingerprint: signingKey(db).fingerprint, retired: history.length };
  })();
}
