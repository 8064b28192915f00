/**
 * Who may sign an evidence pack. A pack carries its own public key, so its signature alone only
 * proves the pack was not changed after *someone* signed it; an attacker can edit a file, re-sign
 * with a new key and swap public-key.pem. Trust comes from comparing the signer's fingerprint
 * with one obtained another way: a fingerprint given on the command line (--expect-fingerprint)
 * or a trusted-signers file head office publishes (--trusted-signers).
 *
 * Trusted-signers file, text form (UTF-8), one signer a line:
 *     # comment lines and blank lines are ignored
 *     3f2a:9c01:…(64 hex digits, colons or spaces optional)   总行合规部 head office 2025
 *     3f2a9c01…                                                 上海分行 Shanghai branch
 * The first 64 hex digits of a line are the fingerprint; what follows (after white space) is its
 * label. JSON form: [{"fingerprint":"…","label":"…"}, …] or {"signers":[…]}.
 * A line that is not a fingerprint is an error naming the file and line: a typo in a trust list
 * must not silently drop a signer, nor be mistaken for one.
 */
import fs from 'node:fs';
import { CoreError } from '../api/errors.js';

export type TrustedSigner = { fingerprint: string; label: string; source: string };

/**
 * The shell command that prints the same fingerprint from public-key.pem with OpenSSL alone.
 * signing.ts hashes the raw 32-byte Ed25519 key, which is the last 32 bytes of the key's DER
 * (SubjectPublicKeyInfo, always 44 bytes for Ed25519), hence `tail -c 32`. OpenSSL prints the
 * hex without colons; compare ignoring them.
 */
export const FINGERPRINT_COMMAND = 'openssl pkey -pubin -in public-key.pem -outform DER | tail -c 32 | openssl dgst -sha256';

/** 64 lowercase hex digits, or null when the text is not a SHA-256 fingerprint. Colons, spaces and case are ignored. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** The pin given on the command line; a malformed one is a usage error, never "no pin". */
export function expectedSigner(text: string): TrustedSigner {
  const fp = normalizeFingerprint(text);
  if (!fp) throw new CoreError('usage', `--expect-fingerprint 不是 SHA-256 指纹（须为 64 位十六进制，可含冒号或空格）：${text}`, `--expect-fingerprint is not a SHA-256 fingerprint (64 hex digits, colons or spaces allowed): ${text}`);
  return { fingerprint: fp, label: '--expect-fingerprint', source: '--expect-fingerprint' };
}

/** Splits "fingerprint label" at the 64th hex digit; null when the line does not start with one. */
function splitLine(line: string): { fingerprint: string; label: string } | null {
  let hex = '';
  let i = 0;
  for (; i < line.length && hex.length < 64; i++) {
    const c = line[i]!;
    if (/[0-9a-fA-F]/.test(c)) hex += c.toLowerCase();
    else if (c !== ':' && c !== ' ' && c !== '\t') return null;
  }
  if (hex.length < 64) return null;
  const rest = line.slice(i);
  if (rest && !/^\s/.test(rest)) return null; // a 65th hex digit, or a label glued to the key
  return { fingerprint: hex, label: rest.trim() };
}

export function readTrustedSigners(file: string): TrustedSigner[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new CoreError('not_found', `无法读取受信签名者文件 ${file}：${(e as Error).message}`, `Cannot read the trusted-signers file ${file}: ${(e as Error).message}`);
  }
  const bad = (where: number | null, unit: '行' | '项', why: string, whyEn: string) =>
    new CoreError('rejected', `受信签名者文件 ${file}${where ? ` 第 ${where} ${unit}` : ''}：${why}`, `Trusted-signers file ${file}${where ? `, ${unit === '行' ? 'line' : 'entry'} ${where}` : ''}: ${whyEn}`);
  const signers: TrustedSigner[] = [];
  if (/^\s*[[{]/.test(text)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw bad(null, '项', `JSON 无法解析（${(e as Error).message}）`, `JSON does not parse (${(e as Error).message})`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { signers?: unknown }).signers;
    if (!Array.isArray(list)) throw bad(null, '项', '须为数组或 {"signers":[…]}', 'must be an array or {"signers":[…]}');
    list.forEach((entry, n) => {
      const e = entry as { fingerprint?: unknown; label?: unknown };
      const fp = typeof e?.fingerprint === 'string' ? normalizeFingerprint(e.fingerprint) : null;
      if (!fp) throw bad(n + 1, '项', '指纹不是 64 位十六进制', 'the fingerprint is not 64 hex digits');
      signers.push({ fingerprint: fp, label: typeof e.label === 'string' ? e.label : '', source: `${file}#${n + 1}` });
    });
  } else {
    text.split(/\r?\n/).forEach((raw, n) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const parsed = splitLine(line);
      if (!parsed) throw bad(n + 1, '行', '不是以 64 位十六进制指纹开头', 'does not start with a 64-hex-digit fingerprint');
      signers.push({ ...parsed, source: `${file}:${n + 1}` });
    });
  }
  if (!signers.length) throw bad(null, '行', '没有任何签名者', 'lists no signer');
  return signers;
}
