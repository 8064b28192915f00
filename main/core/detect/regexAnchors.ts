/**
 * Required literals of a regular expression: factors, each a set of strings one of which must
 * occur in any text the expression matches (every factor, not just one). The detector puts them
 * into its Aho–Corasick pass and runs a regex rule only on texts where every factor occurred, so
 * 32 regex rules cost one table walk instead of 32 full regex runs per message (regexes were 2/3
 * of detection time before this).
 *
 * Conservative by construction: whatever this cannot prove (character classes, escapes, optional
 * parts, back-references) yields no anchor, and a regex without anchors simply always runs.
 * Deliberately small: it understands sequences, groups (capturing, non-capturing, named),
 * alternation, lookarounds (zero width, never required) and quantifiers — what dictionary
 * authors write. Anything else it does not recognise makes it give up (null).
 */

type Factor = string[]; // one of these strings must occur

/** The most selective of `source`'s required factors (at most `max`), or null when none can be proven. */
export function requiredLiterals(source: string, max = 8): string[][] | null {
  try {
    const p = new Parser(source);
    const factors = p.alternation().filter((f) => f.length && f.every((s) => s.length > 0));
    if (p.i !== source.length || !factors.length) return null;
    return factors
      .map((f) => [...new Set(f)])
      .sort((a, b) => (better(a, b) === a ? -1 : 1))
      .slice(0, max);
  } catch {
    return null;
  }
}

/**
 * Characters so frequent in chat that a factor made of them alone (我, 您|你, 给|送) occurs in most
 * messages: each occurrence is a match to handle and the regex runs anyway, so such a factor is
 * chosen last.
 */
const COMMON = new Set([...'的了我你您是不在有这那就都也要说给送好吗吧啊呢一个们他她它上下来去到会能可以和跟还没对么什点多少大小时候里面看想做让把被等过再很又只']);
const commonness = (f: Factor) => f.filter((s) => s.length === 1 && COMMON.has(s)).length;

/** Prefer the factor whose shortest string is longest (most selective), then fewer common characters, then the smaller set. */
function better(a: Factor, b: Factor): Factor {
  const ma = Math.min(...a.map((s) => s.length));
  const mb = Math.min(...b.map((s) => s.length));
  if (ma !== mb) return ma > mb ? a : b;
  const ca = commonness(a);
  const cb = commonness(b);
  if (ca !== cb) return ca < cb ? a : b;
  return a.length <= b.length ? a : b;
}

/** Where the character class opening at source[open] ends: the index after its ']' (a ']' first, or escaped, is inside it). */
export function classEnd(source: string, open: number): number {
  let j = open + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  /**
   * a|b|c: one branch alone keeps all its factors; several need a factor in every branch, and
   * their best factors' union is the one factor of the whole
   */
  alternation(): Factor[] {
    const branches: Factor[][] = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    if (branches.some((b) => !b.length)) return [];
    return [branches.flatMap((b) => b.reduce(better))];
  }

  /** the mandatory factors of a sequence: its literal runs and mandatory groups */
  sequence(): Factor[] {
    const factors: Factor[] = [];
    let run = '';
    const endRun = () => {
      if (run) factors.push([run]);
      run = '';
    };
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '|' || c === ')') break;
      if (c === '(') {
        const group = this.group();
        const mandatory = this.quantifier();
        endRun();
        if (group !== 'lookaround' && mandatory) factors.push(...group);
        continue;
      }
      if (c === '[') {
        this.skipClass();
        this.quantifier();
        endRun();
        continue;
      }
      if (c === '\\') {
        this.i += 2; // an escape: a class (\d), an assertion (\b) or a literal we do not try to decode
        if (this.s[this.i - 1] === 'u' || this.s[this.i - 1] === 'x' || this.s[this.i - 1] === 'p' || this.s[this.i - 1] === 'P') throw new Error('escape');
        this.quantifier();
        endRun();
        continue;
      }
      if (c === '^' || c === '$' || c === '.') {
        this.i++;
        this.quantifier();
        endRun();
        continue;
      }
      if (c === '?' || c === '*' || c === '+' || c === '{') throw new Error('dangling quantifier');
      // a literal code point (surrogate pairs stay together)
      const cp = this.s.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      this.i += ch.length;
      const mandatory = this.quantifier();
      const repeats = this.lastQuantifierRepeats;
      if (!mandatory) endRun();
      else if (repeats) {
        run += ch;
        endRun();
      } else run += ch;
    }
    endRun();
    return factors;
  }

  /** (…) after the parenthesis: the body's factor, or 'lookaround' */
  group(): Factor[] | 'lookaround' {
    this.i++; // (
    let look = false;
    if (this.s[this.i] === '?') {
      const next = this.s[this.i + 1];
      if (next === ':') this.i += 2;
      else if (next === '=' || next === '!') {
        this.i += 2;
        look = true;
      } else if (next === '<' && (this.s[this.i + 2] === '=' || this.s[this.i + 2] === '!')) {
        this.i += 3;
        look = true;
      } else if (next === '<') {
        const close = this.s.indexOf('>', this.i);
        if (close < 0) throw new Error('group name');
        this.i = close + 1;
      } else throw new Error('group kind');
    }
    const body = this.alternation();
    if (this.s[this.i] !== ')') throw new Error('unclosed group');
    this.i++;
    return look ? 'lookaround' : body;
  }

  private lastQuantifierRepeats = false;

  /** consumes a quantifier if any; true when the item must occur at least once */
  quantifier(): boolean {
    this.lastQuantifierRepeats = false;
    const c = this.s[this.i];
    let mandatory = true;
    if (c === '?' || c === '*') {
      this.i++;
      mandatory = false;
    } else if (c === '+') {
      this.i++;
      this.lastQuantifierRepeats = true;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.s.slice(this.i));
      if (!m) throw new Error('brace');
      this.i += m[0].length;
      mandatory = Number(m[1]) >= 1;
      this.lastQuantifierRepeats = true;
    } else return true;
    if (this.s[this.i] === '?') this.i++; // lazy
    return mandatory;
  }

  skipClass(): void {
    this.i = classEnd(this.s, this.i);
    if (this.s[this.i - 1] !== ']') throw new Error('unclosed class');
  }
}
