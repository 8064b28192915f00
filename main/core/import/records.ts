/**
 * Streams the records out of one export file with bounded memory, whatever its shape:
 * JSON Lines, a JSON array, the SDK page envelope {"errcode":0,"chatdata":[…]}, pretty-printed
 * or concatenated objects, any of them gzipped (detected by magic bytes, not by name).
 * Each record keeps its exact text (the archive never alters a message) and the line it
 * starts on, so quarantine can say file, line and reason.
 *
 * Two paths: line splitting (fast: native indexOf, one JSON.parse per line) when the file is
 * one object a line, and a byte-level structure scanner for everything else.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

/** `item`: which record on that line (0 for the first), since a minified array holds many on one line. */
export type RawRecord = { line: number; item: number; text: string };
export type RecordProblem = { line: number; item: number; reason: string; excerpt: string };
export type RecordBatch = { records: RawRecord[]; problems: RecordProblem[]; bytesRead: number };

export const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;
const CHUNK = 1 << 20;
/** top-level keys longer than this are not held while scanning (the scanner only looks for "chatdata") */
const MAX_KEY_BYTES = 64;
const NL = 0x0a;

export class FileProblem extends Error {
  constructor(
    readonly line: number,
    readonly reasonZh: string,
    readonly reasonEn: string,
  ) {
    super(`${reasonZh} / ${reasonEn}`);
  }
}

function excerpt(buf: Buffer | string, max = 200): string {
  const s = typeof buf === 'string' ? buf.slice(0, max) : buf.subarray(0, max * 3).toString('utf8').slice(0, max);
  return s;
}

/**
 * Bytes → text, or null when they make a string longer than JavaScript allows (about 512 MiB,
 * reachable with a raised --max-record-bytes): that record is refused, the file goes on.
 */
function decode(bytes: Buffer): string | null {
  try {
    return bytes.toString('utf8');
  } catch {
    return null;
  }
}
const undecodable = (max: number) => `记录过大，无法读作文本（上限 ${max} 字节），已跳过 / record too large to read as text (limit ${max} bytes), skipped`;

async function sniff(file: string): Promise<{ gzip: boolean; size: number }> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return { gzip: head[0] === 0x1f && head[1] === 0x8b, size };
  } finally {
    await fh.close();
  }
}

