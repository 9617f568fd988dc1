// Does the detector catch a 20–25 % move? Moderate changes injected into real series (BurstGPT's hourly
// conversation requests, NYC taxi trips per day from NAB) at seeded random places: a day-long ×0.75 dip, a
// ×1.25 level shift that starts at midnight and stays, a single ×1.25 day. Recall, the delay to the first
// flag, and the alarms the detector raises on the same series with nothing injected (events per week).
import { describe, expect, it } from 'vitest';
import { anomalyEvents, DAILY, HOURLY, scoreSeries, type SeasonShape } from '../../../src/domain/anomaly.js';
import { lcg } from '../../helpers/random.js';
import { burstGptHourly, nabHourly } from '../../helpers/series.js';

interface Injection {
  name: string;
  /** Buckets changed, from the start. */
  length: (remaining: number) => number;
  factor: number;
}

interface Recall {
  found: number;
  trials: number;
  /** Median buckets from the start of the change to the first flag, over the trials found. */
  medianDelay: number;
}

function recall(
  series: readonly number[],
  shape: SeasonShape,
  injection: Injection,
  starts: number[],
  within: number,
  holiday?: boolean[],
): Recall {
  const delays: number[] = [];
  for (const start of starts) {
    const changed = series.map((v, i) =>
      i >= start && i < start + injection.length(series.length - start) ? v * injection.factor : v,
    );
    const scores = scoreSeries(changed, shape, 'medium', start, holiday);
    const first = scores.find((s) => s.anomalous && s.index < start + within);
    if (first) delays.push(first.index - start);
  }
  delays.sort((a, b) => a - b);
  return { found: delays.length, trials: starts.length, medianDelay: delays[Math.floor(delays.length / 2)] ?? -1 };
}

/** Anomaly events per week on the series as it is, from `from` on. */
function alarmsPerWeek(series: readonly number[], shape: SeasonShape, from: number, perWeek: number) {
  const scores = scoreSeries(series, shape, 'medium', from);
  const events = anomalyEvents(scores).length;
  return { events, weeks: scores.length / perWeek, perWeek: events / (scores.length / perWeek) };
}

/** `count` starts at multiples of `align` between `from` and `to`, at least `gap` apart, seeded. */
function startsBetween(from: number, to: number, count: number, align: number, seed: number): number[] {
  const random = lcg(seed);
  const out: number[] = [];
  for (let tries = 0; out.length < count && tries < 10_000; tries++) {
    const s = from + align * Math.floor((random() * (to - from)) / align);
    if (!out.includes(s)) out.push(s);
  }
  return out.sort((a, b) => a - b);
}

const DAY = 24;
const describeRecall = (name: string, r: Recall, unit: string) =>
  `${name}: ${r.found}/${r.trials} found, median delay ${r.medianDelay} ${unit}`;

