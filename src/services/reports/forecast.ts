// `report forecast`: daily spend forecast with 80 %/95 % bands (src/domain/forecast.ts), the expected
// total of the period, and for each cost quota and budget the projected total at its window end and the
// day it is projected to cross its limit.
import type { Db } from '../../db/database.js';
import { forecastDaily, FORECAST_HISTORY_DAYS } from '../../domain/forecast.js';
import { Decimal } from '../../domain/money.js';
import { addCalendar, localDate, startOf, wallTime } from '../../domain/time.js';
import { rollUp, usageBuckets } from './buckets.js';
import { estimateString } from './estimate-format.js';
import type { UsageFilters } from '../../db/usage-filters.js';
import { limitProjections, type LimitProjection } from './forecast-limits.js';

export interface ForecastOptions {
  at: Date;
  tz: string;
  /** Days to forecast from today (today = day 1). Default: to the end of the current month. */
  horizonDays?: number;
  toMonthEnd?: boolean;
  filters?: UsageFilters;
  /** Leave out quotas and budgets (e.g. a filtered forecast, where they would not match the figures). */
  skipLimits?: boolean;
  /** Local dates (YYYY-MM-DD) the model leaves out of its weekly profile and level (issue #21). */
  holidays?: readonly string[];
}

export interface ForecastDay {
  date: string;
  expected: string;
  lo80: string;
  hi80: string;
  lo95: string;
  hi95: string;
  /** Cost already recorded that day (today only). */
  actual_so_far?: Decimal;
}

export interface SpendForecast {
  method: string;
  history_days: number;
  calibrated: boolean;
  period: {
    from: string;
    to: string;
    actual_to_date: Decimal;
    expected_total: string;
    lo80: string;
    hi80: string;
    lo95: string;
    hi95: string;
  };
  days: ForecastDay[];
  quotas: LimitProjection[];
  budgets: LimitProjection[];
}

/** Daily cost history (complete local days, oldest first) and today's cost so far, as used by the model. */
export async function dailyHistory(db: Db, options: { at: Date; tz: string; days?: number; filters?: UsageFilters }) {
  const today = startOf('day', options.at, options.tz);
  const from = addCalendar('day', today, -(options.days ?? FORECAST_HISTORY_DAYS), options.tz);
  const buckets = await usageBuckets(
    db,
    { from, to: new Date(options.at.getTime() + 1) },
    options.tz,
    options.filters,
    'cost',
  );
  const days = rollUp(buckets, 'day', from, addCalendar('day', today, 1, options.tz), options.tz);
  const past = days.filter((d) => d.start.getTime() < today.getTime());
  const todayCost = days.find((d) => d.start.getTime() === today.getTime())?.cost ?? new Decimal(0);
  // Before the first day with any spend there is no history, only an empty database.
  const first = past.findIndex((d) => !d.cost.isZero());
  const history = first < 0 ? [] : past.slice(first);
  /** Exact cost of the complete days in [start, today), when they lie inside the history window. */
  const costSince = (start: Date): Decimal | undefined =>
    start.getTime() < from.getTime()
      ? undefined
      : past.filter((d) => d.start.getTime() >= start.getTime()).reduce((s, d) => s.plus(d.cost), new Decimal(0));
  return { today, history, todayCost, costSince };
}

export async function forecastSpend(db: Db, options: ForecastOptions): Promise<SpendForecast> {
  const { at, tz } = options;
  const { today, history, todayCost, costSince } = await dailyHistory(db, { at, tz, filters: options.filters });
  const monthStart = startOf('month', at, tz);
  const monthEnd = addCalendar('month', monthStart, 1, tz);
  const periodEnd =
    options.horizonDays !== undefined && !options.toMonthEnd
      ? addCalendar('day', today, options.horizonDays, tz)
      : monthEnd;
  const periodStart = options.horizonDays !== undefined && !options.toMonthEnd ? today : monthStart;
  const horizon = Math.max(1, Math.round((periodEnd.getTime() - today.getTime()) / 86_400_000));
  const firstSlot = history.length ? wallTime(history[0]!.start, tz).isoWeekday - 1 : 0;
  // Limits may end after the period: forecast far enough for them too (capped at a year).
  const limitHorizon = options.skipLimits ? horizon : Math.max(horizon, 366);
  const holidays = new Set(options.holidays ?? []);
  const model = forecastDaily(
    history.map((d) => d.cost.toNumber()),
    firstSlot,
    limitHorizon,
    holidays.size ? history.map((d) => holidays.has(localDate(d.start, tz))) : undefined,
  );
  const todayActual = todayCost.toNumber();
  // Today is partly over: it will cost at least what it already did.
  const points = model.points.map((p, i) =>
    i === 0
      ? {
          ...p,
          mean: Math.max(p.mean, todayActual),
          lo80: Math.max(p.lo80, todayActual),
          hi80: Math.max(p.hi80, todayActual),
          lo95: Math.max(p.lo95, todayActual),
          hi95: Math.max(p.hi95, todayActual),
        }
      : p,
  );
  const days: ForecastDay[] = points.slice(0, horizon).map((p, i) => ({
    date: localDate(addCalendar('day', today, i, tz), tz),
    expected: estimateString(p.mean),
    lo80: estimateString(p.lo80),
    hi80: estimateString(p.hi80),
    lo95: estimateString(p.lo95),
    hi95: estimateString(p.hi95),
    ...(i === 0 ? { actual_so_far: todayCost } : {}),
  }));
  // Exact spend recorded in the period before today; the forecast adds today and the days after.
  let before = costSince(periodStart) ?? new Decimal(0);
  if (periodStart.getTime() < today.getTime() && costSince(periodStart) === undefined) {
    for (const x of await usageBuckets(db, { from: periodStart, to: today }, tz, options.filters, 'cost'))
      before = before.plus(x.cost);
  }
  const sum = (k: 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95') =>
    points.slice(0, horizon).reduce((s, p) => s + p[k], 0) + before.toNumber();
  const limits = options.skipLimits
    ? { quotas: [], budgets: [] }
    : await limitProjections(db, {
        at,
        tz,
        today,
        points: points.map((p) => p.mean),
        todayActual,
        recentTotal: (costSince(addCalendar('day', today, -28, tz)) ?? new Decimal(0)).plus(todayCost),
      });
  return {
    method: model.method,
    history_days: history.length,
    calibrated: model.calibrated,
    period: {
      from: localDate(periodStart, tz),
      to: localDate(addCalendar('day', periodEnd, -1, tz), tz),
      actual_to_date: before.plus(todayCost),
      expected_total: estimateString(sum('mean')),
      // Summing per-day bands assumes the days' errors move together: a wide, cautious band.
      lo80: estimateString(sum('lo80')),
      hi80: estimateString(sum('hi80')),
      lo95: estimateString(sum('lo95')),
      hi95: estimateString(sum('hi95')),
    },
    days,
    ...limits,
  };
}
