/**
 * The message times the archive accepts. A time outside this range cannot come from WeCom
 * (session archiving began in 2019; the format says msgtime is epoch milliseconds, 0 meaning
 * unknown), and accepting one would break what is derived from it: a JavaScript Date ends at
 * ±8.64e15 ms, and the search index's time key (msgtime · 2^20 + slot) must stay below 2^63,
 * which holds until 2^43 ms (year 2248). Year 2200 leaves room on both counts.
 */

/** 2200-01-01T00:00:00Z in epoch milliseconds: the first time no longer accepted. */
export const MAX_MSGTIME = Date.UTC(2200, 0, 1);

/** An epoch-millisecond time the archive can store and key exactly: an integer in [0, MAX_MSGTIME). */
export const isArchiveTime = (v: number): boolean => Number.isInteger(v) && v >= 0 && v < MAX_MSGTIME;
