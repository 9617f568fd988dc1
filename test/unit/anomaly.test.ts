import { describe, expect, it } from 'vitest';
import { anomalyEvents, baselineAt, DAILY, HOURLY, scoreSeries } from '../../src/domain/anomaly.js';
import { parkMiller } from '../helpers/random.js';

const daily = (weeks: number) => Array.from({ length: weeks * 7 }, (_, t) => [100, 110, 105, 100, 95, 40, 30][t % 7]!);

describe('baseline', () => {
  it('is the median of the same weekday in the previous weeks', () => {
    const v = daily(5);
    v[21] = 1000; // one odd Monday among the four before day 28
    expect(baselineAt(v, 28, DAILY)).toBe(100);
  });
  it('falls back to recent days, then to nothing while warming up', () => {
    expect(baselineAt([5, 6, 7, 8], 3, DAILY)).toBe(6);
    expect(baselineAt([5, 6], 2, DAILY)).toBeUndefined();
  });
});

describe('scoring', () => {
  it('a quiet weekend is not an anomaly, a tripled Wednesday is, and so is a dead Tuesday', () => {
    const v = daily(6);
    v[37] = 315; // Wednesday (slot 2) ×3
    v[36] = 0; // Tuesday, nothing
    const scores = scoreSeries(v, DAILY, 'medium', 28);
    const flagged = scores.filter((s) => s.anomalous).map((s) => [s.index, s.direction]);
    expect(flagged).toEqual([
      [36, 'drop'],
      [37, 'spike'],
    ]);
  });

  it('sensitivity changes what is reported', () => {
    const random = parkMiller(3);
    const noise = () => (random() - 0.5) * 0.2;
    const v = daily(8).map((x) => x * (1 + noise()));
    v[50] = v[50]! * 1.6;
    const count = (s: 'low' | 'medium' | 'high') => scoreSeries(v, DAILY, s, 28).filter((x) => x.anomalous).length;
    expect(count('high')).toBeGreaterThanOrEqual(count('medium'));
    expect(count('medium')).toBeGreaterThanOrEqual(count('low'));
    expect(count('low')).toBe(0);
    expect(count('high')).toBeGreaterThan(0);
  });

  it('the minimum change follows the noise: a 20 % dip on a regular series is found, on a noisy one it is not', () => {
    const random = parkMiller(5);
    const series = (noise: number) => daily(8).map((x) => x * (1 + (random() - 0.5) * 2 * noise));
    const dipFound = (noise: number) => {
      const v = series(noise);
      v[51] = v[51]! * 0.8;
      return scoreSeries(v, DAILY, 'medium', 28).some((x) => x.index === 51 && x.anomalous);
    };
    expect(dipFound(0.01)).toBe(true); // σ ≈ 1 %: 20 % is far out, and above the 15 % floor
    expect(dipFound(0.15)).toBe(false); // ±15 % noise: 20 % is ordinary
    // A 10 % dip on the regular series stays below the floor even though it is many σ out.
    const v = series(0.005);
    v[51] = v[51]! * 0.9;
    expect(scoreSeries(v, DAILY, 'medium', 28).some((x) => x.index === 51 && x.anomalous)).toBe(false);
  });

  it('hourly series use the hour-of-week slot; consecutive hours merge into one event', () => {
    const v = Array.from({ length: 24 * 7 * 5 }, (_, t) => 50 + 40 * Math.sin((2 * Math.PI * (t % 24)) / 24));
    const at = 24 * 7 * 4 + 30;
    v[at] = v[at]! * 5;
    v[at + 1] = v[at + 1]! * 5;
    const events = anomalyEvents(scoreSeries(v, HOURLY, 'medium', 24 * 7 * 4));
    expect(events).toEqual([{ first: at, last: at + 1 }]);
  });
});
