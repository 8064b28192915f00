/** Media bytes out of the store for the viewer, with a type from their magic bytes (never from the chat). */
import { CoreError } from '../api/errors.js';
import type { Db } from '../store/index.js';

const SIGNATURES: [string, number[], number?][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x57, 0x45, 0x42, 0x50], 8],
  ['video/mp4', [0x66, 0x74, 0x79, 0x70], 4],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
  ['audio/amr', [0x23, 0x21, 0x41, 0x4d, 0x52]],
  ['audio/silk', [0x23, 0x21, 0x53, 0x49, 0x4c, 0x4b]],
  ['audio/silk', [0x02, 0x23, 0x21, 0x53, 0x49, 0x4c, 0x4b]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
];

export function sniffMime(bytes: Uint8Array): string {
  for (const [mime, sig, at = 0] of SIGNATURES) if (sig.every((b, i) => bytes[at + i] === b)) return mime;
  return 'application/octet-stream';
}

export function getMedia(db: Db, sha256: string): { sha256: string; mime: string; size: number; name: string | null; bytes: Buffer } {
  const row = db.prepare('SELECT sha256, size, name, bytes FROM media WHERE sha256 = ?').get(sha256) as { sha256: string; size: number; name: string | null; bytes: Buffer } | undefined;
  if (!row) throw new CoreError('not_found', `媒体文件不在存储库中：${sha256}`, `No such media in the store: ${sha256}`);
  return { ...row, mime: sniffMime(row.bytes) };
}
