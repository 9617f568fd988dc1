// `report patterns`: cost and requests by local hour of day × day of week, the peak hours, and how much
// of the spend falls in the 3 busiest hours.
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { wallTime } from '../../domain/time.js';
import { usageBuckets } from './buckets.js';
import type { ReportScope } from './scope.js';

export interface PatternCell {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  total_cost: Decimal;
  requests: bigint;
}

export interface PatternsReport {
  total_cost: Decimal;
  requests: bigint;
  /** 7 × 24 cells, Monday 00 first; idle cells are zero. */
  cells: PatternCell[];
  by_hour: Array<{ hour: number; total_cost: Decimal; requests: bigint; share_pct: number | null }>;
  peak_hours: number[];
  top3_share_pct: number | null;
}

export async function patternsReport(db: Db, scope: ReportScope): Promise<PatternsReport> {
  const buckets = await usageBuckets(db, scope, scope.tz, scope.filters, 'cost');
  const cells: PatternCell[] = [];
  for (let d = 1; d <= 7; d++)
    for (let h = 0; h < 24; h++) cells.push({ weekday: d, hour: h, total_cost: new Decimal(0), requests: 0n });
  let total = new Decimal(0);
  let requests = 0n;
  for (const b of buckets) {
    const w = wallTime(b.start, scope.tz);
    const cell = cells[(w.isoWeekday - 1) * 24 + w.hour]!;
    cell.total_cost = cell.total_cost.plus(b.cost);
    cell.requests += b.requests;
    total = total.plus(b.cost);
    requests += b.requests;
  }
  const pct = (c: Decimal) => (total.isZero() ? null : Math.round(c.div(total).times(10000).toNumber()) / 100);
  const byHour = Array.from({ length: 24 }, (_, hour) => {
    let cost = new Decimal(0);
    let req = 0n;
    for (let d = 0; d < 7; d++) {
      cost = cost.plus(cells[d * 24 + hour]!.total_cost);
      req += cells[d * 24 + hour]!.requests;
    }
    return { hour, total_cost: cost, requests: req, share_pct: pct(cost) };
  });
  const ranked = [...byHour]
    .filter((h) => h.total_cost.gt(0))
    .sort((a, b) => b.total_cost.comparedTo(a.total_cost) || a.hour - b.hour);
  const peak = ranked.slice(0, 3);
  const top3 = peak.reduce((s, h) => s.plus(h.total_cost), new Decimal(0));
  return {
    total_cost: total,
    requests,
    cells,
    by_hour: byHour,
    peak_hours: peak.map((h) => h.hour),
    top3_share_pct: pct(top3),
  };
}
