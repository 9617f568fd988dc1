// Which rollup buckets add up to a window. The rollup (src/services/limits/rollup.ts) keeps, per scope, sums
// for local calendar buckets: hours, days, weeks, months, years and all time. A window counts the rows
// with start ≤ ts ≤ at; this module covers that span with buckets, in two steps:
//  1. `planSpan`: the one bucket that starts at the window start (a monthly quota's month), used whole
//     when its newest row is not after `at` (always, unless rows are dated in the future), plus a
//     partial first hour when the start is not on a local hour (a quota reset mid-hour).
//  2. `coverSpan`, only when step 1's bucket holds rows after `at`: whole smaller buckets up to `at`
//     and, at the end, the hour containing `at`, which is used whole or else read from the rows.
// Bucket starts are the same instants `periodWindow` gives, so the two can never disagree.
import { BEGINNING_OF_TIME, periodWindow, type Period } from './windows.js';

export const GRAINS = ['hour', 'day', 'week', 'month', 'year', 'all'] as const;
export type Grain = (typeof GRAINS)[number];
export const GRAIN_ID: Record<Grain, number> = { hour: 0, day: 1, week: 2, month: 3, year: 4, all: 5 };

const PERIOD_OF: Record<Exclude<Grain, 'all'>, Period> = {
  hour: 'hourly',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
  year: 'yearly',
};

/** Bucket starts are stored in quarter hours since 1970: every local hour starts on one, in every zone in use since 1972. */
export const QUARTER_MS = 900_000;
/** Quarters fit in 24 bits (until the year 2448); rows outside [1970, 2448) are not rolled up and no window reaches them. */
export const QUARTER_BITS = 24;
export const ROLLUP_END = new Date(2 ** QUARTER_BITS * QUARTER_MS);

/** The bucket of `grain` that contains `instant`, in zone `tz`. */
export function bucketOf(grain: Exclude<Grain, 'all'>, instant: Date, tz: string): { start: Date; end: Date } {
  const w = periodWindow(PERIOD_OF[grain], instant, tz);
  return { start: w.start, end: w.end! };
}

/**
 * Quarter index of the start of each calendar bucket (hour, day, week, month, year) containing the
 * quarter `q`, or null when a local boundary does not fall on a quarter hour (no zone in use since 1972).
 */
export function bucketStartsOfQuarter(q: number, tz: string): number[] | null {
  const instant = new Date(q * QUARTER_MS);
  const out: number[] = [];
  for (const g of ['hour', 'day', 'week', 'month', 'year'] as const) {
    const start = bucketOf(g, instant, tz).start.getTime();
    if (start % QUARTER_MS !== 0) return null;
    out.push(start / QUARTER_MS);
  }
  return out;
}

/** A bucket whose rows all count. */
export interface WholePiece {
  kind: 'whole';
  grain: Grain;
  quarter: number;
}
/** A bucket that counts whole if its newest row is at or before `at`; else it must be covered finer. */
export interface TailPiece {
  kind: 'tail';
  grain: Grain;
  quarter: number;
}
/** Part of an hour bucket, [from, to) or [from, to]: whole, none, or read from the rows, by its min/max ts. */
export interface EdgePiece {
  kind: 'edge';
  grain: 'hour';
  quarter: number;
  from: number;
  to: number;
  toInclusive: boolean;
}
export type Piece = WholePiece | TailPiece | EdgePiece;

const LARGEST_FIRST = ['year', 'month', 'week', 'day', 'hour'] as const;
/** Grains that nest: a month never straddles a year, a day never a month. Weeks do not nest in months. */
const NESTED = ['year', 'month', 'day', 'hour'] as const;

function aligned(grain: Exclude<Grain, 'all'>, ms: number, tz: string): boolean {
  return bucketOf(grain, new Date(ms), tz).start.getTime() === ms;
}

/** The partial first hour when `start` is not on a local hour; returns where whole buckets may begin. */
function headEdge(start: number, at: number, tz: string, out: Piece[]): number {
  const hour = bucketOf('hour', new Date(start), tz);
  if (hour.start.getTime() === start) return start;
  const end = hour.end.getTime();
  out.push({
    kind: 'edge',
    grain: 'hour',
    quarter: hour.start.getTime() / QUARTER_MS,
    from: start,
    to: Math.min(end, at),
    toInclusive: at < end,
  });
  return end;
}

/** Step 1: the window [start, at] as its head edge (if any) and the largest bucket starting at the start. */
export function planSpan(start: Date, at: Date, tz: string): Piece[] {
  const out: Piece[] = [];
  const t = at.getTime();
  if (start.getTime() === BEGINNING_OF_TIME.getTime()) return [{ kind: 'tail', grain: 'all', quarter: 0 }];
  const p = headEdge(start.getTime(), t, tz, out);
  if (p > t) return out;
  const grain = LARGEST_FIRST.find((g) => aligned(g, p, tz))!;
  const end = bucketOf(grain, new Date(p), tz).end.getTime();
  out.push({ kind: end <= t ? 'whole' : 'tail', grain, quarter: p / QUARTER_MS });
  // A whole bucket that ends before `at` (a window longer than its largest aligned bucket, e.g. a
  // monthly window started by a reset on a Monday) leaves the rest to cover.
  if (end <= t) out.push(...coverSpan(new Date(end), at, tz));
  return out;
}

/**
 * Step 2: [start, at] as whole nested buckets, largest first, then the hour containing `at` as a tail
 * (whole if no row in it is after `at`, else read from the rows).
 */
export function coverSpan(start: Date, at: Date, tz: string): Piece[] {
  const out: Piece[] = [];
  const t = at.getTime();
  let p = start.getTime();
  while (p <= t) {
    // Off the local hour at the start (a reset), or where the zone's offset moved by a part of an hour.
    p = headEdge(p, t, tz, out);
    if (p > t) break;
    const grain = NESTED.find((g) => aligned(g, p, tz) && bucketOf(g, new Date(p), tz).end.getTime() <= t);
    if (!grain) {
      out.push({ kind: 'tail', grain: 'hour', quarter: p / QUARTER_MS });
      break;
    }
    out.push({ kind: 'whole', grain, quarter: p / QUARTER_MS });
    p = bucketOf(grain, new Date(p), tz).end.getTime();
  }
  return out;
}

/** Identity of a rollup entry: scope type, scope value ('' for global), model filter ('' for all). */
export const rollupScopeKey = (type: string, value: string, model: string) => `${type}\u0000${value}\u0000${model}`;

/** The rollup row key: (scope_id * 8 + grain) * 2^24 + quarter. */
export function rollupKey(scopeId: bigint, grain: Grain, quarter: number): bigint {
  return ((scopeId * 8n + BigInt(GRAIN_ID[grain])) << BigInt(QUARTER_BITS)) + BigInt(quarter);
}

/** rollupKey in SQL, over SQL expressions for the scope id, the grain id and the quarter. */
export const rollupKeySql = (scopeId: string, grain: string, quarter: string) =>
  `(${scopeId} * 8 + ${grain}) * ${2 ** QUARTER_BITS} + ${quarter}`;
