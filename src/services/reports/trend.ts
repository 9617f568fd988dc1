// `report trend`: cost, requests and tokens per local hour/day/week/month, idle periods as zero rows.
import type { Db } from '../../db/database.js';
import type { Decimal } from '../../domain/money.js';
import { periodLabel, rollUp, usageBuckets } from './buckets.js';
import type { ReportScope } from './scope.js';

export const TREND_UNITS = ['hour', 'day', 'week', 'month'] as const;
export type TrendUnit = (typeof TREND_UNITS)[number];

export interface TrendRow {
  period: string;
  period_start: Date;
  total_cost: Decimal;
  requests: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  cache_read_tokens: bigint;
  /** Change of cost from the previous period in percent; null for the first period or after a zero. */
  change_pct: number | null;
}

export async function trendReport(db: Db, scope: ReportScope & { by: TrendUnit; now?: Date }): Promise<TrendRow[]> {
  const buckets = await usageBuckets(db, scope, scope.tz, scope.filters);
  // Periods that have not started yet (the rest of this month) are not shown as zeros.
  const end = scope.now && scope.now.getTime() < scope.to.getTime() ? new Date(scope.now.getTime() + 1) : scope.to;
  const periods = rollUp(buckets, scope.by, scope.from, end, scope.tz);
  return periods.map((p, i) => {
    const prev = periods[i - 1];
    const change = prev && !prev.cost.isZero() ? p.cost.minus(prev.cost).div(prev.cost).times(100).toNumber() : null;
    return {
      period: periodLabel(scope.by, p.start, scope.tz),
      period_start: p.start,
      total_cost: p.cost,
      requests: p.requests,
      input_tokens: p.inputTokens,
      output_tokens: p.outputTokens,
      cache_read_tokens: p.cacheReadTokens,
      change_pct: change === null ? null : Math.round(change * 100) / 100,
    };
  });
}
