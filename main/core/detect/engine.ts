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
import { normalizeWords, normalizeWordsTransient, originalSpan, type Units } from './normalize.js';
import { detectPii } from './pii.js';
import { crossesClause, inWarningClause, isQuotedMention, mayBeMention } from './context.js';
import { anchorSpellings, hasHanzi, pinyinRegexSource, pinyinVariants } from './pinyin.js';
import { requiredLiterals } from './regexAnchors.js';
import type { Entry, Hit, Side, Speaker } from './types.js';

const NEGATIONS = ['不', '非', '无', '没有', '没', '不会', '不能', '不是', '不承诺', '不保证', '不得', '并非', '严禁', '禁止', '杜绝', '勿', '请勿', '不要', '不用', '无需', '别', '切勿', '绝不', '从不', '不可', '没法', '无法', '不再', '不存在'];
/**
 * Negations that take a whole verb phrase in their scope (不会再有保本理财, 不得向客户承诺返利,
 * 没法跟您保证收益): they cancel a term up to MODAL_REACH characters on, within the same clause.
 * Plain 不/没/没有 bind only the next word (没有风险，保本 is a promise).
 */
const MODAL_NEGATIONS = new Set(['请不要', '没办法', '不会', '不能', '不得', '严禁', '禁止', '杜绝', '请勿', '切勿', '绝不', '从不', '不可', '没法', '无法', '不再', '不存在', '不允许', '不准', '不应', '不该', '不敢', '不可能']);
const MODAL_REACH = 8;
/** categories of staff conduct (selling, moving, taking money, asking for secrets): a warning or a quotation of them is not the act */
const STAFF_SIDE = new Set(['guarantee', 'diversion', 'private_transfer', 'off_book', 'gift', 'pii']);
const NOT = '不'.charCodeAt(0);
/** the words view keeps Latin letters lower case: any of them and a pinyin spelling may be there */
const LATIN = /[a-z]/;
const NOT_HAVE = '没'.charCodeAt(0);
/** required factors checked per regex: more cut regex runs, but each adds Aho–Corasick matches */
const MAX_FACTORS = 3;
/**
 * Pinyin spellings added at most (a 60,000-term dictionary would otherwise add millions): the
 * first terms of the dictionary get them, which for the bundled one is every term (about 9,000).
 */
const MAX_SPELLINGS = 50_000;
/** characters of context either side of a term that needs word boundaries */
const BOUNDARY_CONTEXT = 6;
const NEGATION_REACH = 1; // normalized characters allowed between a negation and the term (不一定保本, but not 没有风险，保本)

type Compiled = { entry: Entry; exclusions: Set<number> };
type Pattern =
  | { kind: 'term'; rule: number }
  | { kind: 'b'; rule: number }
  | { kind: 'exclusion'; id: number }
  | { kind: 'negation'; length: number; modal: boolean }
  /**
   * a literal of one or more regexes' required factors (every match of a regex contains one
   * literal of each of its factors): one pattern per distinct literal, with every (regex, bit) it
   * serves, handled once per text however often it occurs (我, 转 occur in most chats)
   */
  | { kind: 'anchor'; slot: number; regexes: number[]; bits: number[] };

export type Segmenter = (text: string) => string[];

export class Detector {
  private readonly rules: Compiled[] = [];
  /** `factors`: the bits of its required factors (0 for a regex that always runs) */
  private readonly regexes: { rule: number; re: RegExp; spelled: RegExp | null; anchored: boolean; factors: number }[] = [];
  /** per regex: the detect() call in which its anchors last occurred, and which factors did */
  private regexSeen = new Int32Array(0);
  private regexFactors = new Int32Array(0);
  /** per regex: the bits of all its factors (the same as regexes[r].factors, in a typed array for the hot loop) */
  private regexNeed = new Int32Array(0);
  /** second parts of proximity rules seen in the current text: rule, start, end */
  private partBuf = new Int32Array(48);
  /** per anchor literal: the detect() call in which it last occurred */
  private anchorSeen = new Int32Array(0);
  private calls = 0;
  /** some regex has no anchor and runs on every text */
  private unanchored = false;
  private unanchoredIds: number[] = [];
  /** regexes whose anchors occurred in the current text, in the order first seen */
  private touched = new Int32Array(0);
  private readonly patterns: Pattern[] = [];
  private readonly ac: AhoCorasick;
  readonly size: number;

