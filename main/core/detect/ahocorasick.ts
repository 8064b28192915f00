/**
 * Aho–Corasick over UTF-16 code units: all occurrences of many terms in one pass.
 *
 * Transitions are flat typed arrays: the root has a dense table (one slot per code unit, since
 * nearly every step of a scan starts over at the root), every other state a short run of
 * (unit, next) edges in one shared array, sorted by unit (most states have one or two). No
 * objects per state and no hashing, so 60,000 terms build in well under a second and a scan is a
 * table read or a few comparisons per unit.
 */
export class AhoCorasick {
  private readonly root = new Int32Array(65536); // 0 = no edge (state 0 is the root itself)
  private edgeStart: Int32Array = new Int32Array(1);
  private edgeCount: Int32Array = new Int32Array(1);
  private edgeUnit: Uint16Array = new Uint16Array(0);
  private edgeNext: Int32Array = new Int32Array(0);
  private fail: Int32Array = new Int32Array(1);
  /** pattern ids ending at each state (own outputs) */
  private readonly out: (number[] | undefined)[] = [undefined];
  /** nearest state on the fail chain with outputs, -1 for none */
  private dict: Int32Array = new Int32Array(1);
  private readonly lengths: number[] = [];
  /** the same outputs flattened for the scan: outIds[outStart[s] .. + outCount[s]) */
  private outStart: Int32Array = new Int32Array(1);
  private outCount: Int32Array = new Int32Array(1);
  private outIds: Int32Array = new Int32Array(0);

  constructor(patterns: readonly string[]) {
    // 1. a trie, built with per-state maps (once), then flattened
    const children: Map<number, number>[] = [new Map()];
    patterns.forEach((p, id) => {
      this.lengths[id] = p.length;
      if (!p) return;
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let next = children[s]!.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          children[s]!.set(c, next);
          this.out[next] = undefined;
        }
        s = next;
      }
      (this.out[s] ??= []).push(id);
    });
    const states = children.length;
    this.edgeStart = new Int32Array(states);
    this.edgeCount = new Int32Array(states);
    let edges = 0;
    for (const m of children) edges += m.size;
    this.edgeUnit = new Uint16Array(edges);
    this.edgeNext = new Int32Array(edges);
    let at = 0;
    children.forEach((m, s) => {
      this.edgeStart[s] = at;
      this.edgeCount[s] = m.size;
      for (const [c, next] of [...m].sort((a, b) => a[0] - b[0])) {
        this.edgeUnit[at] = c;
        this.edgeNext[at] = next;
        at++;
      }
    });
    for (const [c, next] of children[0]!) this.root[c] = next;
    this.outStart = new Int32Array(states);
    this.outCount = new Int32Array(states);
    this.outIds = new Int32Array(patterns.length);
    let outAt = 0;
    for (let st = 0; st < states; st++) {
      const own = this.out[st];
      this.outStart[st] = outAt;
      this.outCount[st] = own?.length ?? 0;
      for (const id of own ?? []) this.outIds[outAt++] = id;
    }
    // 2. failure links, breadth first
    this.fail = new Int32Array(states);
    this.dict = new Int32Array(states).fill(-1);
    const queue: number[] = [...children[0]!.values()];
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi]!;
      for (const [c, s] of children[r]!) {
        queue.push(s);
        let f = this.fail[r]!;
        let t = this.step(f, c);
        while (t < 0 && f !== 0) {
          f = this.fail[f]!;
          t = this.step(f, c);
        }
        const fs = t < 0 ? 0 : t;
        this.fail[s] = fs === s ? 0 : fs;
        this.dict[s] = this.out[this.fail[s]!] ? this.fail[s]! : this.dict[this.fail[s]!]!;
      }
    }
  }

  /** The goto function: next state on unit c, or -1 (the root never fails: it stays at 0). */
  private step(s: number, c: number): number {
    if (s === 0) return this.root[c]!;
    const start = this.edgeStart[s]!;
    const n = this.edgeCount[s]!;
    if (n <= 8) {
      for (let i = start; i < start + n; i++) if (this.edgeUnit[i] === c) return this.edgeNext[i]!;
      return -1;
    }
    let lo = start;
    let hi = start + n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.edgeUnit[mid]!;
      if (u === c) return this.edgeNext[mid]!;
      if (u < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Calls onMatch(patternId, start, end) for every occurrence, end exclusive. */
  scan(text: string, onMatch: (id: number, start: number, end: number) => void): void {
    const codes = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
    const count = this.collect(codes, codes.length);
    for (let k = 0; k < count; k++) {
      const id = this.matchId[k]!;
      const end = this.matchEnd[k]!;
      onMatch(id, end - this.lengths[id]!, end);
    }
  }

  /** Pattern ids and end offsets of the last collect(), valid until the next call. */
  matchId = new Int32Array(64);
  matchEnd = new Int32Array(64);

  /** Length of pattern `id`. */
  length(id: number): number {
    return this.lengths[id]!;
  }

  /**
   * Every occurrence in codes[0, length) into matchId/matchEnd (the hot path: no callback, no
   * string, no allocation once the buffers have grown); returns how many.
   */
  collect(codes: Uint16Array, length: number): number {
    let count = 0;
    let s = 0;
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      let t = this.step(s, c);
      while (t < 0) {
        s = this.fail[s]!;
        t = this.step(s, c);
      }
      s = t;
      for (let o = this.outCount[s] ? s : this.dict[s]!; o > 0; o = this.dict[o]!) {
        for (let j = this.outStart[o]!, last = j + this.outCount[o]!; j < last; j++) {
          const id = this.outIds[j]!;
          if (count === this.matchId.length) {
            const ids = new Int32Array(count * 2);
            ids.set(this.matchId);
            const ends = new Int32Array(count * 2);
            ends.set(this.matchEnd);
            this.matchId = ids;
            this.matchEnd = ends;
          }
          this.matchId[count] = id;
          this.matchEnd[count] = i + 1;
          count++;
        }
      }
    }
    return count;
  }
}
