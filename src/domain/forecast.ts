/**
 * Daily spend forecast that respects the weekly cycle.
 *
 * Method (cited in docs/ANALYTICS.md):
 * 1. Weekly profile: the last (up to) 8 whole weeks are cut into 7-day blocks ending at the last day; each
 *    day is divided by its block's mean, and the profile of a weekday is the MEDIAN of those ratios over the
 *    blocks (robust to one odd week). Holidays of a calendar give no ratio. (Shrinking it toward flat, or a
 *    flat fallback when a Kruskal–Wallis test finds no weekday effect, were measured and are off:
 *    weekly-profile.ts, docs/ANALYTICS.md.)
 * 2. Level and trend: the deseasonalised series (value / profile) feeds a damped Holt filter whose
 *    observations are clipped to ±3 robust σ (MAD) of the one-step errors, so a burst day cannot drag the
 *    level. α, β and the damping φ are picked on a small grid by in-sample one-step relative error.
 * 3. Forecast for day h ahead: (level + φ·b + … + φ^h·b) × profile(weekday), never below 0.
 * 4. Prediction intervals: rolling-origin log-ratio errors over the last 26 weeks, calibrated per horizon
 *    with finite-sample (conformal) quantiles: see forecast-bands.ts.
 * Float math is fine here: these are estimates; callers present them as rounded decimal strings.
 */
import { bandAt, CALIBRATED_HORIZONS, CALIBRATION_DAYS, fitBands } from './forecast-bands.js';
import { linearFit, median, robustSigma } from './stats.js';
import { NO_WEEKLY_PATTERN_H, weeklyProfile } from './weekly-profile.js';

export { weeklyProfile } from './weekly-profile.js';

const WEEK = 7;
/** History the point model looks at; older days do not move the forecast. */
export const FORECAST_WINDOW_DAYS = 56;
/** History a forecast reads: the point model's window plus the days its bands are calibrated on. */
export const FORECAST_HISTORY_DAYS = FORECAST_WINDOW_DAYS + CALIBRATION_DAYS;

/** Measurement switches for backtests; the CLI uses the defaults. */
export interface ForecastOptions {
  /** Shrink the weekday profile toward flat by its evidence (weekly-profile.ts); measured, off by default. */
  shrinkWeekly?: boolean;
  /**
   * Flat profile when the weekday effect's Kruskal–Wallis H is below this (weekly-profile.ts). Default
   * NO_WEEKLY_PATTERN_H (flat when the weekdays are more alike than chance, p > 0.95); 0 keeps the raw profile.
   */
  flatBelowH?: number;
}

export interface ForecastPoint {
  /** Days after the last history day (1 = the next day). */
  h: number;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface DailyForecast {
  points: ForecastPoint[];
  /** False when the history was too short to measure errors: the bands are then a fixed ±30 % σ guess. */
  calibrated: boolean;
  method: string;
}

interface HoltFit {
  level: number;
  trend: number;
  phi: number;
  error: number;
}

const ALPHAS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.05, 0.1, 0.2];
const PHIS = [0.8, 0.9, 0.98];

/** Damped Holt over z (NaN = skip), observations clipped at ±3·scale of the prediction. */
function holt(z: readonly number[], alpha: number, beta: number, phi: number, scale: number): HoltFit {
  let level = Number.NaN;
  let trend = 0;
  let error = 0;
  for (const obs of z) {
    if (Number.isNaN(obs)) {
      if (!Number.isNaN(level)) {
        level += phi * trend;
        trend *= phi;
      }
      continue;
    }
    if (Number.isNaN(level)) {
      level = obs;
      continue;
    }
    const predicted = level + phi * trend;
    // Relative error: the grid then favours what MAPE rewards, and big days do not dominate the fit.
    error += Math.abs(obs - predicted) / Math.max(Math.abs(obs), 1e-9);
    const clipped = Math.min(predicted + 3 * scale, Math.max(predicted - 3 * scale, obs));
    const newLevel = alpha * clipped + (1 - alpha) * predicted;
    trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
    level = newLevel;
  }
  return { level: Number.isNaN(level) ? 0 : level, trend, phi, error };
}

