/**
 * Page authentication read straight from the file, in Node, with the data key: every page's
 * SQLCipher-3 HMAC, the file size in whole pages, and the page count in the (decrypted) header.
 * Unlike reading through SQLite (integrity_check never reads freelist pages, and a byte lost off
 * the end of the file falls in a page's unauthenticated padding), this sees every page.
 *
 * The page format, as SQLite3 Multiple Ciphers writes it with `legacy=3` (its sqlcipher cipher,
 * checked against it by test/unit/store-check.test.ts):
 * - 16 KiB pages; the last 48 bytes of each are reserved: the AES-CBC IV (16), the HMAC-SHA1
 *   (20), then 12 random bytes that nothing authenticates (SQLite3MC reserves 16 + 32 for SHA-1
 *   as for SHA-256);
 * - page 1 starts with the 16-byte salt instead of "SQLite format 3"; its ciphertext starts after;
 * - HMAC key = PBKDF2-HMAC-SHA1(data key, salt XOR 0x3a, 2 iterations, 32 bytes);
 * - HMAC input = ciphertext and IV of the page, then the page number, 4 bytes little-endian.
 * The file is streamed in 4 MiB slices (never loaded whole): about 2 s per GiB here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { StoreProblem } from '../../../preload/api.js';

export const PAGE_SIZE = 16384;
const RESERVED = 48;
const SALT = 16;
const IV = 16;
const MAC = 20;
/** where the IV sits in a page; the HMAC follows it */
const TAIL = PAGE_SIZE - RESERVED;
/** SQLite never writes the page holding its lock bytes (the PENDING_BYTE at 1 GiB): a hole of zeros */
const LOCK_PAGE = 0x40000000 / PAGE_SIZE + 1;
const SLICE_PAGES = 256;
/** page numbers listed one by one; beyond this a count stands for the rest */
const LISTED = 200;

export type PageReport = {
  /** whole pages in the file */
  pages: number;
  /** what the header says, when page 1 authenticates */
  headerPages: number | null;
  /** pages that authenticated (a file with none is not this store at all) */
  authentic: number;
  problems: StoreProblem[];
};

function hmacKey(dataKey: Buffer, salt: Buffer): Buffer {
  return crypto.pbkdf2Sync(dataKey, Buffer.from(salt.map((b) => b ^ 0x3a)), 2, 32, 'sha1');
}

function pageNumberBytes(page: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(page);
  return b;
}

/** page: the page's 16384 bytes, at its place in the file (1-based number) */
function authentic(key: Buffer, page: Buffer, pgno: number): boolean {
  const start = pgno === 1 ? SALT : 0;
  const mac = crypto.createHmac('sha1', key).update(page.subarray(start, TAIL + IV)).update(pageNumberBytes(pgno)).digest();
  return crypto.timingSafeEqual(mac, page.subarray(TAIL + IV, TAIL + IV + MAC));
}

/**
 * A salt changed by one byte makes every page fail (the HMAC key comes from it): try each single
 * byte change against a page that should then authenticate. 16 × 255 candidates, a few ms each.
 */
function repairSalt(dataKey: Buffer, salt: Buffer, probe: Buffer, pgno: number): Buffer | null {
  const candidate = Buffer.from(salt);
  for (let i = 0; i < SALT; i++) {
    for (let v = 0; v < 256; v++) {
      if (v === salt[i]) continue;
      candidate[i] = v;
      const key = hmacKey(dataKey, candidate);
      if (authentic(key, probe, pgno)) return key;
    }
    candidate[i] = salt[i]!;
  }
  return null;
}

/** The page count SQLite keeps in the header (offset 28), valid when the change counter matches offset 92. */
function headerPages(dataKey: Buffer, page1: Buffer): number | null {
  const decipher = crypto.createDecipheriv('aes-256-cbc', dataKey, page1.subarray(TAIL, TAIL + IV));
  decipher.setAutoPadding(false);
  const plain = decipher.update(page1.subarray(SALT, SALT + 96)); // file offsets 16..112
  const at = (fileOffset: number) => plain.readUInt32BE(fileOffset - SALT);
  if (plain.readUInt16BE(0) !== PAGE_SIZE) return null;
  return at(24) === at(92) ? at(28) : null;
}

