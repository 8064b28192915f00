/**
 * Customer personal information in chat: mainland ID numbers (18 digits, valid date and
 * checksum), bank card numbers (16–19 digits passing Luhn), mainland mobile numbers. Found on
 * the digits view so 138 0013 8000, 138-0013-8000 and 幺三八零零一三八零零零 all count.
 */
import { normalizeDigits, originalSpan } from './normalize.js';
import type { Hit } from './types.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function validIdNumber(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > Date.now()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11] === id[17]!.toUpperCase();
}

export function luhn(num: string): boolean {
  let sum = 0;
  for (let i = 0; i < num.length; i++) {
    let d = num.charCodeAt(num.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const NUMERALS = new Set([...'零〇洞一幺壹二两贰三叁四肆五伍六陆七拐柒八捌九勾玖'].map((c) => c.charCodeAt(0)));
/** 1 for every unit that can be a digit of a number (ASCII, full-width, Chinese numerals): one read a character */
const DIGITISH = new Uint8Array(65536);
for (let c = 0x30; c <= 0x39; c++) DIGITISH[c] = 1;
for (let c = 0xff10; c <= 0xff19; c++) DIGITISH[c] = 1;
for (const c of NUMERALS) DIGITISH[c] = 1;

const ID_RE = /(?<![0-9])[1-9]\d{16}[\dXx](?![0-9A-Za-z])/g;
const CARD_RE = /(?<![0-9])[3-69]\d{15,18}(?![0-9])/g;
const MOBILE_RE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g;

export function detectPii(text: string): Hit[] {
  // a mobile number, the shortest kind, has 11 digits: most messages have far fewer
  let digits = 0;
  for (let i = 0; i < text.length && digits < 11; i++) digits += DIGITISH[text.charCodeAt(i)]!;
  if (digits < 11) return [];
  const n = normalizeDigits(text);
  const hits: Hit[] = [];
  const push = (rule: string, severity: Hit['severity'], s: number, e: number) => {
    const [start, end] = originalSpan(n, s, e);
    hits.push({ category: 'pii', rule, severity, start, end, match: text.slice(start, end) });
  };
  const ids = new Set<number>();
  for (const m of n.text.matchAll(ID_RE)) {
    if (!validIdNumber(m[0])) continue;
    ids.add(m.index);
    push('pii.id_number', 'high', m.index, m.index + m[0].length);
  }
  for (const m of n.text.matchAll(CARD_RE)) {
    if (ids.has(m.index) || !luhn(m[0])) continue;
    push('pii.bank_card', 'high', m.index, m.index + m[0].length);
  }
  for (const m of n.text.matchAll(MOBILE_RE)) push('pii.mobile', 'medium', m.index, m.index + m[0].length);
  return hits;
}

/** How PII is shown by default: enough to recognise, not enough to use. */
export function maskPii(rule: string, match: string): string {
  const digits = match.replace(/[^0-9Xx]/g, '');
  if (rule === 'pii.id_number') return `${digits.slice(0, 6)}********${digits.slice(-4)}`;
  if (rule === 'pii.bank_card') return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
  if (rule === 'pii.mobile') return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return '*'.repeat(match.length);
}

/** The text with every PII number found in it masked in place (same length, separators kept), as an auditor sees it. */
export function maskTextPii(text: string): string {
  const keep: Record<string, [number, number]> = { 'pii.id_number': [6, 4], 'pii.bank_card': [4, 4], 'pii.mobile': [3, 4] };
  const chars = [...text.split('')];
  for (const h of detectPii(text)) {
    const [head, tail] = keep[h.rule] ?? [0, 0];
    const positions: number[] = [];
    for (let i = h.start; i < h.end; i++) if (/[0-9Xx０-９]/.test(chars[i]!) || NUMERALS.has(text.charCodeAt(i))) positions.push(i);
    positions.forEach((pos, k) => {
      if (k >= head && k < positions.length - tail) chars[pos] = '*';
    });
  }
  return chars.join('');
}
