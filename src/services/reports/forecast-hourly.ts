// `report forecast --grain hour`: the next 24–72 hours of spend with 80 %/95 % bands
// (src/domain/forecast-hourly.ts), and for each cost quota whose window (period, daily or hourly
// sub-limit) ends inside the horizon, when it is projected to run out: from the expected hours, and from
// their 80 % upper edges (a cautious "may run out by").
import type { Db } from '../../db/database.js';
import type { UsageFilters } from '../../db/usage-filters.js';
import { forecastHourly, HOURLY_HISTORY_DAYS, type DayHours } from '../../domain/forecast-hourly.js';
import { Decimal } from '../../domain/money.js';
import { addCalendar, localDate, startOf, wallTime } from '../../domain/time.js';
import { evaluateQuotas, usageInWindows, usageOf } from '../limits/status.js';
import { periodLabel, rollUp, usageBuckets } from './buckets.js';
import { estimateString } from './estimate-format.js';

const HOUR = 3_600_000;
const SHARE_DAYS = 28;

export interface ForecastHour {
  hour: string;
  expected: string;
  lo80: string;
  hi80: string;
  lo95: string;
  hi95: string;
  /** Cost already recorded in the current hour. */
  actual_so_far?: Decimal;
}

export interface HourlyLimitProjection {
  name: string;
  scope: string;
  /** Which of the quota's limits: its period, or its daily or hourly sub-limit. */
  limit_kind: 'period' | 'daily' | 'hourly';
  limit: Decimal;
  used: Decimal;
  window_end: string;
  projected_at_window_end: string;
  /** The local hour the limit is projected to be reached in, from the expected hours. */
  runs_out_at: string | null;
  /** The same from the 80 % upper edges: the earliest it plausibly runs out. */
  may_run_out_at: string | null;
  already_exceeded: boolean;
}

export interface HourlyForecast {
  method: string;
  history_days: number;
  calibrated: boolean;
  hours: ForecastHour[];
  quotas: HourlyLimitProjection[];
}

/** Complete local days before today by wall-clock hour, and today's hours so far. */
async function hourlyHistory(db: Db, options: { at: Date; tz: string; filters?: UsageFilters }) {
  const { at, tz } = options;
  const today = startOf('day', at, tz);
  const from = addCalendar('day', today, -HOURLY_HISTORY_DAYS, tz);
  const buckets = await usageBuckets(db, { from, to: new Date(at.getTime() + 1) }, tz, options.filters, 'cost');
  const byDay = new Map<string, DayHours>();
  const hourStart = startOf('hour', at, tz);
  let currentCost = new Decimal(0);
  for (const b of rollUp(buckets, 'hour', from, new Date(at.getTime() + 1), tz)) {
    if (b.start.getTime() === hourStart.getTime()) currentCost = b.cost;
    const w = wallTime(b.start, tz);
    const key = localDate(b.start, tz);
    const day = byDay.get(key) ?? { weekday: w.isoWeekday - 1, hours: Array(24).fill(0) };
    day.hours[w.hour] += b.cost.toNumber();
    byDay.set(key, day);
  }
  const todayKey = localDate(today, tz);
  const past = [...byDay.entries()].filter(([k]) => k < todayKey).map(([, d]) => d);
  const first = past.findIndex((d) => d.hours.some((x) => x > 0));
  const w = wallTime(at, tz);
  return {
    hourStart,
    currentCost,
    history: first < 0 ? [] : past.slice(first),
    today: { weekday: w.isoWeekday - 1, hour: w.hour, hours: byDay.get(todayKey)?.hours ?? Array(24).fill(0) },
  };
}

