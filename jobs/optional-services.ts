// The analytics services the jobs use (forecast, anomaly detection), wired in one place so a job can
// say "not available" instead of inventing figures when one of them fails.
import type { Db } from '../src/db/database.js';
import { Decimal } from '../src/domain/money.js';
import { runAnomalyScan } from '../src/services/reports/anomalies.js';
import { forecastSpend } from '../src/services/reports/forecast.js';

export interface ForecastAnswer {
  value: Decimal | null;
  note: string;
}

/** Expected spend of the whole current month (actual to date plus the forecast of the rest). */
export async function forecastMonthEnd(db: Db, now: Date, tz: string): Promise<ForecastAnswer> {
  try {
    const f = await forecastSpend(db, { at: now, tz, toMonthEnd: true, skipLimits: true });
    return { value: new Decimal(f.period.expected_total), note: `${f.period.from} … ${f.period.to} (${f.method})` };
  } catch (e) {
    return { value: null, note: `not available (${(e as Error).message.split('\n')[0]})` };
  }
}

export interface AnomalyAnswer {
  available: boolean;
  found: number;
  created: number;
  note: string;
}

/** Scores the latest complete hours and days; the scan itself stores each anomaly and raises its alert once. */
export async function scanAnomalies(
  db: Db,
  now: Date,
  tz: string,
  holidays: readonly string[] = [],
): Promise<AnomalyAnswer> {
  const scan = await runAnomalyScan(db, { at: now, tz, now, holidays, store: true });
  return {
    available: true,
    found: scan.found,
    created: scan.created,
    note: `${scan.found} found, ${scan.created} new`,
  };
}
