/**
 * Normalization before matching, with a map back to the original text so every hit reports
 * UTF-16 offsets of what the person actually wrote.
 *
 * - words view (dictionary matching): NFKC (full-width → half-width), lower case, traditional →
 *   simplified, and every separator, punctuation mark, symbol, emoji and zero-width character
 *   dropped, so 保-本, 保 本 and 稳.赚.不.赔 read as 保本 and 稳赚不赔; the evasions of 微信
 *   (V信, 薇信, 威信, vx, wx, 加V) read as 微信; runs of Chinese numerals (幺三八零…) as digits.
 * - digits view (PII): only full-width digits, Chinese numerals in runs, and the spaces, dashes
 *   and dots people put inside numbers are touched; other punctuation stays as a boundary, so
 *   two phone numbers in a list never merge into one long number.
 *
 * Hot path (every message of every scan): typed arrays and char codes, no object per character.
 */
import * as OpenCC from 'opencc-js';

export type Normalized = {
  text: string;
  /** for each UTF-16 unit of `text`: where its source starts and ends in the original */
  from: Int32Array;
  to: Int32Array;
};

const CJK_FIRST = 0x3400;
const CJK_LAST = 0x9fff;
/** Traditional → simplified for the CJK block, made once with one converter call (a char a line). */
let cjkTable: Uint16Array | null = null;
function cjk(): Uint16Array {
  if (!cjkTable) {
    const t2s = OpenCC.Converter({ from: 't', to: 'cn' });
    const chars: string[] = [];
    for (let c = CJK_FIRST; c <= CJK_LAST; c++) chars.push(String.fromCharCode(c));
    const converted = t2s(chars.join('\n')).split('\n');
    cjkTable = new Uint16Array(CJK_LAST - CJK_FIRST + 1);
    chars.forEach((c, i) => {
      const s = converted[i];
      cjkTable![i] = s && s.length === 1 ? s.charCodeAt(0) : c.charCodeAt(0);
    });
  }
  return cjkTable;
}

const DROP = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{M}\s]/u;
const NUMERAL_DIGIT = new Map<number, number>(
  Object.entries({
    零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 两: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4',
    五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 拐: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 勾: '9', 玖: '9',
  }).map(([k, v]) => [k.charCodeAt(0), v.charCodeAt(0)]),
);
/** a run this long of numerals (and digits) is a number written in words, not 一起/三月 */
const MIN_NUMERAL_RUN = 5;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Multi-character evasions, matched on the words view, longest first. */
const VARIANTS: [string, string][] = [
  ['绿泡泡', '微信'], ['yzm', '验证码'], ['weixin', '微信'], ['wechat', '微信'], ['vchat', '微信'], ['加v', '加微信'], ['v信', '微信'], ['薇信', '微信'],
  ['威信', '微信'], ['维信', '微信'], ['卫信', '微信'], ['徽信', '微信'], ['微x', '微信'], ['vx', '微信'], ['wx', '微信'],
];
/** Emoji that stand for a word in this trade (other emoji are dropped like punctuation). */
const EMOJI_WORDS = new Map([
  ['🧧', '红包'],
  ['🎁', '礼物'],
  ['💰', '钱'],
]);
/** per code unit: 1 where a multi-character evasion may start (a table read per unit, not a Set lookup) */
const VARIANT_FIRST = new Uint8Array(65536);
for (const [p] of VARIANTS) VARIANT_FIRST[p.charCodeAt(0)] = 1;
/** per code unit: the digit a Chinese numeral stands for, 0 for any other unit */
const NUMERAL_TABLE = new Uint16Array(65536);
for (const [c, d] of NUMERAL_DIGIT) NUMERAL_TABLE[c] = d;

/** A growable buffer of units with their source spans. */
export class Units {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
  }
  push(code: number, from: number, to: number): void {
    if (this.length === this.codes.length) {
      const size = this.codes.length * 2 + 8;
      const codes = new Uint16Array(size);
      codes.set(this.codes);
      const from = new Int32Array(size);
      from.set(this.from);
      const to = new Int32Array(size);
      to.set(this.to);
      this.codes = codes;
      this.from = from;
      this.to = to;
    }
    this.codes[this.length] = code;
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.length++;
  }
  text(): string {
    let text = '';
    for (let i = 0; i < this.length; i += 8192) text += String.fromCharCode.apply(null, this.codes.subarray(i, Math.min(this.length, i + 8192)) as unknown as number[]);
    return text;
  }
  /** as a Normalized: copies unless this buffer is the caller's own */
  result(copy = true): Normalized {
    const from = copy ? this.from.slice(0, this.length) : this.from.subarray(0, this.length);
    const to = copy ? this.to.slice(0, this.length) : this.to.subarray(0, this.length);
    return { text: this.text(), from, to };
  }
}

/** Chinese numerals inside runs of at least MIN_NUMERAL_RUN numerals/digits become digits. */
function numeralRuns(u: Units, isSep: (c: number) => boolean): void {
  let i = 0;
  const n = u.length;
  while (i < n) {
    const c = u.codes[i]!;
    if (NUMERAL_TABLE[c] === 0 && !isDigit(c)) {
      i++;
      continue;
    }
    let j = i;
    let count = 0;
    let numerals = false;
    for (; j < n; j++) {
      const d = u.codes[j]!;
      if (NUMERAL_TABLE[d] !== 0) numerals = true;
      else if (!isDigit(d) && !(isSep(d) && j + 1 < n)) break;
      if (!isSep(d)) count++;
    }
    if (count >= MIN_NUMERAL_RUN && numerals) for (let k = i; k < j; k++) u.codes[k] = NUMERAL_TABLE[u.codes[k]!] || u.codes[k]!;
    i = Math.max(j, i + 1);
  }
}

