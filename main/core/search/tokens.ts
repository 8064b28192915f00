/**
 * The search index's tokens: every overlapping pair of characters (a bigram), so that any
 * substring of two or more characters is a phrase of consecutive bigrams, found exactly by
 * FTS5, and a single character is a prefix query. Most Chinese words are two characters
 * (理财, 保本, 微信): a trigram index cannot serve them without a full scan.
 *
 * Each character is written as four base-36 digits, so a bigram is one 8-character ASCII
 * token that FTS5's `ascii` tokenizer keeps whole, whatever the characters were (CJK,
 * punctuation, emoji). A sentinel after the last character makes it the start of a bigram too.
 */

/** Case-folded, full-width ASCII to half-width; one UTF-16 unit in, one out, so offsets hold. */
export function foldForSearch(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out.length === text.length ? out : text;
}

const SENTINEL = '0000';
const cache = new Map<number, string>();
function code(cp: number): string {
  let s = cache.get(cp);
  if (s === undefined) {
    s = cp.toString(36).padStart(4, '0');
    if (cache.size < 65536) cache.set(cp, s);
  }
  return s;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of foldForSearch(text)) out.push(ch.codePointAt(0)!);
  return out;
}

/** The document side: all bigram tokens of a text, space-separated. */
export function bigramTokens(text: string): string {
  const cps = codePoints(text);
  if (!cps.length) return '';
  const parts: string[] = new Array(cps.length);
  for (let i = 0; i < cps.length; i++) parts[i] = code(cps[i]!) + (i + 1 < cps.length ? code(cps[i + 1]!) : SENTINEL);
  return parts.join(' ');
}

/** The query side: an FTS5 MATCH expression that finds exactly the texts containing q. */
export function matchExpression(q: string): string | null {
  const cps = codePoints(q);
  if (!cps.length) return null;
  if (cps.length === 1) return `${code(cps[0]!)}*`;
  const toks: string[] = [];
  for (let i = 0; i + 1 < cps.length; i++) toks.push(code(cps[i]!) + code(cps[i + 1]!));
  return `"${toks.join(' ')}"`;
}
