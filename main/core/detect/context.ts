/**
 * Context around a hit in the original text: what a reader sees and a dictionary cannot. Staff
 * warn customers and each other in the very words the rules look for ("不能说'保本保收益'",
 * "自称我们行理财经理、让人加微信的是假冒的"); those are mentions, not promises.
 *
 * - A clause is what lies between clause punctuation (，。！？；and their ASCII forms, line
 *   breaks); the enumeration comma 、 stays inside, so "不存在任何返佣、返现" is one clause.
 * - A warning clause names fraud or a prohibition (假冒, 诈骗, 警惕, 别信, 红线, 引以为戒 …): a
 *   staff-side hit inside one is a warning, not a sale. Only the hit's own clause counts, so
 *   "别信那些假冒的，加我微信" still raises its hit.
 * - A quoted mention is a hit inside quotation marks in a sentence with such a cue or with
 *   说法/不能说 (reported speech).
 */

const CLAUSE_END = new Set([...'，,。！!？?；;\n\r']);
const SENTENCE_END = new Set([...'。！!？?\n\r']);
const QUOTES: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '"': '"', "'": "'" };

const WARNING_CUES = [
  '假冒', '冒充', '冒名', '诈骗', '骗子', '骗局', '电诈', '警惕', '谨防', '提防', '防范', '别信', '不要信', '不要相信', '别相信', '千万别信',
  '一律不要', '不要理', '别理', '不予理会', '红线', '引以为戒', '通报', '反面案例', '违规案例', '风险提示', '不是我们行', '不是我行', '并非我行',
  // a clause that calls the thing a violation, untrue, or something to refuse or report ("…属于违规行为", "如发现…")
  '都是违规', '属于违规', '是违规的', '违规行为', '是不实', '不实的', '被误导', '如发现', '如果有人', '如有人', '陌生人', '不可信', '请直接拒绝', '可以直接拒绝', '我们不能做', '我们不做',
];
const QUOTE_CUES = [...WARNING_CUES, '说法', '不能说', '不得说', '不要说', '别说', '禁止说', '严禁说', '不能讲', '不要讲', '违规', '禁用语', '不规范'];

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One pass over the text: most texts hold no cue and no quotation mark, and skip the clause checks. */
const ANY_CUE = new RegExp(`[“‘「『"']|${WARNING_CUES.map(escape).join('|')}`);
export function mayBeMention(text: string): boolean {
  return ANY_CUE.test(text);
}

function bounds(text: string, start: number, end: number, stops: Set<string>): [number, number] {
  let s = start;
  while (s > 0 && !stops.has(text[s - 1]!)) s--;
  let e = end;
  while (e < text.length && !stops.has(text[e]!)) e++;
  return [s, e];
}

export function clauseOf(text: string, start: number, end: number): string {
  const [s, e] = bounds(text, start, end, CLAUSE_END);
  return text.slice(s, e);
}

/** Whether the original text between two offsets crosses a clause boundary. */
export function crossesClause(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (CLAUSE_END.has(text[i]!)) return true;
  return false;
}

export function inWarningClause(text: string, start: number, end: number): boolean {
  const clause = clauseOf(text, start, end);
  return WARNING_CUES.some((c) => clause.includes(c));
}

export function isQuotedMention(text: string, start: number, end: number): boolean {
  const [s, e] = bounds(text, start, end, SENTENCE_END);
  // the nearest opening quote before the hit, still open at its start, closed after its end
  for (let i = start - 1; i >= s; i--) {
    const close = QUOTES[text[i]!];
    if (close === undefined) continue;
    if (close === text[i] && countOf(text, text[i]!, s, i) % 2 === 1) continue; // a straight quote closing an earlier one
    const closing = text.indexOf(close, end);
    if (closing < 0 || closing >= e || text.slice(i + 1, start).includes(close)) return false;
    const sentence = text.slice(s, e);
    return QUOTE_CUES.some((c) => sentence.includes(c));
  }
  return false;
}

function countOf(text: string, ch: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text[i] === ch) n++;
  return n;
}
