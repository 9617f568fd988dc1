/**
 * Hourly spend forecast for the next 24–72 hours (issue #21): the daily forecast (forecast.ts) spread over
 * the hours by the intraday shape, with bands calibrated like the daily ones (forecast-bands.ts).
 *
 * Method (docs/ANALYTICS.md):
 * 1. Intraday shape: each day's hours as shares of that day's total; the share of a weekday's hour is the
 *    MEDIAN over the last 4 same weekdays with spend (robust to one odd day), normalised to sum to 1. A
 *    weekday with fewer than 2 such days uses the median over the last 14 days of any weekday.
 * 2. Hour h of day d is expected to cost dailyForecast(d) × share(weekday(d), hour). The day's forecast is
 *    the point model's (weekly profile × damped Holt level) from the complete days before it.
 * 3. Today: the hours already past say how the day is running. The remaining hours are scaled by
 *    r = ((actual so far + c)/(expected so far + c))^w, w the share of the day already past, r in [½, 2].
 * 4. Bands: rolling origins every 6 hours over the last 28 days give log-ratio errors
 *    e = ln((actual + c)/(forecast + c)) for h = 1…72 hours ahead (c = 10 % of the median active hour);
 *    their growth in h and conformal quantiles are fitted by fitBands, as for days.
 * Float math is fine here: these are estimates.
 */
import { bandAt, fitBands, type BandModel } from './forecast-bands.js';
import { FORECAST_WINDOW_DAYS, pointForecast } from './forecast.js';
import { median } from './stats.js';

const HOURS = 24;
const WEEK = 7;
/** The longest hourly forecast. */
export const HOURLY_HORIZON_MAX = 72;
/** Days of rolling origins the hourly bands are calibrated on. */
export const HOURLY_CALIBRATION_DAYS = 28;
/** Complete days an hourly forecast reads: the point model's window plus the calibration days. */
export const HOURLY_HISTORY_DAYS = FORECAST_WINDOW_DAYS + HOURLY_CALIBRATION_DAYS;
const ORIGIN_STEP_HOURS = 6;

/** One local day's cost by wall-clock hour (24 entries; a DST day's repeated hour is added in). */
export interface DayHours {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  hours: number[];
}

export interface HourlyPoint {
  /** Hours after the start of the current hour (0 = the current hour). */
  h: number;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function normalised(shares: number[]): number[] {
  const s = total(shares);
  return s > 0 ? shares.map((x) => x / s) : Array(HOURS).fill(1 / HOURS);
}

function medianShares(days: readonly DayHours[]): number[] | undefined {
  const active = days.filter((d) => total(d.hours) > 0);
  if (active.length < 2) return undefined;
  return normalised(Array.from({ length: HOURS }, (_, h) => median(active.map((d) => d.hours[h]! / total(d.hours)))));
}

/** The intraday shape per weekday (7 × 24 shares, each weekday summing to 1) from complete past days. */
export function intradayShape(days: readonly DayHours[]): number[][] {
  const pooled = medianShares(days.slice(-14)) ?? normalised(Array(HOURS).fill(1));
  return Array.from({ length: WEEK }, (_, wd) => {
    const same = days.filter((d) => d.weekday === wd).slice(-4);
    return medianShares(same) ?? pooled;
  });
}

/** The offset c of the hourly log-ratio errors: 10 % of the median active hour. */
export function hourlyOffset(days: readonly DayHours[]): number {
  const active = days.flatMap((d) => d.hours).filter((x) => x > 0);
  return Math.max(1e-12, 0.1 * median(active.length ? active : [0]));
}

/**
 * Point forecasts for `horizon` hours from hour `hour` of today (weekday `weekday`), today's hours before
 * it having cost `today[0…hour-1]`. `history` holds the complete days before today, oldest first.
 */
export function hourlyPointForecast(
  history: readonly DayHours[],
  today: { weekday: number; hour: number; hours: readonly number[] },
  horizon: number,
  shapeOf: (days: readonly DayHours[]) => number[][] = intradayShape,
): number[] {
  const days = history.slice(-FORECAST_WINDOW_DAYS);
  const firstSlot = days.length ? days[0]!.weekday : today.weekday;
  const dayCount = Math.ceil((today.hour + horizon) / HOURS);
  const daily = pointForecast(
    days.map((d) => total(d.hours)),
    firstSlot,
    dayCount,
  );
  const shape = shapeOf(days);
  const todayShape = shape[today.weekday]!;
  const expectedSoFar = daily[0]! * total(todayShape.slice(0, today.hour));
  const actualSoFar = total(today.hours.slice(0, today.hour));
  const w = total(todayShape.slice(0, today.hour));
  const c = hourlyOffset(days) * Math.max(1, today.hour);
  const r = Math.min(2, Math.max(0.5, ((actualSoFar + c) / (expectedSoFar + c)) ** w));
  return Array.from({ length: horizon }, (_, k) => {
    const at = today.hour + k;
    const day = Math.floor(at / HOURS);
    const share = shape[(today.weekday + day) % WEEK]![at % HOURS]!;
    return daily[day]! * share * (day === 0 ? r : 1);
  });
}

/** Rolling-origin log errors h = 1…horizon hours ahead, origins every 6 hours over the last 28 days. */
export function hourlyErrors(days: readonly DayHours[], horizon: number, c: number): number[][] {
  const errors: number[][] = Array.from({ length: horizon }, () => []);
  const hoursOf = (d: number, h: number) => days[d]?.hours[h];
  for (let d = Math.max(2 * WEEK, days.length - HOURLY_CALIBRATION_DAYS); d < days.length; d++) {
    for (let hour = 0; hour < HOURS; hour += ORIGIN_STEP_HOURS) {
      const fc = hourlyPointForecast(days.slice(0, d), { ...days[d]!, hour }, horizon);
      fc.forEach((f, k) => {
        const at = hour + k;
        const y = hoursOf(d + Math.floor(at / HOURS), at % HOURS);
        if (y !== undefined) errors[k]!.push(Math.log((y + c) / (f + c)));
      });
    }
  }
  return errors;
}

/** Hourly point forecasts with 80 % / 95 % bands; `calibrated` false when history is too short. */
export function forecastHourly(
  history: readonly DayHours[],
  today: { weekday: number; hour: number; hours: readonly number[] },
  horizon: number,
): { points: HourlyPoint[]; calibrated: boolean } {
  const means = hourlyPointForecast(history, today, horizon);
  const c = hourlyOffset(history);
  const model: BandModel | undefined = fitBands(hourlyErrors(history, HOURLY_HORIZON_MAX, c));
  const scale = model ? model.scale : (h: number) => 0.5 * Math.sqrt(h);
  const q = model ? model.q : { lo95: -1.96, lo80: -1.2816, hi80: 1.2816, hi95: 1.96 };
  const points = means.map((mean, k) => {
    const s = scale(k + 1);
    return {
      h: k,
      mean,
      lo80: Math.min(mean, bandAt(mean, Math.min(0, q.lo80) * s, c)),
      hi80: Math.max(mean, bandAt(mean, Math.max(0, q.hi80) * s, c)),
      lo95: Math.min(mean, bandAt(mean, Math.min(0, q.lo95) * s, c)),
      hi95: Math.max(mean, bandAt(mean, Math.max(0, q.hi95) * s, c)),
    };
  });
  return { points, calibrated: model !== undefined };
}