  constructor(
    entries: readonly Entry[],
    private readonly segment?: Segmenter,
    private readonly withPii = true,
    /** off only to prove, in tests, that the anchor prefilter never changes a result */
    prefilterRegexes = true,
  ) {
    const texts: string[] = [];
    const exclusionIds = new Map<string, number>();
    const add = (text: string, p: Pattern) => {
      texts.push(text);
      this.patterns.push(p);
    };
    let spellings = 0;
    const anchorOf = new Map<string, Extract<Pattern, { kind: 'anchor' }>>();
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
        // 您zhuan我卡上: every Chinese character of the pattern also as its pinyin (a match keeps one character)
        const spelled = pinyinRegexSource(entry.term);
        const factors = (prefilterRegexes && requiredLiterals(entry.term, MAX_FACTORS)) || [];
        const regex = this.regexes.length;
        // the spelled form only where the text has Latin letters at all: elsewhere it finds nothing more, and costs more
        this.regexes.push({ rule, re: new RegExp(entry.term, 'gu'), spelled: spelled === null ? null : new RegExp(spelled, 'gu'), anchored: factors.length > 0, factors: (1 << factors.length) - 1 });
        // anchors go in as written, not normalized: the regex itself runs on the normalized text
        // a required literal may be half spelled in the text too (zhuan for 转): its spellings anchor as well
        factors.forEach((literals, f) => {
          for (const a of spelled === null ? literals : literals.flatMap((l) => [l, ...anchorSpellings(l)])) {
            let p = anchorOf.get(a);
            if (!p) {
              p = { kind: 'anchor', slot: anchorOf.size, regexes: [], bits: [] };
              anchorOf.set(a, p);
              add(a, p);
            }
            p.regexes.push(regex);
            p.bits.push(1 << f);
          }
        });
      } else {
        const a = normalizeWords(entry.term).text;
        if (a) add(a, { kind: 'term', rule });
        // bao本, tou诉: half-spelled literal terms (proximity parts and regexes stay as written)
        if (a && entry.match === 'literal' && spellings < MAX_SPELLINGS) {
          for (const v of pinyinVariants(a)) {
            add(v, { kind: 'term', rule });
            spellings++;
          }
        }
        if (entry.match === 'proximity' && entry.termB) {
          const b = normalizeWords(entry.termB).text;
          if (b) add(b, { kind: 'b', rule });
        }
      }
    }
    for (const neg of new Set([...NEGATIONS, ...MODAL_NEGATIONS])) add(neg, { kind: 'negation', length: neg.length, modal: MODAL_NEGATIONS.has(neg) });
    this.ac = new AhoCorasick(texts);
    this.anchorSeen = new Int32Array(anchorOf.size);
    this.regexSeen = new Int32Array(this.regexes.length);
    this.regexFactors = new Int32Array(this.regexes.length);
    this.regexNeed = Int32Array.from(this.regexes, (r) => r.factors);
    this.touched = new Int32Array(this.regexes.length); // anchored ones touched + the unanchored: each regex once
    this.unanchoredIds = this.regexes.flatMap((r, i) => (r.anchored ? [] : [i]));
    this.unanchored = this.regexes.some((r) => !r.anchored);
    this.size = this.rules.length;
  }

  detect(text: string, side: Speaker = 'both'): Hit[] {
    const hits: Hit[] = [];
    if (text) {
      const n = normalizeWordsTransient(text);
      this.detectWords(text, n, side, hits);
      if (this.withPii) hits.push(...detectPii(text));
    }
    return hits.length > 1 ? hits.sort(byPosition) : hits;
  }

  /** per normalized position: the call in which a negation ended there (no clearing between calls) */
  private negationAt = new Int32Array(256);
  /** exclusion occurrences of the current call: pattern id, start, end */
  private exclusionBuf = new Int32Array(48);
  private modalBuf = new Int32Array(16);

  private detectWords(original: string, n: Units, side: Speaker, hits: Hit[]): void {
    const ac = this.ac;
    const count = ac.collect(n.codes, n.length);
    if (count === 0 && !this.unanchored) return;
    const ids = ac.matchId;
    const ends = ac.matchEnd;
    const call = ++this.calls;
    const regexSeen = this.regexSeen;
    if (this.negationAt.length < n.length + 1) this.negationAt = new Int32Array(Math.max(n.length + 1, this.negationAt.length * 2));
    const negationAt = this.negationAt;
    let exclusions = 0;
    let modals = 0;
    let candidates = 0;
    let anchors = 0;
    let parts = 0;
    for (let k = 0; k < count; k++) {
      const p = this.patterns[ids[k]!]!;
      if (p.kind === 'term') candidates++;
      else if (p.kind === 'b') {
        this.partBuf = room(this.partBuf, (parts + 1) * 3);
        this.partBuf[parts * 3] = p.rule;
        this.partBuf[parts * 3 + 1] = ends[k]! - ac.length(ids[k]!);
        this.partBuf[parts * 3 + 2] = ends[k]!;
        parts++;
      } else if (p.kind === 'anchor') {
        if (this.anchorSeen[p.slot] === call) continue;
        this.anchorSeen[p.slot] = call;
        for (let a = 0; a < p.regexes.length; a++) {
          const regex = p.regexes[a]!;
          if (regexSeen[regex] !== call) {
            regexSeen[regex] = call;
            this.regexFactors[regex] = 0;
            this.touched[anchors++] = regex;
          }
          this.regexFactors[regex]! |= p.bits[a]!;
        }
      } else if (p.kind === 'negation') {
        const e = ends[k]!;
        const st = e - p.length;
        // 能不能, 会不会, 有没有: a question, not a negation
        const c = n.codes[st]!;
        if ((c === NOT || c === NOT_HAVE) && st > 0 && st + 1 < n.length && n.codes[st - 1] === n.codes[st + 1]) continue;
        negationAt[e] = call;
        if (p.modal) {
          this.modalBuf = room(this.modalBuf, modals * 2 + 2);
          this.modalBuf[modals * 2] = st;
          this.modalBuf[modals * 2 + 1] = e;
          modals++;
        }
      }
      else if (p.kind === 'exclusion') {
        this.exclusionBuf = room(this.exclusionBuf, (exclusions + 1) * 3);
        const e = ends[k]!;
        this.exclusionBuf[exclusions * 3] = p.id;
        this.exclusionBuf[exclusions * 3 + 1] = e - ac.length(ids[k]!);
        this.exclusionBuf[exclusions * 3 + 2] = e;
        exclusions++;
      }
    }
    let normalizedText: string | null = null;
    let hasLatin: boolean | undefined;
    const regexTerms: { rule: number; s: number; e: number }[] = [];
    // only the regexes whose every factor occurred in this text (and any without anchors), in dictionary order
    const runs = this.touched;
    let runCount = 0;
    for (let t = 0; t < anchors; t++) {
      const r = runs[t]!;
      if (this.regexFactors[r] === this.regexNeed[r]) runs[runCount++] = r;
    }
    for (const r of this.unanchoredIds) runs[runCount++] = r;
    if (runCount) {
      // a handful at most: insertion sort in place (TypedArray#sort and a new array cost more)
      for (let i = 1; i < runCount; i++) {
        const v = runs[i]!;
        let j = i - 1;
        for (; j >= 0 && runs[j]! > v; j--) runs[j + 1] = runs[j]!;
        runs[j + 1] = v;
      }
      for (let ri = 0; ri < runCount; ri++) {
        const { rule, re: plain, spelled } = this.regexes[runs[ri]!]!;
        normalizedText ??= n.text();
        hasLatin ??= LATIN.test(normalizedText);
        const re = hasLatin && spelled ? spelled : plain;
        re.lastIndex = 0;
        for (let m = re.exec(normalizedText); m; m = re.exec(normalizedText)) {
          if (!m[0]) re.lastIndex++;
          else if (re === plain || hasHanzi(m[0])) regexTerms.push({ rule, s: m.index, e: m.index + m[0].length });
        }
      }
    }
    if (!candidates && !regexTerms.length) return;
    const job: Job = { original, n, side, hits, first: hits.length, count, exclusions, modals, parts, call, normalizedText };
    for (let k = 0; k < count; k++) {
      const p = this.patterns[ids[k]!]!;
      if (p.kind === 'term') this.consider(job, p.rule, ends[k]! - ac.length(ids[k]!), ends[k]!);
    }
    for (const t of regexTerms) this.consider(job, t.rule, t.s, t.e);
    if (job.cancelled) dropInsideCancelled(hits, job.first, job.cancelled);
  }

  /** A modal negation ending at most MODAL_REACH characters before ts, in the same clause of the original. */
  private modalBefore(job: Job, ts: number): boolean {
    for (let m = 0; m < job.modals; m++) {
      const e = this.modalBuf[m * 2 + 1]!;
      if (e > ts || ts - e > MODAL_REACH) continue;
      if (e === ts || !crossesClause(job.original, job.n.to[e - 1]!, job.n.from[ts]!)) return true;
    }
    return false;
  }

  /** Keeps a candidate unless its side, partner, exclusions, negation or word boundaries say otherwise. */
  private consider(job: Job, rule: number, ts: number, te: number): void {
    const { entry, exclusions: exIds } = this.rules[rule]!;
    if (!sideFits(entry.side ?? 'both', job.side)) return;
    const ac = this.ac;
    let s = ts;
    let e = te;
    if (entry.match === 'proximity') {
      const window = entry.window ?? 10;
      let found = false;
      const buf = this.partBuf;
      for (let k = 0; k < job.parts && !found; k++) {
        if (buf[k * 3] !== rule) continue;
        const bs = buf[k * 3 + 1]!;
        const be = buf[k * 3 + 2]!;
        if ((bs >= e ? bs - e : s - be) <= window && !(bs < e && be > s)) {
          s = Math.min(s, bs);
          e = Math.max(e, be);
          found = true;
        }
      }
      if (!found) return;
    }
    // an exclusion phrase occurring in the text and overlapping the hit cancels it (不保本 ⊃ 保本)
    if (exIds.size) {
      const buf = this.exclusionBuf;
      for (let x = 0; x < job.exclusions; x++) {
        if (buf[x * 3 + 1]! < e && buf[x * 3 + 2]! > s && exIds.has(buf[x * 3]!)) return cancel(job, entry.category, s, e);
      }
    }
    if ((entry.negatable ?? false) && (negatedBefore(this.negationAt, job.call, ts) || this.modalBefore(job, ts))) return cancel(job, entry.category, s, e);
    if (entry.boundary && this.segment && !onWordBoundaries(this.segment, (job.normalizedText ??= job.n.text()), ts, te)) return;
    const [start, end] = originalSpan(job.n, s, e);
    if (STAFF_SIDE.has(entry.category) && (job.mayBeMention ??= mayBeMention(job.original)) && (inWarningClause(job.original, start, end) || isQuotedMention(job.original, start, end))) return;
    const hits = job.hits;
    for (let h = job.first; h < hits.length; h++) {
      const o = hits[h]!;
      if (o.rule === entry.id && o.start === start && o.end === end) return;
    }
    hits.push({ category: entry.category, rule: entry.id, severity: entry.severity, start, end, match: job.original.slice(start, end) });
  }
}

