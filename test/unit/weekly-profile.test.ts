// The weekday profile shrunk toward flat by the evidence for a weekly pattern (src/domain/weekly-profile.ts):
// white noise around a level gets little of a pattern and forecasts better than with the forced profile; a
// real weekly shape keeps its profile. (The CLI's forecast does not shrink: see docs/ANALYTICS.md.)
import { describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/domain/forecast.js';
import { shrunkWeeklyProfile, weeklyProfile } from '../../src/domain/weekly-profile.js';
import { lcg32 } from '../helpers/random.js';

/** Normal draws (Box–Muller) from a seeded generator. */
function normals(seed: number, n: number): number[] {
  const u = lcg32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

const SHAPE = [100, 110, 105, 100, 95, 40, 30];
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** Mean absolute error of the next 7 days from weekly origins after 8 weeks. */
function weeklyMae(series: number[], shrinkWeekly: boolean): number {
  let sum = 0;
  let n = 0;
  for (let origin = 56; origin + 7 <= series.length; origin += 7) {
    pointForecast(series.slice(0, origin), 0, 7, undefined, { shrinkWeekly }).forEach((f, i) => {
      sum += Math.abs(series[origin + i]! - f);
      n++;
    });
  }
  return sum / n;
}

describe('weekly profile shrunk toward flat by its evidence', () => {
  it('white noise around a level: most of the chance pattern is shrunk away', () => {
    const strengths = SEEDS.map((seed) => {
      const p = shrunkWeeklyProfile(
        normals(seed, 56).map((x) => 100 + 10 * x),
        0,
      );
      for (const f of p.factors) expect(Math.abs(f - 1)).toBeLessThan(0.08);
      return p.strength;
    });
    console.log(`white noise, 8 weeks: strength ${strengths.map((s) => s.toFixed(2)).join(' ')}`);
    expect(strengths.reduce((a, b) => a + b, 0) / strengths.length).toBeLessThan(0.6);
  });

  it('white noise: shrunk forecasts beat the forced weekly profile (MAE over a year of weekly origins)', () => {
    const pairs = SEEDS.map((seed) => {
      const s = normals(seed, 364).map((x) => 100 + 10 * x);
      return { shrunk: weeklyMae(s, true), forced: weeklyMae(s, false) };
    });
    console.log(
      `white noise MAE, shrunk / forced: ${pairs.map((p) => `${p.shrunk.toFixed(2)}/${p.forced.toFixed(2)}`).join(' ')}`,
    );
    for (const p of pairs) expect(p.shrunk).toBeLessThanOrEqual(p.forced);
  });

  it('a weekly shape under 10 % noise keeps its profile', () => {
    const series = normals(9, 56).map((x, t) => SHAPE[t % 7]! * (1 + 0.1 * x));
    const p = shrunkWeeklyProfile(series, 0);
    expect(p.strength).toBeGreaterThan(0.95);
    const mean = SHAPE.reduce((a, b) => a + b, 0) / 7;
    for (const [i, v] of SHAPE.entries()) expect(p.factors[i]).toBeCloseTo(v / mean, 1);
  });

  it('an exact weekly shape is not shrunk at all; without shrinking the raw medians are returned', () => {
    const series = Array.from({ length: 56 }, (_, t) => SHAPE[t % 7]!);
    expect(shrunkWeeklyProfile(series, 0).strength).toBe(1);
    const raw = weeklyProfile(series, 0);
    for (const [i, f] of weeklyProfile(series, 0, undefined, true).entries()) expect(f).toBeCloseTo(raw[i]!, 12);
  });
});
