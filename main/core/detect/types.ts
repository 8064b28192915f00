/** Dictionary entries and hits: the vocabulary shared by the engine, the store and the UI. */

export const CATEGORIES = ['guarantee', 'diversion', 'private_transfer', 'off_book', 'pii', 'complaint', 'gift', 'behaviour'] as const;
export type Category = (typeof CATEGORIES)[number];
export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Side = 'staff' | 'customer' | 'both';
/** Who wrote a text: staff to a customer, a customer, staff among themselves, or unknown ('both'). */
export type Speaker = Side | 'internal';

export type Entry = {
  id: string;
  term: string;
  category: Category;
  severity: Severity;
  match: 'literal' | 'regex' | 'proximity';
  /** proximity: the second term, and the most characters between the two */
  termB?: string;
  window?: number;
  /** phrases that cancel a hit when they occur in the text overlapping it (不保本 around 保本) */
  exclusions?: string[];
  /** a negation word just before the term cancels it (不/非/无/不会/不承诺/严禁 …) */
  negatable?: boolean;
  /** who must say it: staff promises, customer complaints */
  side?: Side;
  /** check jieba word boundaries: for short terms often found inside longer harmless words */
  boundary?: boolean;
  enabled?: boolean;
  /** the clause enforced, cited for auditors */
  note?: string;
};

export type Hit = {
  category: Category;
  rule: string;
  severity: Severity;
  /** UTF-16 offsets into the original text, end exclusive */
  start: number;
  end: number;
  match: string;
};