/** One detectWords call's state, handed to consider(). */
type Job = {
  original: string;
  n: Units;
  side: Speaker;
  hits: Hit[];
  /** hits before this call's */
  first: number;
  /** Aho–Corasick matches and exclusion occurrences of this call */
  count: number;
  exclusions: number;
  /** modal negations of this call (start, end pairs in modalBuf) */
  modals: number;
  /** proximity rules' second parts of this call (rule, start, end triples in partBuf) */
  parts: number;
  call: number;
  normalizedText: string | null;
  /** whether the text holds a warning cue or a quotation mark at all (computed on the first staff-side hit) */
  mayBeMention?: boolean;
  /** spans (original offsets) of terms a negation or an exclusion cancelled, with their category */
  cancelled?: { category: string; start: number; end: number }[];
};

/** A scratch buffer with room for `need` cells: itself, or a copy twice as large (the per-call buffers only grow). */
function room(buf: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= buf.length) return buf;
  const grown = new Int32Array(Math.max(need, buf.length * 2));
  grown.set(buf);
  return grown;
}

/** Remembers a cancelled term: a shorter term of its category inside it goes with it. */
function cancel(job: Job, category: string, s: number, e: number): void {
  const [start, end] = originalSpan(job.n, s, e);
  (job.cancelled ??= []).push({ category, start, end });
}