describe('moderate changes in real series', () => {
  it('BurstGPT hourly conversation requests: ×0.75 day, ×1.25 level shift from midnight, ×1.25 day', () => {
    const hours = burstGptHourly().map((h) => h.conversation);
    const starts = startsBetween(21 * DAY, hours.length - 2 * DAY, 12, DAY, 11);
    const injections: Injection[] = [
      { name: '×0.75 for a day', length: () => DAY, factor: 0.75 },
      { name: '×1.25 level shift from midnight on', length: (rest) => rest, factor: 1.25 },
      { name: '×1.25 for a day', length: () => DAY, factor: 1.25 },
    ];
    const results = injections.map((inj) => ({ inj, r: recall(hours, HOURLY, inj, starts, DAY) }));
    for (const { inj, r } of results) console.log(describeRecall(`BurstGPT hourly ${inj.name}`, r, 'hours'));
    const clean = alarmsPerWeek(hours, HOURLY, 21 * DAY, 168);
    console.log(
      `BurstGPT hourly, nothing injected: ${clean.events} alarm events in ${clean.weeks.toFixed(1)} weeks (${clean.perWeek.toFixed(2)}/week)`,
    );
    // Hourly conversation traffic (~100 requests an hour) is noisy: one hour 25 % off is within 2 σ, so
    // hourly moderate changes stay mostly unseen (the day grain sees day-long ones). Measured before #21's
    // night-hours rule: 1, 2 and 2 of 12, 0.70 alarms a week; with it 1, 3 and 3 of 12, 0.70 (two quiet hours
    // in a row now flag the early morning). Floors at that, and the alarm rate held.
    results.forEach((x, i) => {
      expect(x.r.found).toBeGreaterThanOrEqual([1, 3, 3][i]!);
    });
    expect(clean.perWeek).toBeLessThan(0.75);
  });

  it('level shifts from midnight in hourly series: how many hours late the first flag comes', () => {
    // The case: a level shift that starts at midnight is seen only when the day's busy hours come,
    // because near-empty night hours are damped (c) and judged against the busy hours' σ. BurstGPT's nights
    // run at 5–14 requests an hour against ~110 by day; the taxi series' at ~7,000 against ~35,000.
    const taxi = nabHourly('realKnownCause/nyc_taxi.csv');
    const midnight = (24 - taxi.start.getUTCHours()) % 24;
    const series = [
      { name: 'BurstGPT conversation', hours: burstGptHourly().map((h) => h.conversation), first: 0, from: 21 * DAY },
      { name: 'NYC taxi', hours: taxi.values, first: midnight, from: 35 * DAY },
    ];
    // Measured (#21) before the night-hours rule (anomaly.ts, flagQuietRuns): BurstGPT ×1.25 2/12 (23 h
    // late), ×1.5 5/12 (6 h), ×0.75 2/12 (6 h), 0.70 alarms a week clean; NYC taxi 7/12 (1 h), 10/12 (0 h),
    // 10/12 (0 h), 1.13 a week. With it: BurstGPT ×1.25 3/12 (7 h), NYC ×0.75 11/12, NYC clean 1.09 a week,
    // the rest the same. Floors at that; the alarm rates may not rise.
    const floors = [
      [3, 5, 2],
      [7, 10, 11],
    ];
    series.forEach((s, n) => {
      const starts = startsBetween(s.from + s.first, s.hours.length - 2 * DAY, 12, DAY, 13);
      [1.25, 1.5, 0.75].forEach((factor, i) => {
        const inj = { name: `×${factor} level shift from midnight on`, length: (rest: number) => rest, factor };
        const r = recall(s.hours, HOURLY, inj, starts, DAY);
        console.log(describeRecall(`${s.name} hourly ${inj.name}`, r, 'hours'));
        expect(r.found).toBeGreaterThanOrEqual(floors[n]![i]!);
      });
      const clean = alarmsPerWeek(s.hours, HOURLY, s.from, 168);
      console.log(`${s.name} hourly, nothing injected: ${clean.perWeek.toFixed(2)} alarm events a week`);
      expect(clean.perWeek).toBeLessThan([0.75, 1.1][n]!);
    });
  });

  it('NYC taxi trips per day: ×0.75 day, ×1.25 day', () => {
    const { start, values } = nabHourly('realKnownCause/nyc_taxi.csv');
    const skip = (24 - start.getUTCHours()) % 24;
    const days: number[] = [];
    for (let i = skip; i + 24 <= values.length; i += 24) days.push(values.slice(i, i + 24).reduce((a, b) => a + b, 0));
    const starts = startsBetween(35, days.length - 1, 30, 1, 5);
    const found = [
      { name: '×0.75 for a day', length: () => 1, factor: 0.75 },
      { name: '×1.25 for a day', length: () => 1, factor: 1.25 },
    ].map((inj) => {
      const r = recall(days, DAILY, inj, starts, 1);
      console.log(describeRecall(`NYC taxi daily ${inj.name}`, r, 'days'));
      return r.found;
    });
    const clean = alarmsPerWeek(days, DAILY, 35, 7);
    console.log(
      `NYC taxi daily, nothing injected: ${clean.events} alarm events in ${clean.weeks.toFixed(1)} weeks (${clean.perWeek.toFixed(2)}/week)`,
    );
    // With the fixed 30 % minimum change: 6/30 and 6/30. Scaled to the series' noise: 21/30 and 14/30,
    // with the same 3 alarm events in 25.7 clean weeks.
    expect(found[0]).toBeGreaterThanOrEqual(20);
    expect(found[1]).toBeGreaterThanOrEqual(13);
    expect(clean.events).toBeLessThanOrEqual(3);
  });

  it('NYC taxi trips per day with a holiday calendar: recall on ordinary days kept, holiday alarms gone', () => {
    const { start, values } = nabHourly('realKnownCause/nyc_taxi.csv');
    const skip = (24 - start.getUTCHours()) % 24;
    const days: number[] = [];
    for (let i = skip; i + 24 <= values.length; i += 24) days.push(values.slice(i, i + 24).reduce((a, b) => a + b, 0));
    const first = start.getTime() + skip * 3_600_000;
    const dates = days.map((_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
    // US holidays and the days around them in the series, and the January 2015 blizzard.
    const listed = ['2014-09-01', '2014-10-13', '2014-11-27', '2014-11-28', '2015-01-01', '2015-01-26', '2015-01-27'];
    for (let d = 24; d <= 31; d++) listed.push(`2014-12-${d}`);
    const holiday = dates.map((d) => listed.includes(d));
    const starts = startsBetween(35, days.length - 1, 60, 1, 5).filter((s) => !holiday[s]);
    const run = (calendar?: boolean[]) => {
      const found = [0.75, 1.25, 0.8, 1.2].map(
        (factor) => recall(days, DAILY, { name: '', length: () => 1, factor }, starts, 1, calendar).found,
      );
      const events = anomalyEvents(scoreSeries(days, DAILY, 'medium', 35, calendar));
      const ordinary = events.filter((e) => !holiday.slice(e.first, e.last + 1).some(Boolean)).length;
      return { found, events: events.length, ordinary };
    };
    const before = run();
    const after = run(holiday);
    for (const [name, r] of [
      ['without', before],
      ['with', after],
    ] as const)
      console.log(
        `NYC taxi daily ${name} the calendar, ${starts.length} ordinary days: ×0.75 ${r.found[0]}, ×1.25 ${r.found[1]}, ×0.8 ${r.found[2]}, ×1.2 ${r.found[3]} found; nothing injected: ${r.events} alarm events (${r.ordinary} on ordinary days)`,
      );
    // Measured: ×0.75 40 → 41, ×1.25 28 → 30, ×0.8 22 → 21, ×1.2 11 → 11 of 55; alarms 3 → 0, all 3 on holidays.
    expect(after.found[0]).toBeGreaterThanOrEqual(before.found[0]!);
    expect(after.found[1]).toBeGreaterThanOrEqual(before.found[1]!);
    expect(after.ordinary).toBeLessThanOrEqual(before.ordinary);
    expect(after.events).toBeLessThan(before.events);
  });
});
