// Forecasts and baselines are float estimates; they leave as decimal strings rounded to what is meaningful.
import { Decimal } from '../../domain/money.js';

/** 2 decimals from 1 upwards, else 4 significant digits (never exponent notation). */
export function estimateString(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const v = Math.max(0, x);
  if (v >= 1) return new Decimal(v.toFixed(2)).toFixed(2);
  if (v === 0) return '0.00';
  return new Decimal(v.toPrecision(4)).toFixed();
}
