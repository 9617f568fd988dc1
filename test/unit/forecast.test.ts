import { describe, expect, it } from 'vitest';
import {
  forecastDaily,
  linearTrendBaseline,
  pointForecast,
  seasonalNaiveBaseline,
  weeklyProfile,
} from '../../src/domain/forecast.js';
import { parkMiller } from '../helpers/random.js';

// A week shape with a quiet weekend (slots 5 and 6), repeated.
const SHAPE = [100, 110, 105, 100, 95, 40, 30];
const weeks = (n: number, scale = (_w: number) => 1) =>
  Array.from({ length: n * 7 }, (_, t) => SHAPE[t % 7]! * scale(Math.floor(t / 7)));

describe('weekly profile', () => {
  it('recovers the weekday shape, normalised to mean 1', () => {
    const p = weeklyProfile(weeks(6), 0);
    const mean = SHAPE.reduce((a, b) => a + b, 0) / 7;
    for (const [i, v] of SHAPE.entries()) expect(p[i]).toBeCloseTo(v / mean, 10);
  });

  it('one burst week does not move the median profile', () => {
    const h = weeks(6);
    for (let t = 14; t < 21; t++) h[t] = h[t]! * (t === 16 ? 20 : 1);
    const p = weeklyProfile(h, 0);
    const mean = SHAPE.reduce((a, b) => a + b, 0) / 7;
    expect(p[2]).toBeCloseTo(105 / mean, 1);
  });

  it('with under two weeks it is flat', () => {
    expect(weeklyProfile([1, 2, 3, 4, 5, 6, 7, 8], 0)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('point forecast', () => {
  it('a perfectly weekly series is forecast exactly, weekday by weekday', () => {
    const f = pointForecast(weeks(8), 0, 7);
    for (const [i, v] of f.entries()) expect(v).toBeCloseTo(SHAPE[i]!, 6);
  });

  it('respects the weekday of the first history day', () => {
    // History starting on slot 3 (a Thursday in ISO terms): the next day after 56 days is slot 3 again.
    const h = Array.from({ length: 56 }, (_, t) => SHAPE[(3 + t) % 7]!);
    expect(pointForecast(h, 3, 1)[0]).toBeCloseTo(SHAPE[3]!, 6);
  });

  it('follows a growing level (each week 10 % more)', () => {
    const h = weeks(8, (w) => 1.1 ** w);
    const next = pointForecast(h, 0, 1)[0]!;
    // Last week's Monday was 100·1.1^7 = 194.9; the next Monday should be above it.
    expect(next).toBeGreaterThan(100 * 1.1 ** 7);
  });

  it('one burst day does not drag the level', () => {
    const h = weeks(8);
    h[h.length - 3] = h[h.length - 3]! * 30;
    const f = pointForecast(h, 0, 7);
    expect(f[0]).toBeLessThan(SHAPE[0]! * 1.5);
  });

  it('no history means a zero forecast; never negative', () => {
    expect(pointForecast([], 0, 3)).toEqual([0, 0, 0]);
    const falling = Array.from({ length: 28 }, (_, t) => Math.max(0, 100 - 5 * t));
    expect(Math.min(...pointForecast(falling, 0, 30))).toBeGreaterThanOrEqual(0);
  });
});

describe('intervals', () => {
  it('bands are ordered lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95 and widen with the horizon on noisy data', () => {
    const random = parkMiller(1);
    const noise = () => (random() - 0.5) * 0.4;
    const h = weeks(8).map((v) => v * (1 + noise()));
    const f = forecastDaily(h, 0, 14);
    expect(f.calibrated).toBe(true);
    for (const p of f.points) {
      expect(p.lo95).toBeLessThanOrEqual(p.lo80);
      expect(p.lo80).toBeLessThanOrEqual(p.mean);
      expect(p.mean).toBeLessThanOrEqual(p.hi80);
      expect(p.hi80).toBeLessThanOrEqual(p.hi95);
    }
    const width = (i: number) => f.points[i]!.hi95 / Math.max(f.points[i]!.mean, 1e-9);
    expect(width(13)).toBeGreaterThan(width(0));
  });

  it('short history is marked uncalibrated', () => {
    expect(forecastDaily([5, 6, 7], 0, 2).calibrated).toBe(false);
  });
});

describe('baselines', () => {
  it('linear trend over the last 7 days extends the line', () => {
    expect(linearTrendBaseline([0, 0, 1, 2, 3, 4, 5, 6, 7], 2)).toEqual([8, 9]);
  });
  it('same weekday last week', () => {
    expect(seasonalNaiveBaseline([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([3, 4, 5]);
  });
});
