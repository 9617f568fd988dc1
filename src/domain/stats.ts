// Robust statistics over plain number arrays. Used for ratios, forecasts and anomaly scores, never for money
// totals (those stay exact decimals).

/** The q-quantile (0..1) by linear interpolation between order statistics; NaN for an empty array. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** MAD scaled to estimate σ for normal data (1.4826 · MAD). */
export function robustSigma(values: readonly number[]): number {
  return 1.4826 * mad(values);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Mean absolute percentage error, in percent. Pairs whose actual is 0 are skipped (the error is undefined
 * there); returns NaN when no pair is left.
 */
export function mape(actual: readonly number[], predicted: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    if (a === 0) continue;
    sum += Math.abs((a - predicted[i]!) / a);
    n++;
  }
  return n === 0 ? Number.NaN : (100 * sum) / n;
}

/** Least-squares line through (0, y0), (1, y1), …; returns intercept and slope. */
export function linearFit(values: readonly number[]): { intercept: number; slope: number } {
  const n = values.length;
  if (n === 0) return { intercept: 0, slope: 0 };
  if (n === 1) return { intercept: values[0]!, slope: 0 };
  const xm = (n - 1) / 2;
  const ym = mean(values);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xm) * (values[i]! - ym);
    sxx += (i - xm) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: ym - slope * xm, slope };
}

/**
 * Kruskal–Wallis H of k groups (ranks over all values, mid-ranks for ties, divided by the tie correction).
 * Under no group effect H is about χ² with k − 1 degrees of freedom. Groups with no value are left out; 0
 * when fewer than 2 groups or 2 values are left, or when every value is the same.
 */
export function kruskalWallisH(groups: readonly (readonly number[])[]): number {
  const used = groups.filter((g) => g.length > 0);
  const all = used.flatMap((g, i) => g.map((v) => ({ v, i })));
  const n = all.length;
  if (used.length < 2 || n < 2) return 0;
  all.sort((a, b) => a.v - b.v);
  const rankSum: number[] = Array(used.length).fill(0);
  let ties = 0;
  for (let lo = 0; lo < n; ) {
    let hi = lo;
    while (hi + 1 < n && all[hi + 1]!.v === all[lo]!.v) hi++;
    const rank = (lo + hi) / 2 + 1;
    for (let j = lo; j <= hi; j++) rankSum[all[j]!.i]! += rank;
    const t = hi - lo + 1;
    ties += t ** 3 - t;
    lo = hi + 1;
  }
  const correction = 1 - ties / (n ** 3 - n);
  if (correction <= 0) return 0;
  let h = 0;
  for (const [i, g] of used.entries()) h += rankSum[i]! ** 2 / g.length;
  return ((12 / (n * (n + 1))) * h - 3 * (n + 1)) / correction;
}