/** Yields batches of records (one per chunk read), plus per-record problems. Throws FileProblem for whole-file trouble. */
export async function* readRecords(file: string, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES): AsyncGenerator<RecordBatch> {
  let info: { gzip: boolean; size: number };
  try {
    info = await sniff(file);
  } catch (e) {
    throw new FileProblem(0, `无法打开文件（${(e as NodeJS.ErrnoException).code ?? e}）`, `cannot open file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK });
  const source: AsyncIterable<Buffer> = info.gzip ? raw.pipe(zlib.createGunzip({ chunkSize: CHUNK })) : raw;
  if (info.gzip) raw.on('error', (e) => (source as zlib.Gunzip).destroy(e));
  let splitter: LineSplitter | StructureScanner | null = null;
  let head = Buffer.alloc(0);
  let line = 1;
  try {
    for await (const chunk of source) {
      let buf: Buffer = chunk;
      if (!splitter) {
        head = Buffer.concat([head, buf]);
        const decided = decide(head, maxRecordBytes);
        if (!decided) continue; // need more bytes to see the first line
        splitter = decided;
        buf = head;
      }
      const batch = splitter.push(buf);
      yield { ...batch, bytesRead: raw.bytesRead };
    }
    if (!splitter && head.length) {
      splitter = decide(head, maxRecordBytes, true)!;
      yield { ...splitter.push(head), bytesRead: raw.bytesRead };
    }
    if (splitter) yield { ...splitter.end(), bytesRead: raw.bytesRead };
    if (raw.bytesRead < info.size) {
      // cut short under the reader (a USB stick pulled, a copy overwritten): lines may be missing
      throw new FileProblem(
        splitter?.line ?? line,
        `文件在读取过程中变短（原 ${info.size} 字节，只读到 ${raw.bytesRead} 字节），此前的记录已导入，请核对导出文件后重新导入`,
        `the file became shorter while being read (${info.size} bytes before, ${raw.bytesRead} read); records before that were imported, check the export and import it again`,
      );
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    line = splitter?.line ?? line;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || /unexpected end of file/i.test(err.message)) {
      throw new FileProblem(line, `gzip 文件损坏或被截断（${err.message}），此前的记录已导入`, `gzip file is corrupt or truncated (${err.message}); records before it were imported`);
    }
    throw new FileProblem(line, `读取中断（${err.code ?? err.message}），此前的记录已导入，可重新导入续完`, `reading stopped (${err.code ?? err.message}); records before it were imported, run the import again to finish`);
  }
}

/** Looks at the start of the file and picks a reader. Returns null while it needs more bytes. */
function decide(head: Buffer, max: number, atEnd = false): LineSplitter | StructureScanner | null {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i >= head.length) return atEnd ? new LineSplitter(max) : null;
  if (head[i] === 0x5b /* [ */) return new StructureScanner(max);
  if (head[i] !== 0x7b /* { */) {
    throw new FileProblem(1, '不是 JSON 会话存档导出文件（开头既不是 { 也不是 [）', 'not a JSON archive export (it starts with neither { nor [)');
  }
  const nl = head.indexOf(NL, i);
  if (nl < 0 && !atEnd && head.length < max) return null;
  try {
    const v = JSON.parse(head.subarray(i, nl < 0 ? head.length : nl).toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v) && !('chatdata' in v)) return new LineSplitter(max);
  } catch {
    /* not one object a line */
  }
  return new StructureScanner(max);
}

/** JSON Lines: one record a non-blank line. Lines over the limit are skipped without being held in memory. */
class LineSplitter {
  line = 1;
  private carry: Buffer[] = [];
  private carryLen = 0;
  private skipping = false;
  private skipStartLine = 0;
  private first = true;
  constructor(private readonly max: number) {}

  push(buf: Buffer): Omit<RecordBatch, 'bytesRead'> {
    const records: RawRecord[] = [];
    const problems: RecordProblem[] = [];
    let start = 0;
    if (this.first) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.carryLen) {
        this.carry.push(buf.subarray(start, nl));
        this.emit(Buffer.concat(this.carry), records, problems);
        this.carry = [];
        this.carryLen = 0;
      } else {
        this.emit(buf.subarray(start, nl), records, problems);
      }
      this.line++;
      start = nl + 1;
    }
    if (start < buf.length && !this.skipping) {
      const rest = buf.subarray(start);
      if (this.carryLen + rest.length > this.max) {
        problems.push({ line: this.line, item: 0, reason: `行过长（超过 ${this.max} 字节），已跳过 / line too long (over ${this.max} bytes), skipped`, excerpt: excerpt(Buffer.concat([...this.carry, rest])) });
        this.carry = [];
        this.carryLen = 0;
        this.skipping = true;
        this.skipStartLine = this.line;
      } else {
        // copy: the stream may reuse its chunk
        this.carry.push(Buffer.from(rest));
        this.carryLen += rest.length;
      }
    }
    return { records, problems };
  }

  private emit(bytes: Buffer, records: RawRecord[], problems: RecordProblem[]): void {
    if (bytes.length > this.max) {
      problems.push({ line: this.line, item: 0, reason: `行过长（超过 ${this.max} 字节），已跳过 / line too long (over ${this.max} bytes), skipped`, excerpt: excerpt(bytes) });
      return;
    }
    let text = decode(bytes);
    if (text === null) {
      problems.push({ line: this.line, item: 0, reason: undecodable(this.max), excerpt: excerpt(bytes) });
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim()) records.push({ line: this.line, item: 0, text });
  }

  end(): Omit<RecordBatch, 'bytesRead'> {
    const records: RawRecord[] = [];
    const problems: RecordProblem[] = [];
    if (this.carryLen && !this.skipping) this.emit(Buffer.concat(this.carry), records, problems);
    this.carry = [];
    this.carryLen = 0;
    void this.skipStartLine;
    return { records, problems };
  }
}

/**
 * Byte-level JSON structure scanner. Emits: each element of a top-level array; each element of
 * an envelope's "chatdata" array; every other top-level value whole. UTF-8 is safe to scan
 * byte by byte because every structural character is ASCII.
 */
class StructureScanner {
  line = 1;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** 'array' when inside a top-level array, 'envelope' inside an envelope's chatdata, 'value' inside a whole top-level value */
  private mode: 'none' | 'array' | 'value' | 'envelope' = 'none';
  private recordDepth = 0; // depth at which records start
  private parts: Buffer[] = [];
  private partsLen = 0;
  private recStart = -1; // index in the current buffer, -1 when no record is open here
  private recLine = 0;
  private recItem = 0;
  private lastStartLine = 0;
  private onLine = 0;
  private inRecord = false;
  private tooLong = false;
  // envelope detection: the key last read at depth 1 of a top-level object
  private keyStart = -1;
  private keyBytes: Buffer[] = [];
  private keyLen = 0; // bytes of the open key in earlier chunks
  private expectKey = false;
  private lastKey = '';
  private first = true;

  constructor(private readonly max: number) {}

  push(buf: Buffer): Omit<RecordBatch, 'bytesRead'> {
    const records: RawRecord[] = [];
    const problems: RecordProblem[] = [];
    let i = 0;
    if (this.first) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    }
    this.recStart = this.inRecord ? 0 : -1;
    if (this.keyStart >= 0) this.keyStart = 0;
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf[i]!;
      if (c === NL) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.keyBytes.push(buf.subarray(this.keyStart, i));
            this.lastKey = this.keyLen + i - this.keyStart <= MAX_KEY_BYTES ? Buffer.concat(this.keyBytes).toString('utf8') : '';
            this.keyBytes = [];
            this.keyLen = 0;
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      // a record starts at the first non-blank byte at record depth
      if (!this.inRecord && this.mode !== 'none' && this.depth === this.recordDepth && c !== 0x2c && c !== 0x5d && c !== 0x7d) {
        this.openRecord(i);
      }
      if (this.mode === 'none') {
        if (c === 0x5b) {
          this.mode = 'array';
          this.recordDepth = 1;
          this.depth = 1;
          continue;
        }
        if (c === 0x7b) {
          this.mode = 'value';
          this.recordDepth = 0;
          this.openRecord(i);
          this.depth = 1;
          this.expectKey = true;
          continue;
        }
        problems.push({ line: this.line, item: this.nextItem(), reason: `此处不是 JSON 对象或数组 / not a JSON object or array here`, excerpt: excerpt(buf.subarray(i, i + 200)) });
        // resynchronise at the next line
        const nl = buf.indexOf(NL, i);
        if (nl < 0) return this.keep(buf, records, problems);
        i = nl - 1;
        continue;
      }
      switch (c) {
        case 0x22: // "
          this.inString = true;
          if (this.mode === 'value' && this.depth === 1 && this.expectKey) {
            this.keyStart = i + 1;
            this.expectKey = false;
          }
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (c === 0x5b && this.mode === 'value' && this.depth === 1 && this.lastKey === 'chatdata') {
            // the top-level object is an SDK envelope: its chatdata items are the records
            this.mode = 'envelope';
            this.recordDepth = 2;
            this.inRecord = false;
            this.parts = [];
            this.partsLen = 0;
            this.recStart = -1;
            this.tooLong = false;
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          // a record still open at its own depth is a scalar element ending here
          if (this.inRecord && this.depth === this.recordDepth) this.closeRecord(buf, i, records, problems);
          this.depth--;
          if (this.inRecord && this.depth === this.recordDepth) this.closeRecord(buf, i + 1, records, problems);
          if (this.mode === 'envelope' && this.depth === 1) this.recordDepth = -1; // chatdata ended: no more records in this envelope
          if (this.depth <= 0) {
            this.depth = 0;
            this.mode = 'none';
            this.lastKey = '';
          }
          break;
        case 0x2c: // ,
          if (this.mode === 'value' && this.depth === 1) this.expectKey = true;
          if (this.inRecord && this.depth === this.recordDepth) {
            // a scalar element of an array: a record that is not an object
            this.closeRecord(buf, i, records, problems);
          }
          break;
        case 0x3a: // :
          break;
        default:
          break;
      }
    }
    return this.keep(buf, records, problems);
  }

  /** the ordinal of a new record among those starting on the current line */
  private nextItem(): number {
    if (this.line !== this.lastStartLine) {
      this.lastStartLine = this.line;
      this.onLine = 0;
    }
    return this.onLine++;
  }

  private openRecord(i: number): void {
    this.inRecord = true;
    this.recStart = i;
    this.recLine = this.line;
    this.recItem = this.nextItem();
    this.parts = [];
    this.partsLen = 0;
    this.tooLong = false;
  }

  private closeRecord(buf: Buffer, end: number, records: RawRecord[], problems: RecordProblem[]): void {
    const piece = buf.subarray(Math.max(this.recStart, 0), end);
    if (this.tooLong || this.partsLen + piece.length > this.max) {
      problems.push({ line: this.recLine, item: this.recItem, reason: `记录过长（超过 ${this.max} 字节），已跳过 / record too long (over ${this.max} bytes), skipped`, excerpt: '' });
    } else {
      const bytes = this.partsLen ? Buffer.concat([...this.parts, piece]) : piece;
      const text = decode(bytes)?.trim() ?? null;
      if (text === null) problems.push({ line: this.recLine, item: this.recItem, reason: undecodable(this.max), excerpt: excerpt(bytes) });
      else if (text) records.push({ line: this.recLine, item: this.recItem, text });
    }
    this.inRecord = false;
    this.recStart = -1;
    this.parts = [];
    this.partsLen = 0;
    this.tooLong = false;
  }

  /** Carry the open record (and an open key) into the next chunk, within the size limit. */
  private keep(buf: Buffer, records: RawRecord[], problems: RecordProblem[]): Omit<RecordBatch, 'bytesRead'> {
    if (this.inRecord && !this.tooLong) {
      const piece = buf.subarray(Math.max(this.recStart, 0));
      if (this.partsLen + piece.length > this.max && this.mode !== 'value') {
        this.tooLong = true;
        this.parts = [];
        this.partsLen = 0;
      } else if (this.partsLen + piece.length > this.max && this.mode === 'value') {
        // a top-level object may be a huge envelope whose chatdata key has not come yet: keep
        // scanning, but stop holding bytes
        this.tooLong = true;
        this.parts = [];
        this.partsLen = 0;
      } else {
        this.parts.push(Buffer.from(piece));
        this.partsLen += piece.length;
      }
    }
    if (this.keyStart >= 0) {
      // a key across chunks; one longer than any key we look for is counted, not held
      const rest = buf.length - this.keyStart;
      if (this.keyLen + rest <= MAX_KEY_BYTES) this.keyBytes.push(Buffer.from(buf.subarray(this.keyStart)));
      else this.keyBytes = [];
      this.keyLen += rest;
    }
    return { records, problems };
  }

  end(): Omit<RecordBatch, 'bytesRead'> {
    const problems: RecordProblem[] = [];
    if (this.inRecord || this.depth > 0 || this.inString) {
      const text = this.partsLen ? (decode(Buffer.concat(this.parts)) ?? '') : '';
      problems.push({
        line: this.inRecord ? this.recLine : this.line,
        item: this.inRecord ? this.recItem : 0,
        reason: `文件在 JSON 结构中途结束（被截断？）/ file ends inside a JSON value (truncated?)`,
        excerpt: excerpt(text),
      });
    }
    return { records: [], problems };
  }
}
