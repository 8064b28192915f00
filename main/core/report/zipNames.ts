/**
 * Reads a zip's central directory by hand and refuses the structures where two readers could
 * see different files: fflate's unzipSync returns one entry per name (the last one wins), while
 * Explorer or 7-Zip may show the first, so a pack with a tampered transcript.html followed by the
 * original would verify while the recipient reads the tampered one. Refused: two entries of the
 * same name, or names equal but for case (one file on Windows and macOS), absolute paths, drive
 * letters, backslashes, `.`/`..` segments, control characters, a non-ASCII name without the
 * UTF-8 flag (each reader guesses its own code page), a local header whose name differs from the
 * central directory's, and a directory whose count or size does not add up.
 */

export type ZipEntryName = { name: string; directory: boolean };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** message: "中文 / English" */
class ZipStructureError extends Error {
  readonly refused = true;
}
const fail = (zh: string, en: string) => new ZipStructureError(`${zh} / ${en}`);

function u64(b: DataView, at: number): number {
  const v = b.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('zip64 数值超出范围', 'zip64 value out of range');
  return Number(v);
}

/** Every entry's name from the central directory after the checks above, or the first problem as a bilingual sentence. */
export function zipNameProblems(bytes: Uint8Array): ZipEntryName[] | string {
  try {
    return readNames(bytes);
  } catch (e) {
    // RangeError: an offset past the end; TypeError: a name that is not UTF-8
    if (e instanceof ZipStructureError) return `压缩包结构不可信，拒绝核验 / zip structure refused: ${e.message}`;
    if (e instanceof RangeError || e instanceof TypeError) return `压缩包结构损坏 / zip structure damaged: ${e.message}`;
    throw e;
  }
}

function readNames(bytes: Uint8Array): ZipEntryName[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // the end record: the last one whose comment runs exactly to the end of the file
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD && i + 22 + view.getUint16(i + 20, true) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail('找不到中央目录结尾记录', 'no end of central directory record');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== ZIP64_LOCATOR) throw fail('缺少 zip64 定位记录', 'zip64 locator missing');
    const z = u64(view, loc + 8);
    if (view.getUint32(z, true) !== ZIP64_EOCD) throw fail('缺少 zip64 结尾记录', 'zip64 end record missing');
    count = u64(view, z + 32);
    cdSize = u64(view, z + 40);
    cdOffset = u64(view, z + 48);
  }
  if (cdOffset + cdSize > bytes.length) throw fail('中央目录超出文件范围', 'central directory outside the file');
  const entries: ZipEntryName[] = [];
  const seen = new Map<string, string>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (view.getUint32(p, true) !== CENTRAL) throw fail(`第 ${n + 1} 项中央目录头损坏`, `entry ${n + 1}: bad central directory header`);
    const flags = view.getUint16(p + 8, true);
    const uncompressed32 = view.getUint32(p + 24, true);
    const compressed32 = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    if (localOffset === 0xffffffff) {
      // zip64 extra field: the 64-bit values present are those whose 32-bit field is all ones, in this order
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      for (; e + 4 <= end; e += 4 + view.getUint16(e + 2, true)) {
        if (view.getUint16(e, true) !== 0x0001) continue;
        let q = e + 4;
        if (uncompressed32 === 0xffffffff) q += 8;
        if (compressed32 === 0xffffffff) q += 8;
        localOffset = u64(view, q);
        break;
      }
    }
    const ascii = nameBytes.every((b) => b < 0x80);
    if (!ascii && !(flags & 0x800)) throw fail(`第 ${n + 1} 项文件名含非 ASCII 字符却未标明 UTF-8`, `entry ${n + 1}: non-ASCII name without the UTF-8 flag`);
    const name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    checkName(name);
    const folded = name.normalize('NFC').toLowerCase();
    const before = seen.get(folded);
    if (before !== undefined) throw (before === name ? fail(`重复的文件名 ${name}`, `duplicate entry: ${name}`) : fail(`仅大小写不同的文件名 ${before}、${name}`, `entries differing only by case: ${before}, ${name}`));
    seen.set(folded, name);
    if (view.getUint32(localOffset, true) !== LOCAL) throw fail(`${name} 缺少本地文件头`, `${name}: no local header`);
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + view.getUint16(localOffset + 26, true));
    if (Buffer.compare(localName, nameBytes) !== 0) throw fail(`${name} 的本地文件头写的是另一个文件名`, `${name}: local header names another file`);
    entries.push({ name, directory: name.endsWith('/') });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (p !== cdOffset + cdSize) throw fail('中央目录大小与其条目不符', 'central directory size does not match its entries');
  return entries;
}

function checkName(name: string): void {
  if (!name) throw fail('有条目没有文件名', 'an entry without a name');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw fail(`文件名含控制字符 ${JSON.stringify(name)}`, `control character in ${JSON.stringify(name)}`);
  if (name.includes('\\')) throw fail(`文件名含反斜杠 ${name}`, `backslash in ${name}`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw fail(`绝对路径 ${name}`, `absolute path: ${name}`);
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) throw fail(`路径含 .. 或 . 或空段 ${name}`, `path with .., . or an empty segment: ${name}`);
}
