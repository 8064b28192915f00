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

export type LoadedMedia = { bytes: Buffer; md5: string; sha256: string; name: string };

export function loadMedia(file: string): LoadedMedia {
  const bytes = fs.readFileSync(file);
  return {
    bytes,
    md5: crypto.createHash('md5').update(bytes).digest('hex'),
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    name: path.basename(file),
  };
}
