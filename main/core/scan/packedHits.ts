/**
 * A batch's hits as one Int32Array (text index, rule index, start, end per hit) and a small
 * table of the rules that fired: what the detection thread sends back. A million hit objects
 * cost the scan's thread about a second to receive (structured clone) and more to collect;
 * an Int32Array is transferred, not copied. The matched text is not sent: it is the text's own
 * slice [start, end), which the receiver holds.
 */
import type { Detector } from '../detect/engine.js';
import type { Hit, Speaker } from '../detect/types.js';

export type RuleInfo = Pick<Hit, 'rule' | 'category' | 'severity'>;
export type PackedHits = { cells: Int32Array; rules: RuleInfo[] };

/** Cells per hit: text index, rule index, start, end. */
export const CELLS = 4;

export function packHits(detector: Detector, texts: readonly string[], speakers: readonly Speaker[]): PackedHits {
  let cells = new Int32Array(texts.length * CELLS);
  let used = 0;
  const rules: RuleInfo[] = [];
  const ruleIndex = new Map<string, number>();
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t];
    if (!text) continue;
    for (const h of detector.detect(text, speakers[t]!)) {
      let r = ruleIndex.get(h.rule);
      if (r === undefined) {
        r = rules.length;
        ruleIndex.set(h.rule, r);
        rules.push({ rule: h.rule, category: h.category, severity: h.severity });
      }
      if (used + CELLS > cells.length) {
        const grown = new Int32Array(cells.length * 2 + CELLS * 64);
        grown.set(cells);
        cells = grown;
      }
      cells[used++] = t;
      cells[used++] = r;
      cells[used++] = h.start;
      cells[used++] = h.end;
    }
  }
  return { cells: cells.slice(0, used), rules };
}

/** Back to hit objects per text (tests, and anyone who wants them): the same as detect() on each. */
export function unpackHits(packed: PackedHits, texts: readonly string[]): Hit[][] {
  const out: Hit[][] = texts.map(() => []);
  const { cells, rules } = packed;
  for (let k = 0; k < cells.length; k += CELLS) {
    const t = cells[k]!;
    const r = rules[cells[k + 1]!]!;
    const start = cells[k + 2]!;
    const end = cells[k + 3]!;
    out[t]!.push({ category: r.category, rule: r.rule, severity: r.severity, start, end, match: texts[t]!.slice(start, end) });
  }
  return out;
}