/**
 * 我们不承诺保本保收益: the negation cancels 保本保收益, and with it 保收益 inside it, which on
 * its own has nothing just before it. A term lying inside a cancelled term of its own category
 * is part of that phrase, and the phrase's negation or exclusion is its too.
 */
function dropInsideCancelled(hits: Hit[], first: number, cancelled: { category: string; start: number; end: number }[]): void {
  let keep = first;
  for (let h = first; h < hits.length; h++) {
    const hit = hits[h]!;
    if (cancelled.some((c) => c.category === hit.category && c.start <= hit.start && hit.end <= c.end)) continue;
    hits[keep++] = hit;
  }
  hits.length = keep;
}

// comparators made once (not a closure per call: the hot path allocates nothing it need not)
const byPosition = (a: Hit, b: Hit) => a.start - b.start || b.end - a.end;

/** Staff talking among themselves (a compliance report quoting 承诺保本) is not a sales promise: only rules for both sides apply. */
function sideFits(ruleSide: Side, speaker: Speaker): boolean {
  if (speaker === 'internal') return ruleSide === 'both';
  return ruleSide === 'both' || speaker === 'both' || ruleSide === speaker;
}

/** A negation word ending at most NEGATION_REACH characters before the term. */
function negatedBefore(negationAt: Int32Array, call: number, start: number): boolean {
  for (let gap = 0; gap <= NEGATION_REACH; gap++) if (start - gap >= 0 && negationAt[start - gap] === call) return true;
  return false;
}