/** Point forecasts for the next `horizon` days (see the method above). */
export function pointForecast(
  fullHistory: readonly number[],
  firstSlot: number,
  horizon: number,
  fullHoliday?: readonly boolean[],
  options: ForecastOptions = {},
): number[] {
  const start = Math.max(0, fullHistory.length - FORECAST_WINDOW_DAYS);
  const history = fullHistory.slice(start);
  const holiday = fullHoliday?.slice(start);
  const slot0 = (firstSlot + start) % WEEK;
  const n = history.length;
  if (n === 0) return Array(horizon).fill(0);
  const profile = weeklyProfile(history, slot0, holiday, {
    shrink: options.shrinkWeekly,
    flatBelowH: options.flatBelowH ?? NO_WEEKLY_PATTERN_H,
  });
  // A weekday with (almost) no traffic tells nothing about the level, nor does a holiday: skipped.
  const z = history.map((y, t) => {
    const s = profile[(slot0 + t) % WEEK]!;
    return s > 0.05 && !holiday?.[t] ? y / s : Number.NaN;
  });
  const usable = z.filter((v) => !Number.isNaN(v));
  const diffs: number[] = [];
  for (let i = 1; i < usable.length; i++) diffs.push(usable[i]! - usable[i - 1]!);
  const scale = Math.max(
    robustSigma(diffs.length ? diffs : [0]) / Math.SQRT2,
    1e-9 + 0.02 * Math.abs(median(usable.length ? usable : [0])),
  );
  let best: HoltFit | undefined;
  for (const a of ALPHAS) {
    for (const b of BETAS) {
      for (const p of b === 0 ? [1] : PHIS) {
        const fit = holt(z, a, b, p, scale);
        if (!best || fit.error < best.error) best = fit;
      }
    }
  }
  const fit = best!;
  const out: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += fit.phi ** h;
    const slot = (slot0 + n - 1 + h) % WEEK;
    out.push(Math.max(0, (fit.level + damp * fit.trend) * profile[slot]!));
  }
  return out;
}

const FALLBACK_SIGMA = 0.3;
const Z80 = 1.2816;
const Z95 = 1.96;

/**
 * Rolling-origin log errors h = 1…CALIBRATED_HORIZONS days ahead over the last CALIBRATION_DAYS origins.
 * With a holiday calendar each origin's model leaves the holidays out, but errors on holidays still count:
 * leaving them out too narrowed the bands below target (NYC taxi ordinary days 80 % at h = 1: 74.3 %).
 */
export function horizonErrors(
  history: readonly number[],
  firstSlot: number,
  c: number,
  holiday?: readonly boolean[],
  options: ForecastOptions = {},
): number[][] {
  const n = history.length;
  const errors: number[][] = Array.from({ length: CALIBRATED_HORIZONS }, () => []);
  for (let origin = Math.max(2 * WEEK, n - CALIBRATION_DAYS); origin < n; origin++) {
    const h = Math.min(CALIBRATED_HORIZONS, n - origin);
    const fc = pointForecast(history.slice(0, origin), firstSlot, h, holiday?.slice(0, origin), options);
    fc.forEach((f, i) => {
      errors[i]!.push(Math.log((history[origin + i]! + c) / (f + c)));
    });
  }
  return errors;
}

/** Point forecasts plus 80 % / 95 % bands calibrated per horizon (src/domain/forecast-bands.ts). */
export function forecastDaily(
  history: readonly number[],
  firstSlot: number,
  horizon: number,
  holiday?: readonly boolean[],
  options: ForecastOptions = {},
): DailyForecast {
  const means = pointForecast(history, firstSlot, horizon, holiday, options);
  const c = Math.max(1e-12, 0.05 * median(history.length ? history : [0]));
  const model = fitBands(horizonErrors(history, firstSlot, c, holiday, options));
  // Too little history to measure errors: a fixed ±30 % σ guess growing like √h.
  const scale = model ? model.scale : (h: number) => FALLBACK_SIGMA * Math.sqrt(h);
  const q = model ? model.q : { lo95: -Z95, lo80: -Z80, hi80: Z80, hi95: Z95 };
  const points = means.map((mean, i) => {
    const h = i + 1;
    const s = scale(h);
    // Quantiles are clamped around 0 so the mean always lies inside its own band.
    return {
      h,
      mean,
      lo80: Math.min(mean, bandAt(mean, Math.min(0, q.lo80) * s, c)),
      hi80: Math.max(mean, bandAt(mean, Math.max(0, q.hi80) * s, c)),
      lo95: Math.min(mean, bandAt(mean, Math.min(0, q.lo95) * s, c)),
      hi95: Math.max(mean, bandAt(mean, Math.max(0, q.hi95) * s, c)),
    };
  });
  return {
    points,
    calibrated: model !== undefined,
    method: 'weekly-median-profile × robust damped Holt level; conformal bands calibrated per horizon',
  };
}

/** The seed's forecast: a straight line through the last 7 days, extended (never below 0). */
export function linearTrendBaseline(history: readonly number[], horizon: number): number[] {
  const last = history.slice(-WEEK);
  const { intercept, slope } = linearFit(last);
  return Array.from({ length: horizon }, (_, i) => Math.max(0, intercept + slope * (last.length - 1 + i + 1)));
}

/** Same weekday last week. */
export function seasonalNaiveBaseline(history: readonly number[], horizon: number): number[] {
  const n = history.length;
  return Array.from({ length: horizon }, (_, i) => history[n - WEEK + (i % WEEK)] ?? history[n - 1] ?? 0);
}
