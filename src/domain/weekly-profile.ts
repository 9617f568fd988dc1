/**
 * The weekday profile of the daily forecast, shrunk toward flat by the evidence for a weekly pattern.
 *
 * Method (cited in docs/ANALYTICS.md):
 * 1. The last whole weeks are cut into 7-day blocks ending at the last day; each day is divided by its
 *    block's mean. A weekday's raw factor is the MEDIAN of its ratios over the blocks (robust to one odd
 *    week). Holidays of a calendar give no ratio and are in no block's mean.
 * 2. Is there a weekly pattern at all? The ratios' spread around their weekday's median (a pooled robust σ
 *    over all weekdays) says how far a factor wanders by chance; the standard error of weekday d's factor
 *    is about σ·√(π/2 / n_d). James–Stein shrinkage toward 1 (flat) keeps the share
 *    w = max(0, 1 − (6 − 2)·mean(se²) / Σ(factor − 1)²) of every factor's distance from 1: 6 because the
 *    factors average 1, so they move in 6 dimensions. A strong weekly shape (weekends at half the weekdays)
 *    keeps w ≈ 1; white noise around a level gets w ≈ 0, a flat profile. Not a hard test: a p-value switch
 *    sent short histories to flat, wide bands (BurstGPT MSIS95 7.62 → 15.92) and was not kept.
 * The forecast does NOT shrink (issue #21, measured in docs/ANALYTICS.md): on white noise it forecasts about
 * 5 % better, but on the NYC taxi series, whose small weekday differences are real, every shrunk variant
 * moved MASE, MSIS and the 95 % coverage the wrong way. `weeklyProfile(…, shrink)` keeps it measurable.
 */
import { median, robustSigma } from './stats.js';

const WEEK = 7;

export interface WeeklyProfile {
  /** Factor per weekday slot, averaging 1. */
  factors: number[];
  /** Share of the raw factors' distance from 1 that was kept (1 = unshrunk, 0 = flat). */
  strength: number;
}

/** Ratios day / block mean per weekday slot; slot of day t is (firstSlot + t) % 7. */
function weekdayRatios(history: readonly number[], firstSlot: number, holiday?: readonly boolean[]): number[][] {
  const n = history.length;
  const ratios: number[][] = Array.from({ length: WEEK }, () => []);
  for (let b = 0; b < Math.floor(n / WEEK); b++) {
    const end = n - b * WEEK;
    let sum = 0;
    let days = 0;
    for (let t = end - WEEK; t < end; t++) {
      if (holiday?.[t]) continue;
      sum += history[t]!;
      days++;
    }
    if (sum <= 0) continue;
    const blockMean = sum / days;
    for (let t = end - WEEK; t < end; t++)
      if (!holiday?.[t]) ratios[(firstSlot + t) % WEEK]!.push(history[t]! / blockMean);
  }
  return ratios;
}

const normalise = (p: number[]): number[] => {
  const avg = p.reduce((a, b) => a + b, 0) / WEEK;
  return avg > 0 ? p.map((x) => x / avg) : Array(WEEK).fill(1);
};

/** James–Stein share of the raw factors to keep (see the method above). */
function shrinkage(raw: readonly number[], ratios: readonly number[][]): number {
  const residuals: number[] = [];
  let blocks = 0;
  for (const [d, r] of ratios.entries()) {
    for (const x of r) residuals.push(x - raw[d]!);
    blocks = Math.max(blocks, r.length);
  }
  if (blocks < 2) return 1;
  // Deviations from a median of n are smaller than from the true factor: the n/(n−1) puts that back.
  const sigma = robustSigma(residuals) * Math.sqrt(blocks / (blocks - 1));
  const se2 = ratios.map((r) => (r.length ? ((r.length > 2 ? Math.PI / 2 : 1) * sigma ** 2) / r.length : 0));
  const noise = se2.reduce((a, b) => a + b, 0) / WEEK;
  const signal = raw.reduce((a, p) => a + (p - 1) ** 2, 0);
  if (signal <= 0) return 0;
  return Math.max(0, 1 - ((WEEK - 1 - 2) * noise) / signal);
}

/** Weekday profile and how much of it the evidence kept. */
export function shrunkWeeklyProfile(
  history: readonly number[],
  firstSlot: number,
  holiday?: readonly boolean[],
): WeeklyProfile {
  if (Math.floor(history.length / WEEK) < 2) return { factors: Array(WEEK).fill(1), strength: 0 };
  const ratios = weekdayRatios(history, firstSlot, holiday);
  const raw = normalise(ratios.map((r) => (r.length ? median(r) : 1)));
  const strength = shrinkage(raw, ratios);
  return { factors: normalise(raw.map((p) => 1 + strength * (p - 1))), strength };
}

/**
 * The profile the point forecast multiplies by: the raw medians (`shrink` false, the default) or the shrunk
 * factors. Shrinking is measured, not used: see the method above and docs/ANALYTICS.md.
 */
export function weeklyProfile(
  history: readonly number[],
  firstSlot: number,
  holiday?: readonly boolean[],
  shrink = false,
): number[] {
  // Shrinking only from 4 whole weeks on: shorter histories sit in the band calibration's early origins,
  // where a flatter profile narrowed the bands that later, longer histories are judged by.
  if (shrink && history.length >= 4 * WEEK) return shrunkWeeklyProfile(history, firstSlot, holiday).factors;
  if (Math.floor(history.length / WEEK) < 2) return Array(WEEK).fill(1);
  return normalise(weekdayRatios(history, firstSlot, holiday).map((r) => (r.length ? median(r) : 1)));
}
