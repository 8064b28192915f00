/**
 * Aho–Corasick over UTF-16 code units: all occurrences of many terms in one pass. Transitions
 * live in one Map keyed by state * 65536 + unit (numbers, no per-node objects), so 60,000
 * terms build in well under a second and the scan is one lookup per unit.
 */
export class AhoCorasick {
  private readonly goto = new Map<number, number>();
  private fail: Int32Array = new Int32Array(1);
  /** pattern ids ending at each state (own outputs) */
  private out: (number[] | undefined)[] = [undefined];
  /** nearest state on the fail chain with outputs, -1 for none */
  private dict: Int32Array = new Int32Array(1);
  private readonly lengths: number[] = [];
  private states = 1;

  constructor(patterns: readonly string[]) {
    const children: number[][] = [[]];
    patterns.forEach((p, id) => {
      this.lengths[id] = p.length;
      if (!p) return;
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const key = s * 65536 + p.charCodeAt(i);
        let next = this.goto.get(key);
        if (next === undefined) {
          next = this.states++;
          this.goto.set(key, next);
          children[s]!.push(p.charCodeAt(i));
          children[next] = [];
          this.out[next] = undefined;
        }
        s = next;
      }
      (this.out[s] ??= []).push(id);
    });
    this.fail = new Int32Array(this.states);
    this.dict = new Int32Array(this.states).fill(-1);
    const queue: number[] = [];
    for (const c of children[0]!) {
      const s = this.goto.get(c)!;
      queue.push(s);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi]!;
      for (const c of children[r]!) {
        const s = this.goto.get(r * 65536 + c)!;
        queue.push(s);
        let f = this.fail[r]!;
        let t = this.goto.get(f * 65536 + c);
        while (t === undefined && f !== 0) {
          f = this.fail[f]!;
          t = this.goto.get(f * 65536 + c);
        }
        const fs = t ?? 0;
        this.fail[s] = fs;
        this.dict[s] = this.out[fs] ? fs : this.dict[fs]!;
      }
    }
  }

  /** Calls onMatch(patternId, start, end) for every occurrence, end exclusive. */
  scan(text: string, onMatch: (id: number, start: number, end: number) => void): void {
    let s = 0;
    const goto = this.goto;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = goto.get(s * 65536 + c);
      while (t === undefined && s !== 0) {
        s = this.fail[s]!;
        t = goto.get(s * 65536 + c);
      }
      s = t ?? 0;
      for (let o = this.out[s] ? s : this.dict[s]!; o > 0; o = this.dict[o]!) {
        for (const id of this.out[o]!) onMatch(id, i + 1 - this.lengths[id]!, i + 1);
      }
    }
  }
}
