// `report anomalies` and the anomaly-scan job: days and hours whose cost is far from a robust,
// seasonality-aware baseline (src/domain/anomaly.ts), with expected vs actual, the impact in money and
// percent, and the users / models / departments that moved most. New anomalies are stored and raise one
// `anomaly` alert each; a second scan of the same buckets finds them stored and raises nothing.
import type { Db } from '../../db/database.js';
import { DAILY, HOURLY, scoreSeries, type SeasonShape, type Sensitivity } from '../../domain/anomaly.js';
import { Decimal } from '../../domain/money.js';
import { addCalendar, localDate, startOf } from '../../domain/time.js';
import { periodLabel, rollUp, type UsageBucket } from './buckets.js';
import { contributorsOf } from './anomaly-contributors.js';
import { anomalyStored, storeAnomaly } from './anomaly-store.js';
import type { Anomaly, AnomalyGrain } from './anomaly-types.js';
import type { FilterName, UsageFilters } from '../../db/usage-filters.js';
import { costSeries } from './anomaly-series.js';

export type { Anomaly, AnomalyGrain } from './anomaly-types.js';

export interface AnomalyScanOptions {
  at: Date;
  tz: string;
  /** When the scan runs (the alert's created_at); defaults to `at`. */
  now?: Date;
  sensitivity?: Sensitivity;
  /** Buckets scored: complete days/hours in [from, at). Default: the last 7 days. */
  from?: Date;
  grains?: AnomalyGrain[];
  /** Filtered scans are shown but neither stored nor alerted (they describe a slice, not the company). */
  filters?: UsageFilters;
  /**
   * Store each anomaly and raise its alert once (the anomaly-scan job). Without it the scan only reads, as a
   * report must; `new` then says an anomaly has not been stored and alerted yet.
   */
  store?: boolean;
  /** Most anomalies reported per grain (largest impact first). */
  limit?: number;
  /** Scan each of the top keys of this dimension (its own baseline per key) instead of the total. */
  dimension?: FilterName;
  /** Local dates (YYYY-MM-DD) that are neither scored nor part of a baseline. */
  holidays?: readonly string[];
}

export interface AnomalyScan {
  sensitivity: Sensitivity;
  scanned: { from: Date; to: Date; days: number; hours: number };
  found: number;
  created: number;
  anomalies: Anomaly[];
}

const HISTORY_DAYS = 28;
/**
 * An anomaly must also matter: its impact must be at least this share of a typical day's spend (the
 * median of the days with spend in the history). Without it, sparse or bursty traffic produces many
 * statistically odd but trivial hours (a $0.30 swing on a $2.50 day) that no operator wants an email about;
 * an hour or a day is reported when it moves at least a twentieth of a typical day's money.
 */
const MATERIALITY_SHARE_OF_DAY: Record<AnomalyGrain, number> = { hour: 0.02, day: 0.05 };

function toFixedDecimal(x: number): Decimal {
  return new Decimal(Number.isFinite(x) ? x.toFixed(6) : '0');
}

function detect(
  series: UsageBucket[],
  shape: SeasonShape,
  scoreFrom: Date,
  sensitivity: Sensitivity,
  holiday?: (b: UsageBucket) => boolean,
) {
  // Buckets before the first usage are "no data yet", not zero spend: they must not form a baseline.
  const offset = series.findIndex((b) => b.requests > 0n);
  if (offset < 0) return [];
  const values = series.slice(offset).map((b) => b.cost.toNumber());
  const first = series.findIndex((b, i) => i >= offset && b.start.getTime() >= scoreFrom.getTime());
  if (first < 0) return [];
  // A holiday is not scored; at day grain not in a baseline either (hours: measured worse, ANALYTICS.md).
  const mask = holiday ? series.slice(offset).map(holiday) : undefined;
  return scoreSeries(values, shape, sensitivity, first - offset, shape === DAILY ? mask : undefined)
    .filter((s) => s.anomalous && !mask?.[s.index])
    .map((s) => ({ ...s, index: s.index + offset }));
}

