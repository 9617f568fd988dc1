// Do the forecast's 80 % and 95 % bands mean 80 % and 95 %, at the next day and a week out? Rolling-origin
// backtests on real daily series (fixtures/samples/series): Wikipedia page views (8 years, weekly
// origins), New York taxi trips (NAB, 7 months, daily origins) and BurstGPT's LLM requests (61 days).
// Figures are printed for docs/ANALYTICS.md; the asserts hold the targets of issue #21.
import { describe, expect, it } from 'vitest';
import { bandBacktest, describeBacktest, type BandBacktest } from '../../helpers/band-backtest.js';
import { burstGptHourly, nabHourly, wikipediaDaily } from '../../helpers/series.js';

function wikipedia() {
  const days = wikipediaDaily();
  const start = Date.parse(`${days[0]!.date}T00:00:00Z`);
  const length = (Date.parse(`${days[days.length - 1]!.date}T00:00:00Z`) - start) / 86_400_000 + 1;
  const series: number[] = Array(length).fill(Number.NaN);
  for (const d of days) series[(Date.parse(`${d.date}T00:00:00Z`) - start) / 86_400_000] = d.views;
  const observed = series.map((v) => !Number.isNaN(v));
  for (let i = 1; i < series.length; i++) if (Number.isNaN(series[i]!)) series[i] = series[i - 1]!;
  return { series, observed, firstSlot: (new Date(start).getUTCDay() + 6) % 7 };
}

/** A NAB series summed into whole UTC days. */
function nabDaily(file: string) {
  const { start, values } = nabHourly(file);
  const skip = (24 - start.getUTCHours()) % 24;
  const days: number[] = [];
  for (let i = skip; i + 24 <= values.length; i += 24) days.push(values.slice(i, i + 24).reduce((a, b) => a + b, 0));
  const first = new Date(start.getTime() + skip * 3_600_000);
  const dates = days.map((_, i) => new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10));
  return { series: days, dates, firstSlot: (first.getUTCDay() + 6) % 7 };
}

function burstDaily(kind: 'all' | 'conversation' | 'api') {
  const byDay: number[] = Array(61).fill(0);
  for (const h of burstGptHourly()) byDay[h.day]! += h[kind];
  return byDay;
}

/**
 * US public holidays and the days around them inside the taxi series (Thanksgiving and the day after,
 * Christmas Eve to New Year's Day, the blizzard of 26–27 January 2015, Labor Day, Columbus Day): the days a
 * holiday calendar would mark. Used only to report coverage on ordinary days beside coverage on all days.
 */
const TAXI_SPECIAL_DAYS = [
  '2014-09-01',
  '2014-10-13',
  '2014-11-27',
  '2014-11-28',
  ...Array.from({ length: 9 }, (_, i) => `2014-12-${24 + i <= 31 ? 24 + i : ''}`).filter((d) => !d.endsWith('-')),
  '2015-01-01',
  '2015-01-26',
  '2015-01-27',
];

const within = (b: BandBacktest, h: number) => b.byHorizon[h - 1]!;

