// Where usage stands against a limit: ok, warning, critical or exceeded, and which of a quota's limits
// (the period, the daily or the hourly sub-limit) binds. Pure; amounts are exact decimals.
import { Decimal } from './money.js';

export const QUOTA_STATES = ['ok', 'warning', 'critical', 'exceeded'] as const;
export type QuotaState = (typeof QUOTA_STATES)[number];

export const STATE_RANK: Record<QuotaState, number> = { ok: 0, warning: 1, critical: 2, exceeded: 3 };

export interface Thresholds {
  /** Fractions of the limit, 0 < warning < critical ≤ 1. */
  warning: Decimal;
  critical: Decimal;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warning: new Decimal('0.80'), critical: new Decimal('0.95') };

/**
 * used / limit as a percentage for people, 2 decimals rounded down (99.999 % must not read as 100 %);
 * states are decided on the exact amounts, never on this. Null when the limit is 0.
 */
export function percentage(used: Decimal, limit: Decimal): Decimal | null {
  if (limit.isZero()) return null;
  return used.times(100).div(limit).toDecimalPlaces(2, Decimal.ROUND_DOWN);
}

/**
 * The state of `used` against `limit`. Reaching the limit exactly counts as exceeded (nothing is left);
 * a zero limit is exceeded by any usage and ok with none.
 */
export function thresholdState(used: Decimal, limit: Decimal, t: Thresholds): QuotaState {
  if (limit.isZero()) return used.gt(0) ? 'exceeded' : 'ok';
  if (used.gte(limit)) return 'exceeded';
  if (used.gte(limit.times(t.critical))) return 'critical';
  if (used.gte(limit.times(t.warning))) return 'warning';
  return 'ok';
}

/** What is left before the limit; never negative (the state says by how much it is over). */
export function remaining(used: Decimal, limit: Decimal): Decimal {
  const left = limit.minus(used);
  return left.isNegative() ? new Decimal(0) : left;
}

/** A request of `amount` on top of `used` would go past `limit` (filling it exactly is still allowed). */
export function wouldExceed(used: Decimal, amount: Decimal, limit: Decimal): boolean {
  return used.plus(amount).gt(limit);
}

export interface LimitReading<K extends string = string> {
  kind: K;
  used: Decimal;
  limit: Decimal;
  state: QuotaState;
}

/**
 * The limit that binds: the worst state; among equals the fullest (highest used/limit); among those the
 * later in the list (callers list the period first, then daily, then hourly: the shorter window is the
 * one that will trip first). Compares used/limit by cross-multiplication, so no division is needed.
 */
export function bindingLimit<K extends string>(readings: LimitReading<K>[]): LimitReading<K> {
  if (readings.length === 0) throw new Error('bindingLimit: no limits');
  let best = readings[0]!;
  for (const r of readings.slice(1)) {
    const byState = STATE_RANK[r.state] - STATE_RANK[best.state];
    if (byState > 0 || (byState === 0 && fuller(r, best) >= 0)) best = r;
  }
  return best;
}

/** Sign of (a.used/a.limit − b.used/b.limit); a zero limit counts as infinitely full when used. */
function fuller(a: LimitReading, b: LimitReading): number {
  const ratio = (r: LimitReading) => (r.limit.isZero() ? (r.used.gt(0) ? Infinity : 0) : undefined);
  const ra = ratio(a);
  const rb = ratio(b);
  if (ra !== undefined || rb !== undefined) {
    const x = ra ?? 1;
    const y = rb ?? 1;
    return x === y ? 0 : x > y ? 1 : -1;
  }
  return a.used.times(b.limit).comparedTo(b.used.times(a.limit));
}

export function worstState(states: QuotaState[]): QuotaState {
  return states.reduce<QuotaState>((w, s) => (STATE_RANK[s] > STATE_RANK[w] ? s : w), 'ok');
}

/** `--fail-on warning` trips for warning, critical and exceeded. */
export function atOrPast(state: QuotaState, threshold: QuotaState): boolean {
  return STATE_RANK[state] >= STATE_RANK[threshold];
}

/** One rung of a quota's alert ladder: an extra percentage, or the warning, critical or exceeded level. */
export interface ThresholdLevel {
  /** Fraction of the limit (1 for exceeded). */
  fraction: Decimal;
  /** `extra` for a percentage the quota lists beyond the three named levels. */
  level: 'extra' | Exclude<QuotaState, 'ok'>;
}

/** Every level of a quota, lowest first: its extra fractions merged with warning, critical and exceeded. */
export function thresholdLadder(t: Thresholds, extra: readonly Decimal[]): ThresholdLevel[] {
  const named: ThresholdLevel[] = [
    { fraction: t.warning, level: 'warning' },
    { fraction: t.critical, level: 'critical' },
    { fraction: new Decimal(1), level: 'exceeded' },
  ];
  const extras = extra.map((fraction): ThresholdLevel => ({ fraction, level: 'extra' }));
  return [...extras, ...named].sort((a, b) => a.fraction.comparedTo(b.fraction));
}

/**
 * How many rungs of `ladder` (lowest first) `used` has reached: a rung at fraction f is reached at
 * used ≥ limit·f, as thresholdState decides; a zero limit is past every rung once anything is used.
 */
export function rungsReached(used: Decimal, limit: Decimal, ladder: readonly ThresholdLevel[]): number {
  if (limit.isZero()) return used.gt(0) ? ladder.length : 0;
  return ladder.filter((r) => used.gte(limit.times(r.fraction))).length;
}

/**
 * `50,75,90` (percentages of the limit) as sorted fractions. Each must be above 0 and below 100 (100 is
 * the exceeded alert), with at most 2 decimals, and listed once; `error` says what is wrong.
 */
export function parseThresholdPercents(text: string): { fractions: Decimal[] } | { error: string } {
  const parts = text.split(',').map((p) => p.trim().replace(/%$/, ''));
  if (parts.length === 1 && parts[0] === '') return { fractions: [] };
  const seen = new Set<string>();
  const fractions: Decimal[] = [];
  for (const p of parts) {
    if (!/^\d+(\.\d{1,2})?$/.test(p)) return { error: `"${p}" is not a percentage such as 75 or 87.5` };
    const pct = new Decimal(p);
    if (pct.lte(0) || pct.gte(100))
      return { error: `${pct.toFixed()} must be above 0 and below 100 (100 % is the exceeded alert)` };
    if (seen.has(pct.toFixed())) return { error: `${pct.toFixed()} is listed twice` };
    seen.add(pct.toFixed());
    fractions.push(pct.div(100));
  }
  if (fractions.length > 10) return { error: `at most 10 extra thresholds (got ${fractions.length})` };
  return { fractions: fractions.sort((a, b) => a.comparedTo(b)) };
}