/**
 * What each BMP code unit becomes in the words view, made once: 0 = dropped (separator,
 * punctuation, symbol, zero-width …), SLOW = needs the general path (NFKC gives several units,
 * surrogates), anything else the unit it folds to (NFKC, lower case, traditional → simplified).
 * Chinese punctuation (，。？！) is in nearly every message: one table read instead of a regex.
 */
const SLOW = 0xffff;
let foldTable: Uint16Array | null = null;
function fold(): Uint16Array {
  if (foldTable) return foldTable;
  const table = cjk();
  const t = new Uint16Array(65536);
  const keep = (f: number) => (f < 0x80 ? (f >= 0x61 && f <= 0x7a) || isDigit(f) : !DROP.test(String.fromCharCode(f)));
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      t[c] = SLOW;
      continue;
    }
    const raw = String.fromCharCode(c);
    if (DROP.test(raw)) continue;
    const folded = raw.normalize('NFKC').toLowerCase();
    if (folded.length !== 1) {
      t[c] = SLOW;
      continue;
    }
    let f = folded.charCodeAt(0);
    if (f >= CJK_FIRST && f <= CJK_LAST) f = table[f - CJK_FIRST]!;
    t[c] = keep(f) ? f : 0;
  }
  return (foldTable = t);
}

/** Scratch buffers reused by every call on this thread: the hot path allocates no arrays. */
const scratchKept = new Units(1024);
const scratchOut = new Units(1024);

/** The words view. The arrays it returns are its own (safe to keep). */
export function normalizeWords(text: string): Normalized {
  return normalizeWordsTransient(text).result();
}

/**
 * The words view in scratch buffers, valid only until the next call on this thread: for the
 * detector's hot path, which maps its hits back before it returns and builds the string only
 * when a regex or the segmenter needs it.
 */
export function normalizeWordsTransient(text: string): Units {
  const n = text.length;
  const kept = scratchKept;
  kept.length = 0;
  const table = cjk();
  const folds = fold();
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const f = folds[c]!;
    if (f === 0) continue;
    if (f !== SLOW) {
      kept.push(f, i, i + 1);
      continue;
    }
    const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
    const raw = wide ? text.slice(i, i + 2) : text[i]!;
    const from = i;
    if (wide) i++;
    const word = EMOJI_WORDS.get(raw);
    if (word) {
      for (let k = 0; k < word.length; k++) kept.push(word.charCodeAt(k), from, i + 1);
      continue;
    }
    if (DROP.test(raw)) continue;
    const folded = raw.normalize('NFKC').toLowerCase();
    for (let k = 0; k < folded.length; k++) {
      let f = folded.charCodeAt(k);
      if (f >= CJK_FIRST && f <= CJK_LAST) f = table[f - CJK_FIRST]!;
      if (f < 0x80 ? !((f >= 0x61 && f <= 0x7a) || isDigit(f)) : DROP.test(String.fromCharCode(f))) continue;
      kept.push(f, from, i + 1);
    }
  }
  numeralRuns(kept, () => false);
  // multi-character evasions
  let hasVariant = false;
  for (let i = 0; i < kept.length && !hasVariant; i++) hasVariant = VARIANT_FIRST[kept.codes[i]!] === 1;
  if (!hasVariant) return kept;
  const out = scratchOut;
  out.length = 0;
  for (let i = 0; i < kept.length; ) {
    let replaced = false;
    if (VARIANT_FIRST[kept.codes[i]!] === 1) {
      for (const [pattern, replacement] of VARIANTS) {
        const len = pattern.length;
        if (i + len > kept.length) continue;
        let ok = true;
        for (let k = 0; k < len && ok; k++) ok = kept.codes[i + k] === pattern.charCodeAt(k);
        if (!ok) continue;
        for (let k = 0; k < replacement.length; k++) out.push(replacement.charCodeAt(k), kept.from[i]!, kept.to[i + len - 1]!);
        i += len;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out.push(kept.codes[i]!, kept.from[i]!, kept.to[i]!);
      i++;
    }
  }
  return out;
}

const DIGIT_SEPARATORS = new Set([0x20, 0x2d, 0x5f, 0x2e, 0xb7, 0x2010, 0x2011, 0x2013, 0x2014, 0x3000, 0x09]);
const isSep = (c: number) => DIGIT_SEPARATORS.has(c);

export function normalizeDigits(text: string): Normalized {
  const n = text.length;
  const all = new Units(n);
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff10 && c <= 0xff19) c -= 0xfee0;
    else if (c === 0xff38 || c === 0xff58) c = 0x58; // Ｘ ｘ
    all.push(c, i, i + 1);
  }
  numeralRuns(all, isSep);
  // drop separators that stand between two digits (at most two in a row)
  const out = new Units(n);
  for (let i = 0; i < all.length; i++) {
    const c = all.codes[i]!;
    if (isSep(c) && out.length) {
      let j = i + 1;
      while (j < all.length && isSep(all.codes[j]!)) j++;
      const prev = out.codes[out.length - 1]!;
      const next = j < all.length ? all.codes[j]! : -1;
      if (isDigit(prev) && (isDigit(next) || next === 0x58 || next === 0x78) && j - i <= 2) {
        i = j - 1;
        continue;
      }
    }
    out.push(c, all.from[i]!, all.to[i]!);
  }
  return out.result(false);
}

/** Original span of normalized units [s, e). */
export function originalSpan(n: Pick<Normalized, 'from' | 'to'>, s: number, e: number): [number, number] {
  return [n.from[s]!, n.to[e - 1]!];
}
