/**
 * Prediction bands for the daily forecast, calibrated per horizon.
 *
 * Method (docs/ANALYTICS.md):
 * 1. Rolling origins over the last (up to) 26 weeks of history, each with the point model's own 56-day
 *    window, give log-ratio errors e = ln((actual + c)/(forecast + c)) for h = 1…7 days ahead (c = 5 % of
 *    the median day, so quiet days do not explode the ratio). Six months of origins rather than the five
 *    weeks the point model sees: ~180 errors per horizon instead of ~35.
 * 2. Growth in h: the mean |e| at each horizon is fitted by s(h) = s₁·h^γ (least squares on logs, γ held in
 *    [0, ½]). On seasonal series errors barely grow with h (γ near 0); a random walk's grow like √h (γ = ½).
 *    Dividing by √h, as before, made h = 1 too narrow and h = 7 too wide.
 * 3. The errors divided by s(h) are pooled, and their finite-sample (split-conformal) quantiles give each
 *    band: the k-th smallest of n with k = ⌈(n+1)(1 − α/2)⌉ above and ⌊(n+1)·α/2⌋ below, so a band covers
 *    at least its level when the errors are exchangeable, and no more than it must.
 * 4. The band at h is (forecast + c)·exp(q·s(h)) − c, never below 0, and always holds the forecast.
 * Float math is fine here: these are estimates.
 */
import { mean } from './stats.js';

/** Days of rolling origins the bands are calibrated on (each origin sees the point model's own window). */
export const CALIBRATION_DAYS = 182;
/** Horizons calibrated directly; longer ones follow the fitted growth s(h). */
export const CALIBRATED_HORIZONS = 7;
const MIN_ERRORS = 30;
const MIN_PER_HORIZON = 8;

export interface BandQuantiles {
  lo95: number;
  lo80: number;
  hi80: number;
  hi95: number;
}

export interface BandModel {
  /** The scale of the log error h days ahead. */
  scale(h: number): number;
  /** Quantiles of the scaled log errors. */
  q: BandQuantiles;
  /** How many errors the quantiles were taken from. */
  errors: number;
  gamma: number;
}

/** Split-conformal quantile of sorted scores: the k-th smallest, k from the finite-sample rule. */
export function conformalQuantile(sorted: readonly number[], level: number, side: 'lower' | 'upper'): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const k = side === 'upper' ? Math.ceil((n + 1) * level) : Math.floor((n + 1) * level);
  return sorted[Math.min(n, Math.max(1, k)) - 1]!;
}

/**
 * The band model from rolling-origin log errors, `errors[h-1]` the errors h days ahead; undefined when
 * there are too few to measure.
 */
export function fitBands(errors: readonly (readonly number[])[]): BandModel | undefined {
  const total = errors.reduce((s, e) => s + e.length, 0);
  if (total < MIN_ERRORS) return undefined;
  const points = errors
    .map((e, i) => ({ h: i + 1, s: e.length >= MIN_PER_HORIZON ? mean(e.map(Math.abs)) : 0 }))
    .filter((p) => p.s > 0);
  if (points.length === 0) return undefined;
  let gamma = 0.5;
  const x = points.map((p) => Math.log(p.h));
  const y = points.map((p) => Math.log(p.s));
  if (points.length >= 2) {
    const mx = mean(x);
    const my = mean(y);
    const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
    gamma = Math.min(0.5, Math.max(0, sxy / sxx));
  }
  const logS1 = mean(y) - gamma * mean(x);
  const scale = (h: number) => Math.exp(logS1) * h ** gamma;
  const scores = errors.flatMap((e, i) => e.map((v) => v / scale(i + 1))).sort((a, b) => a - b);
  return {
    scale,
    gamma,
    errors: scores.length,
    q: {
      lo95: conformalQuantile(scores, 0.025, 'lower'),
      lo80: conformalQuantile(scores, 0.1, 'lower'),
      hi80: conformalQuantile(scores, 0.9, 'upper'),
      hi95: conformalQuantile(scores, 0.975, 'upper'),
    },
  };
}

/** (forecast + c)·exp(e) − c, never below 0: a log-ratio error turned back into an amount. */
export function bandAt(forecast: number, logError: number, c: number): number {
  return Math.max(0, (forecast + c) * Math.exp(logError) - c);
}
