// Band calibration: the finite-sample quantile rule, the fitted growth of the error scale with the
// horizon, and coverage on errors drawn from a known distribution.
import { describe, expect, it } from 'vitest';
import { bandAt, conformalQuantile, fitBands } from '../../src/domain/forecast-bands.js';
import { parkMiller } from '../helpers/random.js';

const ascending = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('conformalQuantile', () => {
  it.each([
    // n, level, side, k-th smallest
    [19, 0.9, 'upper', 18], // ⌈20·0.9⌉ = 18
    [19, 0.1, 'lower', 2], // ⌊20·0.1⌋ = 2
    [39, 0.975, 'upper', 39], // ⌈40·0.975⌉ = 39
    [39, 0.025, 'lower', 1], // ⌊40·0.025⌋ = 1
    [10, 0.975, 'upper', 10], // ⌈11·0.975⌉ = 11 > n: the largest
    [10, 0.025, 'lower', 1], // ⌊11·0.025⌋ = 0 < 1: the smallest
    [100, 0.9, 'upper', 91], // ⌈101·0.9⌉ = 91, not the 90th an empirical quantile would take
  ] as const)('n=%i level %f %s → the %i-th smallest', (n, level, side, k) => {
    expect(conformalQuantile(ascending(n), level, side)).toBe(k);
  });
  it('no scores: 0', () => expect(conformalQuantile([], 0.9, 'upper')).toBe(0));
});

/** Errors at horizons 1…7 whose size is exactly base·h^g, alternating in sign. */
const grown = (g: number, perH = 20) =>
  Array.from({ length: 7 }, (_, i) =>
    Array.from({ length: perH }, (_, j) => (j % 2 ? 1 : -1) * 0.1 * (i + 1) ** g * (1 + (j % 5) / 10)),
  );

describe('fitBands', () => {
  it.each([
    ['flat errors (a seasonal series)', 0, 0],
    ['errors growing like √h', 0.5, 0.5],
    ['errors growing like h^0.3', 0.3, 0.3],
    ['errors growing faster than √h are held at √h', 1, 0.5],
    ['errors shrinking with h are held flat', -0.4, 0],
  ])('%s: γ = %f', (_, g, gamma) => {
    expect(fitBands(grown(g))!.gamma).toBeCloseTo(gamma, 6);
  });

  it('the scale at h is the mean |error| at h when the growth fits', () => {
    const model = fitBands(grown(0.3))!;
    const meanAbs = (h: number) => grown(0.3)[h - 1]!.reduce((s, v) => s + Math.abs(v), 0) / 20;
    for (const h of [1, 4, 7]) expect(model.scale(h)).toBeCloseTo(meanAbs(h), 9);
  });

  it('too few errors: no model', () => {
    expect(fitBands([[0.1, -0.1, 0.2]])).toBeUndefined();
    expect(fitBands(Array.from({ length: 7 }, () => [0.1, -0.2, 0.1, 0.05]))).toBeUndefined();
  });

  it('on fresh errors from the same distribution the 80 % and 95 % bands cover about 80 % and 95 %', () => {
    const random = parkMiller(7);
    // A skewed error: the log of a uniform's ratio; the same law at every horizon, scaled by h^0.2.
    const draw = (h: number) => Math.log((0.5 + random()) / (0.5 + random())) * h ** 0.2;
    const calibration = Array.from({ length: 7 }, (_, i) => Array.from({ length: 60 }, () => draw(i + 1)));
    const model = fitBands(calibration)!;
    let in80 = 0;
    let in95 = 0;
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      const h = 1 + (t % 7);
      const e = draw(h) / model.scale(h);
      if (e >= model.q.lo80 && e <= model.q.hi80) in80++;
      if (e >= model.q.lo95 && e <= model.q.hi95) in95++;
    }
    expect(in80 / trials).toBeGreaterThan(0.76);
    expect(in80 / trials).toBeLessThan(0.85);
    expect(in95 / trials).toBeGreaterThan(0.92);
    expect(in95 / trials).toBeLessThan(0.98);
  });
});

describe('bandAt', () => {
  it.each([
    [100, 0, 5, 100],
    [100, Math.log(2), 5, 205], // (100 + 5)·2 − 5
    [0, Math.log(0.5), 5, 0], // never below 0
  ])('forecast %f, log error %f, offset %f → %f', (f, e, c, want) => {
    expect(bandAt(f, e, c)).toBeCloseTo(want, 9);
  });
});