/**
 * Does jieba cut the text at both ends of [s, e)? Only a window of BOUNDARY_CONTEXT characters
 * either side is segmented: the words around a short term decide whether it stands alone
 * (确保本金 → 确保|本金, no 保本), and a 20-character window costs a third of a whole message.
 */
function onWordBoundaries(segment: Segmenter, text: string, s: number, e: number): boolean {
  const from = Math.max(0, s - BOUNDARY_CONTEXT);
  // the same phrase comes back again and again (templates, mass sends): segment each window once
  const key = `${s - from}:${e - from}:${text.slice(from, Math.min(text.length, e + BOUNDARY_CONTEXT))}`;
  let cache = boundaryCaches.get(segment);
  if (!cache) boundaryCaches.set(segment, (cache = new Map()));
  const known = cache.get(key);
  if (known !== undefined) return known;
  const answer = segmentedAt(segment, text, s, e, from);
  if (cache.size >= BOUNDARY_CACHE) cache.clear();
  cache.set(key, answer);
  return answer;
}

/** Answers by window, per segmenter (jieba's is shared by every detector, so the cache outlives dictionary changes). */
const boundaryCaches = new WeakMap<Segmenter, Map<string, boolean>>();
const BOUNDARY_CACHE = 8192;

function segmentedAt(segment: Segmenter, text: string, s: number, e: number, from: number): boolean {
  let at = from;
  let start = s === from;
  for (const token of segment(text.slice(from, Math.min(text.length, e + BOUNDARY_CONTEXT)))) {
    at += token.length;
    if (at === s) start = true;
    if (at === e) return start;
    if (at > e) return false;
  }
  return false;
}