export async function runAnomalyScan(db: Db, options: AnomalyScanOptions): Promise<AnomalyScan> {
  const { at, tz } = options;
  const sensitivity = options.sensitivity ?? 'medium';
  const grains = options.grains ?? ['day', 'hour'];
  const hourEnd = startOf('hour', at, tz);
  const dayEnd = startOf('day', at, tz);
  const from = options.from ?? addCalendar('day', dayEnd, -7, tz);
  const historyFrom = addCalendar('day', startOf('day', from, tz), -HISTORY_DAYS, tz);
  const holidays = new Set(options.holidays ?? []);
  const holiday = holidays.size ? (b: UsageBucket) => holidays.has(localDate(b.start, tz)) : undefined;
  const found: Array<Omit<Anomaly, 'contributors' | 'new'> & { baselineStarts: Date[] }> = [];
  const collect = (
    grain: AnomalyGrain,
    series: UsageBucket[],
    shape: SeasonShape,
    dimension: Anomaly['dimension'],
    key: string,
    materiality: Decimal,
  ) => {
    const step = grain === 'day' ? 'day' : 'hour';
    // Consecutive anomalous buckets moving the same way are one event (a runaway hour after hour, or a
    // feed that stopped), reported and alerted once from its first bucket, not once per bucket.
    const runs: ReturnType<typeof detect>[] = [];
    for (const hit of detect(series, shape, from, sensitivity, holiday)) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (run && last && last.index === hit.index - 1 && last.direction === hit.direction) run.push(hit);
      else runs.push([hit]);
    }
    const hits = runs.map((run) => {
      const first = run[0]!;
      const last = run[run.length - 1]!;
      const b = series[first.index]!;
      const expected = run.reduce((sum, h) => sum.plus(toFixedDecimal(h.expected)), new Decimal(0));
      const actual = run.reduce((sum, h) => sum.plus(series[h.index]!.cost), new Decimal(0));
      const impact = actual.minus(expected);
      const strongest = run.reduce((a, h) => (Math.abs(h.score) > Math.abs(a.score) ? h : a), first);
      const baselineStarts = [1, 2, 3, 4]
        .map((k) => series[first.index - k * shape.season]?.start)
        .filter((d): d is Date => d !== undefined);
      const endLabel = run.length > 1 ? ` … ${periodLabel(step, series[last.index]!.start, tz)}` : '';
      return {
        grain,
        dimension,
        key,
        period: `${periodLabel(step, b.start, tz)}${endLabel}`,
        start: b.start,
        end: addCalendar(step, series[last.index]!.start, 1, tz),
        direction: first.direction,
        expected,
        actual,
        impact,
        impact_pct: expected.isZero() ? null : Math.round(impact.div(expected).times(10000).toNumber()) / 100,
        score: Math.round(strongest.score * 100) / 100,
        baselineStarts,
      };
    });
    found.push(...hits.filter((a) => a.impact.abs().gte(materiality)));
  };
  for (const s of await costSeries(db, {
    from: historyFrom,
    to: hourEnd,
    tz,
    filters: options.filters,
    dimension: options.dimension,
  })) {
    const days = rollUp(s.buckets, 'day', historyFrom, dayEnd, tz).filter((d) => d.start.getTime() < dayEnd.getTime());
    const typical = typicalDay(days);
    if (grains.includes('day'))
      collect('day', days, DAILY, s.dimension, s.key, typical.times(MATERIALITY_SHARE_OF_DAY.day));
    if (grains.includes('hour')) {
      collect(
        'hour',
        rollUp(s.buckets, 'hour', historyFrom, hourEnd, tz),
        HOURLY,
        s.dimension,
        s.key,
        typical.times(MATERIALITY_SHARE_OF_DAY.hour),
      );
    }
  }
  // The largest impacts first, per grain, up to the limit.
  const limited = grains.flatMap((g) =>
    found
      .filter((a) => a.grain === g)
      .sort((a, b) => b.impact.abs().comparedTo(a.impact.abs()))
      .slice(0, options.limit ?? 50),
  );

  const unfiltered = !options.filters || Object.values(options.filters).every((v) => !v || v.length === 0);
  const store = Boolean(options.store) && unfiltered;
  const anomalies: Anomaly[] = [];
  let created = 0;
  for (const a of limited) {
    const filters = a.dimension === 'total' ? options.filters : { ...options.filters, [a.dimension]: [a.key] };
    const contributors = await contributorsOf(db, {
      start: a.start,
      end: a.end,
      baselineStarts: a.baselineStarts,
      direction: a.direction,
      filters,
    });
    const { baselineStarts: _unused, ...rest } = a;
    const anomaly: Anomaly = { ...rest, contributors, new: false };
    if (store) anomaly.new = await storeAnomaly(db, anomaly, tz, options.now ?? at);
    else if (unfiltered) anomaly.new = !(await anomalyStored(db, anomaly));
    if (anomaly.new) created++;
    anomalies.push(anomaly);
  }
  anomalies.sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.grain.localeCompare(b.grain) || a.key.localeCompare(b.key),
  );
  return {
    sensitivity,
    scanned: {
      from,
      to: hourEnd,
      days: Math.max(0, Math.round((dayEnd.getTime() - startOf('day', from, tz).getTime()) / 86_400_000)),
      hours: Math.max(0, Math.round((hourEnd.getTime() - from.getTime()) / 3_600_000)),
    },
    found: anomalies.length,
    created,
    anomalies,
  };
}

/** The median spend of the days that had any spend (zero when none did). */
function typicalDay(days: UsageBucket[]): Decimal {
  const spent = days
    .map((d) => d.cost)
    .filter((c) => c.gt(0))
    .sort((a, b) => a.comparedTo(b));
  if (spent.length === 0) return new Decimal(0);
  const mid = Math.floor(spent.length / 2);
  return spent.length % 2 ? spent[mid]! : spent[mid - 1]!.plus(spent[mid]!).div(2);
}
