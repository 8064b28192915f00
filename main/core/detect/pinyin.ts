/**
 * Pinyin evasions: people half-spell the word a rule looks for (bao本, 稳zhuan不pei, tou诉, fan现)
 * so that a plain dictionary misses it. For a short all-Chinese literal term the detector also
 * matches every mixed spelling: at least one character kept, at least one spelled in toneless
 * pinyin (every reading of a character with several). Whole-pinyin spellings are left out:
 * "fanxian" or "tousu" alone are too easily part of other Latin text.
 *
 * Readings come from pinyin-pro (a maintained dictionary of readings), once per character.
 */
import { pinyin } from 'pinyin-pro';
import { classEnd } from './regexAnchors.js';

const MAX_TERM = 4; // 2^4 - 2 masks at most; longer terms are rarely spelled out
const MAX_VARIANTS = 96;
const CJK = /^[\u3400-\u9fff]+$/;

const readingsCache = new Map<string, string[]>();
function readings(ch: string): string[] {
  let r = readingsCache.get(ch);
  if (!r) {
    const found = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' }) as string[];
    // ü is typed v (lv, nv) or u
    r = [...new Set(found.flatMap((p) => (p.includes('ü') ? [p.replaceAll('ü', 'v'), p.replaceAll('ü', 'u')] : [p])).filter((p) => /^[a-z]+$/.test(p)))];
    readingsCache.set(ch, r);
  }
  return r;
}

/** The mixed hanzi/pinyin spellings of a normalized term (empty for anything but 2–4 Chinese characters). */
export function pinyinVariants(term: string): string[] {
  const chars = [...term];
  if (chars.length < 2 || chars.length > MAX_TERM || !CJK.test(term)) return [];
  const out: string[] = [];
  const full = (1 << chars.length) - 1;
  for (let mask = 1; mask < full && out.length < MAX_VARIANTS; mask++) {
    let spellings = [''];
    for (let i = 0; i < chars.length; i++) {
      const options = mask & (1 << i) ? readings(chars[i]!) : [chars[i]!];
      if (!options.length) {
        spellings = [];
        break;
      }
      spellings = spellings.flatMap((s) => options.map((o) => s + o));
    }
    out.push(...spellings);
  }
  return out.slice(0, MAX_VARIANTS);
}

const CJK_CHAR = /[\u3400-\u9fff]/;

/**
 * A regular expression rule that also matches half-spelled text (您zhuan我卡上, 把mi码发我): every
 * Chinese character written literally in the pattern (not inside a [class], not escaped) becomes
 * (?:字|its readings). Null when the pattern has no such character. Whole-pinyin matches are the
 * caller's to refuse (hasHanzi): as for literal terms, at least one character must stay Chinese.
 */
export function pinyinRegexSource(source: string): string | null {
  let out = '';
  let changed = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '[') {
      // a class stays as written ([证障] must not become alternatives inside brackets)
      const end = classEnd(source, i);
      out += source.slice(i, end);
      i = end - 1;
      continue;
    }
    const spelled = CJK_CHAR.test(c) ? readings(c) : [];
    if (spelled.length) {
      out += `(?:${c}|${spelled.join('|')})`;
      changed = true;
    } else out += c;
  }
  return changed ? out : null;
}

/** Whether a match keeps at least one Chinese character (a whole-pinyin match is too easily other Latin text). */
export function hasHanzi(text: string): boolean {
  return CJK_CHAR.test(text);
}

/**
 * The spellings of a regex's required literal under which pinyinRegexSource's form can match it:
 * one character, its readings; two to four, the mixed spellings and the whole-pinyin ones (the
 * match's hanzi may lie elsewhere). Longer literals get none: their spelled forms are not looked
 * for (a rule's literals are mostly short; a long one is matched as written).
 */
export function anchorSpellings(literal: string): string[] {
  const chars = [...literal];
  if (!CJK.test(literal) || chars.length > MAX_TERM) return [];
  if (chars.length === 1) return readings(literal);
  let whole = [''];
  for (const c of chars) whole = whole.flatMap((s) => readings(c).map((r) => s + r)).slice(0, MAX_VARIANTS);
  return [...pinyinVariants(literal), ...whole];
}
