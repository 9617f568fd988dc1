// The analytics services some jobs use (forecast, anomaly detection), wired in one place. Until they
// exist the jobs say "not available" instead of inventing figures.
import type { Db } from '../src/db/database.js';
import type { Decimal } from '../src/domain/money.js';

export interface ForecastAnswer {
  value: Decimal | null;
  note: string;
}

export async function forecastMonthEnd(_db: Db, _now: Date, _tz: string): Promise<ForecastAnswer> {
  return { value: null, note: 'not available (no forecast service in this build)' };
}

export interface AnomalyAnswer {
  available: boolean;
  found: number;
  note: string;
}

export async function scanAnomalies(_db: Db, _now: Date, _tz: string): Promise<AnomalyAnswer> {
  return { available: false, found: 0, note: 'not available (no anomaly detection service in this build)' };
}