describe('forecast bands on real series', () => {
  it('Wikipedia daily views: 80 % and 95 % bands cover about 80 % and 95 % at h = 1 and h = 7', () => {
    const w = wikipedia();
    const b = bandBacktest(w.series, { firstSlot: w.firstSlot, minHistory: 240, step: 7, observed: w.observed });
    console.log(describeBacktest('Wikipedia (Peyton Manning) daily views', b));
    expect(b.origins).toBeGreaterThan(350);
    for (const h of [1, 7]) {
      expect(within(b, h).cover80).toBeGreaterThanOrEqual(75);
      expect(within(b, h).cover80).toBeLessThanOrEqual(85);
      expect(within(b, h).cover95).toBeGreaterThanOrEqual(90);
      expect(within(b, h).cover95).toBeLessThanOrEqual(97);
    }
    expect(b.mase.model).toBeLessThan(b.mase.naive);
  });

  it('NYC taxi trips per day (NAB): on target on ordinary days; holidays are what it misses', () => {
    const t = nabDaily('realKnownCause/nyc_taxi.csv');
    const options = { firstSlot: t.firstSlot, minHistory: 56, step: 1 };
    const all = bandBacktest(t.series, options);
    const special = new Set(TAXI_SPECIAL_DAYS);
    const ordinary = bandBacktest(t.series, { ...options, observed: t.dates.map((d) => !special.has(d)) });
    console.log(describeBacktest('NYC taxi trips per day, all days', all));
    console.log(describeBacktest('NYC taxi trips per day, holidays left out of the scores', ordinary));
    expect(all.origins).toBeGreaterThan(140);
    // Thanksgiving to New Year sits inside the 153 origins and no weekly model foresees it: all days fall
    // short of the target (a holiday calendar is the remedy), ordinary days meet it.
    for (const h of [1, 7]) {
      expect(within(all, h).cover80).toBeGreaterThanOrEqual(65);
      expect(within(all, h).cover95).toBeGreaterThanOrEqual(85);
      expect(within(ordinary, h).cover80).toBeGreaterThanOrEqual(75);
      expect(within(ordinary, h).cover80).toBeLessThanOrEqual(85);
      expect(within(ordinary, h).cover95).toBeGreaterThanOrEqual(90);
      expect(within(ordinary, h).cover95).toBeLessThanOrEqual(97);
    }
    expect(all.mase.model).toBeLessThan(all.mase.naive);
  });

  it('NYC taxi trips per day with the holiday calendar given to the model: ordinary days no worse', () => {
    const t = nabDaily('realKnownCause/nyc_taxi.csv');
    const special = new Set(TAXI_SPECIAL_DAYS);
    const holiday = t.dates.map((d) => special.has(d));
    const options = { firstSlot: t.firstSlot, minHistory: 56, step: 1, observed: holiday.map((h) => !h) };
    const without = bandBacktest(t.series, options);
    const withCalendar = bandBacktest(t.series, { ...options, holiday });
    console.log(describeBacktest('NYC taxi per day, ordinary days, with the holiday calendar', withCalendar));
    expect(withCalendar.mase.model).toBeLessThanOrEqual(without.mase.model);
    for (const h of [1, 7]) {
      expect(within(withCalendar, h).cover80).toBeGreaterThanOrEqual(75);
      expect(within(withCalendar, h).cover80).toBeLessThanOrEqual(85);
      expect(within(withCalendar, h).cover95).toBeGreaterThanOrEqual(90);
      expect(within(withCalendar, h).cover95).toBeLessThanOrEqual(97);
    }
  });

  it('BurstGPT requests per day: short histories, figures printed', () => {
    for (const kind of ['conversation', 'all'] as const) {
      const b = bandBacktest(burstDaily(kind), { firstSlot: 0, minHistory: 28, step: 1 });
      console.log(describeBacktest(`BurstGPT ${kind} requests per day`, b));
      expect(b.origins).toBe(27);
      // 27 origins are too few to hold a coverage target; the 95 % band must still hold more than the 80 %.
      expect(within(b, 1).cover95).toBeGreaterThanOrEqual(within(b, 1).cover80);
    }
  });
  it('weekly-pattern test at p > 0.95 (on in the forecast) measured beside the raw profile', () => {
    // The issue asks for a weekly-pattern test with a flat fallback. A Kruskal–Wallis test that goes flat only
    // when the weekday effect is clearly absent (weekly-profile.ts) leaves these series within a hair of the
    // raw profile (Wikipedia's 80 % at h = 1: 83.9 → 84.2 %, still inside 75–85 %), and forecasts series with
    // no pattern a little better (test/unit/weekly-profile.test.ts). Figures for docs/ANALYTICS.md (NYC taxi's ordinary days,
    // the same forecasts scored differently, were measured unchanged too and are left out to keep this ~30 s).
    // Wikipedia (8 years) is left out too: it doubled this case's time; its figures are in docs/ANALYTICS.md.
    const t = nabDaily('realKnownCause/nyc_taxi.csv');
    const cases = [
      { name: 'NYC taxi, all days', series: t.series, options: { firstSlot: t.firstSlot, minHistory: 56, step: 1 } },
      ...(['conversation', 'all', 'api'] as const).map((kind) => ({
        name: `BurstGPT ${kind}`,
        series: burstDaily(kind),
        options: { firstSlot: 0, minHistory: 28, step: 1 },
      })),
    ];
    const msis = (b: BandBacktest) => b.byHorizon.reduce((a, x) => a + x.msis95, 0) / b.byHorizon.length;
    for (const c of cases) {
      const raw = bandBacktest(c.series, { ...c.options, flatBelowH: 0 });
      const tested = bandBacktest(c.series, c.options);
      console.log(describeBacktest(`${c.name}, raw weekly profile`, raw));
      console.log(describeBacktest(`${c.name}, with the weekly-pattern test`, tested));
      expect(tested.origins).toBe(raw.origins);
      // Every series here has a weekly pattern: the strict test must keep (nearly) every window's profile.
      expect(tested.mase.model).toBeLessThanOrEqual(raw.mase.model * 1.005);
      expect(msis(tested)).toBeLessThanOrEqual(msis(raw) * 1.01);
      for (const h of [1, 7]) {
        expect(Math.abs(within(tested, h).cover80 - within(raw, h).cover80)).toBeLessThanOrEqual(1);
        expect(Math.abs(within(tested, h).cover95 - within(raw, h).cover95)).toBeLessThanOrEqual(1);
      }
    }
  });
});