export const EMPTY_FILE: StoreProblem = { area: 'file', problem: '存储库文件为空（0 字节）：被截断 / the store file is empty (0 bytes): truncated' };

export function pageProblem(page: number, zh: string, en: string): StoreProblem {
  return { area: 'page', page, problem: `第 ${page} 页${zh} / page ${page} ${en}` };
}

export function verifyPages(dbPath: string, dataKey: Buffer): PageReport {
  const problems: StoreProblem[] = [];
  const fd = fs.openSync(dbPath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const pages = Math.floor(size / PAGE_SIZE);
    const partial = size % PAGE_SIZE;
    if (size === 0) {
      problems.push(EMPTY_FILE);
      return { pages: 0, headerPages: null, authentic: 0, problems };
    }
    if (partial) {
      problems.push({
        area: 'file',
        problem: `文件大小 ${size} 字节不是整页（16 KiB）的倍数：第 ${pages + 1} 页只有 ${partial} 字节，文件被截断或追加 / the file size ${size} bytes is not a whole number of 16 KiB pages: page ${pages + 1} has only ${partial} bytes, the file was truncated or appended to`,
      });
      problems.push(pageProblem(pages + 1, `不完整（${partial} / ${PAGE_SIZE} 字节）`, `is incomplete (${partial} of ${PAGE_SIZE} bytes)`));
    }
    if (pages === 0) return { pages, headerPages: null, authentic: 0, problems };

    const slice = Buffer.allocUnsafe(SLICE_PAGES * PAGE_SIZE);
    fs.readSync(fd, slice, 0, Math.min(2, pages) * PAGE_SIZE, 0);
    const page1 = Buffer.from(slice.subarray(0, PAGE_SIZE));
    const salt = page1.subarray(0, SALT);
    let key = hmacKey(dataKey, salt);
    if (!authentic(key, page1, 1)) {
      const probe = pages > 1 ? Buffer.from(slice.subarray(PAGE_SIZE, 2 * PAGE_SIZE)) : page1;
      const probeNo = pages > 1 ? 2 : 1;
      if (!authentic(key, probe, probeNo)) {
        const repaired = repairSalt(dataKey, salt, probe, probeNo);
        if (repaired) {
          key = repaired;
          problems.push(pageProblem(1, '的盐值（文件开头 16 字节）被改动，各页的认证都依赖它', 'has an altered salt (the first 16 bytes of the file), on which every page\'s authentication depends'));
        }
      }
    }

    const failed: number[] = [];
    let header: number | null = null;
    let good = 0;
    for (let first = 1; first <= pages; first += SLICE_PAGES) {
      const count = Math.min(SLICE_PAGES, pages - first + 1);
      const got = fs.readSync(fd, slice, 0, count * PAGE_SIZE, (first - 1) * PAGE_SIZE);
      for (let i = 0; i < count; i++) {
        const pgno = first + i;
        if (pgno === LOCK_PAGE) continue;
        const page = slice.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
        if ((i + 1) * PAGE_SIZE <= got && authentic(key, page, pgno)) {
          good++;
          if (pgno === 1) header = headerPages(dataKey, page);
        } else failed.push(pgno);
      }
    }
    for (const pgno of failed.slice(0, LISTED)) {
      problems.push(pageProblem(pgno, '认证失败（HMAC 不符）：被改动或损坏', 'failed authentication (HMAC mismatch): altered or damaged'));
    }
    if (failed.length > LISTED) {
      problems.push({ area: 'page', problem: `另有 ${failed.length - LISTED} 页认证失败（共 ${failed.length} 页）/ ${failed.length - LISTED} more pages failed authentication (${failed.length} in all)` });
    }
    if (header !== null && header !== pages) {
      problems.push({
        area: 'file',
        problem: `文件头记录 ${header} 页，文件却有 ${pages} 页：${header > pages ? '末尾的页被截掉' : '文件被追加了页'} / the header records ${header} pages but the file has ${pages}: ${header > pages ? 'pages were cut off the end' : 'pages were appended'}`,
      });
    }
    return { pages, headerPages: header, authentic: good, problems };
  } finally {
    fs.closeSync(fd);
  }
}
