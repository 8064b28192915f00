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
