/**
 * The detector: a compiled dictionary that finds hits in one text, with few false alarms.
 * Store-free (the `detect --jsonl` command needs no store), pure and reusable: compile once,
 * detect many; a changed dictionary is a new Detector, swapped in without a restart.
 *
 * One Aho–Corasick pass over the normalized text finds every literal term, every proximity
 * component and every exclusion phrase at once; then each candidate is kept only if no
 * exclusion occurrence overlaps it, no negation word stands just before it, the speaker's side
 * fits, and (where asked) it sits on jieba word boundaries.
 */
import { AhoCorasick } from './ahocorasick.js';
import { normalizeWords, originalSpan, type Normalized } from './normalize.js';
import { detectPii } from './pii.js';
import type { Entry, Hit, Side, Speaker } from './types.js';

const NEGATIONS = ['不', '非', '无', '没有', '没', '不会', '不能', '不是', '不承诺', '不保证', '不得', '并非', '严禁', '禁止', '杜绝', '勿', '请勿', '不要', '别', '切勿', '绝不', '从不', '不可'];
const NEGATION_REACH = 1; // normalized characters allowed between a negation and the term (不一定保本, but not 没有风险，保本)

type Compiled = { entry: Entry; exclusions: Set<number> };
type Pattern = { kind: 'term'; rule: number } | { kind: 'b'; rule: number } | { kind: 'exclusion'; id: number } | { kind: 'negation'; length: number };

export type Segmenter = (text: string) => string[];

export class Detector {
  private readonly rules: Compiled[] = [];
  private readonly regexes: { rule: number; re: RegExp }[] = [];
  private readonly patterns: Pattern[] = [];
  private readonly ac: AhoCorasick;
  readonly size: number;

  constructor(
    entries: readonly Entry[],
    private readonly segment?: Segmenter,
    private readonly withPii = true,
  ) {
    const texts: string[] = [];
    const exclusionIds = new Map<string, number>();
    const add = (text: string, p: Pattern) => {
      texts.push(text);
      this.patterns.push(p);
    };
    for (const entry of entries) {
      if (entry.enabled === false) continue;
      const rule = this.rules.length;
      const exclusions = new Set<number>();
      for (const ex of entry.exclusions ?? []) {
        const norm = normalizeWords(ex).text;
        if (!norm) continue;
        let id = exclusionIds.get(norm);
        if (id === undefined) {
          id = exclusionIds.size;
          exclusionIds.set(norm, id);
          add(norm, { kind: 'exclusion', id });
        }
        exclusions.add(id);
      }
      this.rules.push({ entry, exclusions });
      if (entry.match === 'regex') {
        this.regexes.push({ rule, re: new RegExp(entry.term, 'gu') });
      } else {
        const a = normalizeWords(entry.term).text;
        if (a) add(a, { kind: 'term', rule });
        if (entry.match === 'proximity' && entry.termB) {
          const b = normalizeWords(entry.termB).text;
          if (b) add(b, { kind: 'b', rule });
        }
      }
    }
    for (const neg of NEGATIONS) add(neg, { kind: 'negation', length: neg.length });
    this.ac = new AhoCorasick(texts);
    this.size = this.rules.length;
  }

  detect(text: string, side: Speaker = 'both'): Hit[] {
    const hits: Hit[] = [];
    if (text) {
      const n = normalizeWords(text);
      this.detectWords(text, n, side, hits);
      if (this.withPii) hits.push(...detectPii(text));
    }
    return hits.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  private detectWords(original: string, n: Normalized, side: Speaker, hits: Hit[]): void {
    const terms: { rule: number; s: number; e: number }[] = [];
    const bs = new Map<number, [number, number][]>();
    const exclusions: { id: number; s: number; e: number }[] = [];
    const negationEnds = new Map<number, number>(); // end → longest negation length ending there
    this.ac.scan(n.text, (id, s, e) => {
      const p = this.patterns[id]!;
      if (p.kind === 'term') terms.push({ rule: p.rule, s, e });
      else if (p.kind === 'b') (bs.get(p.rule) ?? bs.set(p.rule, []).get(p.rule)!).push([s, e]);
      else if (p.kind === 'exclusion') exclusions.push({ id: p.id, s, e });
      else negationEnds.set(e, Math.max(negationEnds.get(e) ?? 0, p.length));
    });
    for (const { rule, re } of this.regexes) {
      re.lastIndex = 0;
      for (const m of n.text.matchAll(re)) if (m[0]) terms.push({ rule, s: m.index, e: m.index + m[0].length });
    }
    if (!terms.length) return;
    let boundaries: Set<number> | null = null;
    const seen = new Set<string>();
    for (const t of terms) {
      const { entry, exclusions: exIds } = this.rules[t.rule]!;
      if (!sideFits(entry.side ?? 'both', side)) continue;
      let s = t.s;
      let e = t.e;
      if (entry.match === 'proximity') {
        const window = entry.window ?? 10;
        const partner = (bs.get(t.rule) ?? []).find(([bs_, be]) => (bs_ >= e ? bs_ - e : s - be) <= window && !(bs_ < e && be > s));
        if (!partner) continue;
        s = Math.min(s, partner[0]);
        e = Math.max(e, partner[1]);
      }
      // an exclusion phrase occurring in the text and overlapping the hit cancels it (不保本 ⊃ 保本)
      if (exIds.size && exclusions.some((x) => x.s < e && x.e > s && exIds.has(x.id))) continue;
      if ((entry.negatable ?? false) && negatedBefore(negationEnds, t.s)) continue;
      if (entry.boundary && this.segment) {
        boundaries ??= wordBoundaries(this.segment(n.text));
        if (!boundaries.has(t.s) || !boundaries.has(t.e)) continue;
      }
      const key = `${entry.id}:${s}:${e}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [start, end] = originalSpan(n, s, e);
      hits.push({ category: entry.category, rule: entry.id, severity: entry.severity, start, end, match: original.slice(start, end) });
    }
  }
}

/** Staff talking among themselves (a compliance report quoting 承诺保本) is not a sales promise: only rules for both sides apply. */
function sideFits(ruleSide: Side, speaker: Speaker): boolean {
  if (speaker === 'internal') return ruleSide === 'both';
  return ruleSide === 'both' || speaker === 'both' || ruleSide === speaker;
}

/** A negation word ending at most NEGATION_REACH characters before the term. */
function negatedBefore(negationEnds: Map<number, number>, start: number): boolean {
  for (let gap = 0; gap <= NEGATION_REACH; gap++) if (negationEnds.has(start - gap)) return true;
  return false;
}

function wordBoundaries(tokens: string[]): Set<number> {
  const set = new Set<number>([0]);
  let at = 0;
  for (const t of tokens) set.add((at += t.length));
  return set;
}
