// Rolling-origin backtest of the hourly forecast (src/domain/forecast-hourly.ts): MASE of the model and
// of two in-process peers (same hour last week; the day's mean hour from the daily forecast spread flat),
// and at h = 1, 24 and 48 hours ahead the share of actual hours inside the 80 % and 95 % bands and MSIS95.
// Scales are the origin's in-sample mean |y_t − y_{t−168}| (hours), as MASE for a weekly cycle.
import { forecastHourly, hourlyPointForecast, type DayHours } from '../../src/domain/forecast-hourly.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export interface HourlyBacktest {
  origins: number;
  mase: { model: number; naive: number; flat: number };
  at: Record<number, { points: number; cover80: number; cover95: number; msis95: number }>;
}

/** `hours` starts at hour 0 of a day of weekday `firstWeekday`; origins every `stepHours` from `minDays`. */
export function hourlyBacktest(
  hours: readonly number[],
  options: { firstWeekday: number; minDays: number; stepHours: number; horizon: number; report: number[] },
): HourlyBacktest {
  const days: DayHours[] = [];
  for (let d = 0; (d + 1) * 24 <= hours.length; d++)
    days.push({ weekday: (options.firstWeekday + d) % 7, hours: hours.slice(d * 24, d * 24 + 24) });
  const flatShape = () => Array.from({ length: 7 }, () => Array(24).fill(1 / 24));
  const acc = { model: [] as number[], naive: [] as number[], flat: [] as number[] };
  const per = new Map(options.report.map((h) => [h, { n: 0, in80: 0, in95: 0, msis: [] as number[] }]));
  let origins = 0;
  for (let t = options.minDays * 24; t + options.horizon <= hours.length; t += options.stepHours) {
    const d = Math.floor(t / 24);
    const hour = t % 24;
    const past = hours.slice(0, t);
    const diffs: number[] = [];
    for (let i = 168; i < past.length; i++) diffs.push(Math.abs(past[i]! - past[i - 168]!));
    const scale = mean(diffs);
    if (!(scale > 0)) continue;
    origins++;
    const today = { weekday: days[d]!.weekday, hour, hours: days[d]!.hours };
    const f = forecastHourly(days.slice(0, d), today, options.horizon);
    const flat = hourlyPointForecast(days.slice(0, d), today, options.horizon, flatShape);
    for (let k = 0; k < options.horizon; k++) {
      const y = hours[t + k]!;
      const p = f.points[k]!;
      acc.model.push(Math.abs(y - p.mean) / scale);
      acc.naive.push(Math.abs(y - hours[t + k - 168]!) / scale);
      acc.flat.push(Math.abs(y - flat[k]!) / scale);
      const slot = per.get(k + 1);
      if (!slot) continue;
      slot.n++;
      if (y >= p.lo80 && y <= p.hi80) slot.in80++;
      if (y >= p.lo95 && y <= p.hi95) slot.in95++;
      slot.msis.push((p.hi95 - p.lo95 + 40 * Math.max(0, p.lo95 - y) + 40 * Math.max(0, y - p.hi95)) / scale);
    }
  }
  return {
    origins,
    mase: { model: mean(acc.model), naive: mean(acc.naive), flat: mean(acc.flat) },
    at: Object.fromEntries(
      [...per].map(([h, s]) => [
        h,
        { points: s.n, cover80: (100 * s.in80) / s.n, cover95: (100 * s.in95) / s.n, msis95: mean(s.msis) },
      ]),
    ),
  };
}

export function describeHourly(name: string, b: HourlyBacktest): string {
  const at = Object.entries(b.at)
    .map(([h, x]) => `h=${h} ${x.cover80.toFixed(1)}/${x.cover95.toFixed(1)} (MSIS95 ${x.msis95.toFixed(2)})`)
    .join(', ');
  return (
    `${name}: ${b.origins} origins; MASE model ${b.mase.model.toFixed(3)}, same hour last week ${b.mase.naive.toFixed(3)}, ` +
    `flat hours ${b.mase.flat.toFixed(3)}; coverage 80/95 % ${at}`
  );
}