export async function forecastSpendHourly(
  db: Db,
  options: { at: Date; tz: string; horizonHours: number; filters?: UsageFilters; skipLimits?: boolean },
): Promise<HourlyForecast> {
  const { at, tz, horizonHours } = options;
  const { history, today, hourStart, currentCost } = await hourlyHistory(db, options);
  const model = forecastHourly(history, today, horizonHours);
  const current = currentCost.toNumber();
  // The current hour costs at least what it already did.
  const points = model.points.map((p, k) =>
    k === 0
      ? {
          ...p,
          mean: Math.max(p.mean, current),
          lo80: Math.max(p.lo80, current),
          hi80: Math.max(p.hi80, current),
          lo95: Math.max(p.lo95, current),
          hi95: Math.max(p.hi95, current),
        }
      : p,
  );
  const hours: ForecastHour[] = points.map((p, k) => ({
    hour: periodLabel('hour', new Date(hourStart.getTime() + k * HOUR), tz),
    expected: estimateString(p.mean),
    lo80: estimateString(p.lo80),
    hi80: estimateString(p.hi80),
    lo95: estimateString(p.lo95),
    hi95: estimateString(p.hi95),
    ...(k === 0 ? { actual_so_far: currentCost } : {}),
  }));
  return {
    method:
      'daily forecast × intraday median shape per weekday, today scaled by its hours so far; conformal bands per hour ahead',
    history_days: history.length,
    calibrated: model.calibrated,
    hours,
    quotas: options.skipLimits ? [] : await hourlyLimitProjections(db, { at, tz, hourStart, points, current }),
  };
}

async function hourlyLimitProjections(
  db: Db,
  input: { at: Date; tz: string; hourStart: Date; points: Array<{ mean: number; hi80: number }>; current: number },
): Promise<HourlyLimitProjection[]> {
  const { at, tz, hourStart, points } = input;
  const horizonEnd = hourStart.getTime() + points.length * HOUR;
  const quotas = (await evaluateQuotas(db, { at, tz })).filter((q) => q.metric === 'cost');
  // A scope's share of all spend over the last 28 days scales the company-wide forecast, as for days.
  const shareStart = addCalendar('day', startOf('day', at, tz), -SHARE_DAYS, tz);
  const recent = quotas.length
    ? await usageInWindows(
        db,
        [
          ...quotas.map((q) => ({ key: `q:${q.name}`, scope: q.scope, model: q.model, start: shareStart })),
          { key: 'all', scope: { type: 'global' as const, value: null }, model: null, start: shareStart },
        ],
        at,
      )
    : new Map();
  const all = usageOf(recent, 'all').cost;
  const out: HourlyLimitProjection[] = [];
  for (const q of quotas) {
    const share = all.isZero() ? 0 : usageOf(recent, `q:${q.name}`).cost.div(all).toNumber();
    for (const sub of q.sub_limits) {
      if (!sub.window_end || sub.window_end.getTime() > horizonEnd) continue;
      const already = sub.used.gte(sub.limit);
      let expected = sub.used.toNumber();
      let cautious = expected;
      let runsOut: string | null = null;
      let mayRunOut: string | null = null;
      for (let k = 0; hourStart.getTime() + k * HOUR < sub.window_end.getTime(); k++) {
        const p = points[k]!;
        // The current hour: only what is still to come.
        expected += share * Math.max(0, p.mean - (k === 0 ? input.current : 0));
        cautious += share * Math.max(0, p.hi80 - (k === 0 ? input.current : 0));
        const label = periodLabel('hour', new Date(hourStart.getTime() + k * HOUR), tz);
        const limit = sub.limit.toNumber();
        if (!already && runsOut === null && expected >= limit) runsOut = label;
        if (!already && mayRunOut === null && cautious >= limit) mayRunOut = label;
      }
      out.push({
        name: q.name,
        scope: q.scope.type === 'global' ? 'global' : `${q.scope.type}:${q.scope.value}`,
        limit_kind: sub.kind,
        limit: sub.limit,
        used: sub.used,
        window_end: sub.window_end.toISOString(),
        projected_at_window_end: estimateString(expected),
        runs_out_at: runsOut,
        may_run_out_at: mayRunOut,
        already_exceeded: already,
      });
    }
  }
  return out;
}
