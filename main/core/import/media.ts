/**
 * The media folder of an export: one file per item, named by md5sum (with or without an
 * extension) or by msgid / voiceid / voipid. Files are indexed once by name, then linked to
 * messages: the bytes go into the encrypted store (never left plain beside it), the MD5 is
 * checked where the message gives one, and a SHA-256 is recorded for evidence.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MediaRef } from './bodies.js';

export class MediaFolder {
  private byStem = new Map<string, string>();
  readonly fileCount: number;

  constructor(readonly dir: string) {
    let count = 0;
    const walk = (d: string) => {
      for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, ent.name);
        if (ent.isDirectory()) walk(full);
        else if (ent.isFile()) {
          count++;
          const name = ent.name.toLowerCase();
          const dot = name.indexOf('.');
          const stem = dot > 0 ? name.slice(0, dot) : name;
          if (!this.byStem.has(name)) this.byStem.set(name, full);
          if (!this.byStem.has(stem)) this.byStem.set(stem, full);
        }
      }
    };
    walk(dir);
    this.fileCount = count;
  }

  find(ref: MediaRef): string | null {
    for (const key of [ref.md5sum, ...ref.names]) {
      if (!key) continue;
      const hit = this.byStem.get(key.toLowerCase());
      if (hit) return hit;
    }
    return null;
  }
}

/** Media larger than this is not read into the store by default (an import option raises it). */
export const DEFAULT_MAX_MEDIA_BYTES = 512 * 1024 * 1024;

export type LoadedMedia =
  | { ok: true; bytes: Buffer; md5: string; sha256: string; name: string }
  /** found but not stored: too large for the limit, or it could not be read; the reason is recorded with the message */
  | { ok: false; status: 'too_large' | 'unreadable'; reason: string };

export const tooLarge = (size: number, max: number): LoadedMedia => ({
  ok: false,
  status: 'too_large',
  reason: `媒体文件过大（${size} 字节，上限 ${max} 字节），未存入存储库 / media file too large (${size} bytes, limit ${max}); not stored`,
});

/**
 * One media file's bytes and hashes. The size is checked before anything is read, and at most
 * that many bytes are read, so a file of any size (or one growing meanwhile) never fills memory.
 */
export function loadMedia(file: string, maxBytes = DEFAULT_MAX_MEDIA_BYTES): LoadedMedia {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const { size } = fs.fstatSync(fd);
    if (size > maxBytes) return tooLarge(size, maxBytes);
    const bytes = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, bytes, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got !== size || fs.readSync(fd, Buffer.alloc(1), 0, 1, size) !== 0) {
      return { ok: false, status: 'unreadable', reason: '媒体文件在读取过程中发生变化，未存入存储库 / the media file changed while being read; not stored' };
    }
    return {
      ok: true,
      bytes,
      md5: crypto.createHash('md5').update(bytes).digest('hex'),
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      name: path.basename(file),
    };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { ok: false, status: 'unreadable', reason: `媒体文件无法读取（${why}），未存入存储库 / the media file cannot be read (${why}); not stored` };
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
