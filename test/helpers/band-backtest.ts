// Rolling-origin backtest of the daily forecast's points and bands: MASE of the model and of the two
// in-process peers (same weekday last week, the 7-day line), and per horizon the share of actual days
// inside the 80 % and 95 % bands, the 95 % band's width relative to the forecast, and MSIS95 (Gneiting &
// Raftery's interval score scaled like MASE). Scales are the origin's in-sample mean |y_t − y_{t−7}|.
import { forecastDaily, linearTrendBaseline, pointForecast, seasonalNaiveBaseline } from '../../src/domain/forecast.js';

export interface HorizonFigures {
  h: number;
  points: number;
  cover80: number;
  cover95: number;
  /** Mean of (hi95 − lo95) / forecast, in percent. */
  width95: number;
  msis95: number;
}

export interface BandBacktest {
  origins: number;
  mase: { model: number; naive: number; linear: number };
  byHorizon: HorizonFigures[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function seasonalScale(history: readonly number[]): number {
  const d: number[] = [];
  for (let t = 7; t < history.length; t++) d.push(Math.abs(history[t]! - history[t - 7]!));
  return mean(d);
}

/**
 * Origins every `step` days from `minHistory`; each forecasts `horizon` days. `observed[t] === false`
 * leaves day t out of the scores (it still sits in later histories, carried forward).
 */
export function bandBacktest(
  series: readonly number[],
  options: {
    firstSlot: number;
    minHistory: number;
    step: number;
    horizon?: number;
    observed?: readonly boolean[];
    /** A holiday calendar given to the model (days it leaves out of its profile, level and calibration). */
    holiday?: readonly boolean[];
    /** Shrink the weekly profile toward flat by its evidence (measured, not what the CLI does). */
    shrinkWeekly?: boolean;
    /** Flat weekly profile below this Kruskal–Wallis H (measured, not what the CLI does). */
    flatBelowH?: number;
  },
): BandBacktest {
  const H = options.horizon ?? 7;
  const mase = { model: [] as number[], naive: [] as number[], linear: [] as number[] };
  const per = Array.from({ length: H }, () => ({
    n: 0,
    in80: 0,
    in95: 0,
    width: [] as number[],
    msis: [] as number[],
  }));
  let origins = 0;
  for (let origin = options.minHistory; origin + H <= series.length; origin += options.step) {
    const history = series.slice(0, origin);
    const scale = seasonalScale(history);
    if (!(scale > 0)) continue;
    origins++;
    const calendar = options.holiday?.slice(0, origin);
    const model = { shrinkWeekly: options.shrinkWeekly, flatBelowH: options.flatBelowH };
    const f = forecastDaily(history, options.firstSlot, H, calendar, model);
    const m = pointForecast(history, options.firstSlot, H, calendar, model);
    const s = seasonalNaiveBaseline(history, H);
    const l = linearTrendBaseline(history, H);
    for (let i = 0; i < H; i++) {
      if (options.observed && !options.observed[origin + i]) continue;
      const y = series[origin + i]!;
      const p = f.points[i]!;
      mase.model.push(Math.abs(y - m[i]!) / scale);
      mase.naive.push(Math.abs(y - s[i]!) / scale);
      mase.linear.push(Math.abs(y - l[i]!) / scale);
      const slot = per[i]!;
      slot.n++;
      if (y >= p.lo80 && y <= p.hi80) slot.in80++;
      if (y >= p.lo95 && y <= p.hi95) slot.in95++;
      if (p.mean > 0) slot.width.push((100 * (p.hi95 - p.lo95)) / p.mean);
      const alpha = 0.05;
      const penalty = (2 / alpha) * Math.max(0, p.lo95 - y) + (2 / alpha) * Math.max(0, y - p.hi95) + (p.hi95 - p.lo95);
      slot.msis.push(penalty / scale);
    }
  }
  return {
    origins,
    mase: { model: mean(mase.model), naive: mean(mase.naive), linear: mean(mase.linear) },
    byHorizon: per.map((x, i) => ({
      h: i + 1,
      points: x.n,
      cover80: (100 * x.in80) / Math.max(1, x.n),
      cover95: (100 * x.in95) / Math.max(1, x.n),
      width95: mean(x.width),
      msis95: mean(x.msis),
    })),
  };
}

export function describeBacktest(name: string, b: BandBacktest): string {
  const h = (k: number) => b.byHorizon[k - 1]!;
  const all = mean(b.byHorizon.map((x) => x.msis95));
  return (
    `${name}: ${b.origins} origins; MASE model ${b.mase.model.toFixed(3)}, same weekday last week ${b.mase.naive.toFixed(3)}, ` +
    `7-day line ${b.mase.linear.toFixed(3)}; coverage 80/95 % at h=1 ${h(1).cover80.toFixed(1)}/${h(1).cover95.toFixed(1)}, ` +
    `h=7 ${h(7).cover80.toFixed(1)}/${h(7).cover95.toFixed(1)}; 95 % width h=1 ${h(1).width95.toFixed(0)} %, ` +
    `h=7 ${h(7).width95.toFixed(0)} % of the forecast; MSIS95 ${all.toFixed(2)}`
  );
}
