import { describe, expect, it } from 'vitest';
import { kruskalWallisH, linearFit, mad, mape, median, quantile, robustSigma } from '../../src/domain/stats.js';

describe('stats', () => {
  it.each([
    [[3, 1, 2], 0.5, 2],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4, 5], 0, 1],
    [[1, 2, 3, 4, 5], 1, 5],
    [[10, 20], 0.25, 12.5],
  ])('quantile(%j, %d) = %d', (values, q, expected) => {
    expect(quantile(values, q)).toBeCloseTo(expected, 12);
  });

  it('median and MAD ignore a single wild value', () => {
    const values = [10, 11, 9, 10, 1000];
    expect(median(values)).toBe(10);
    // |v − 10| = 0, 1, 1, 0, 990 → median 1
    expect(mad(values)).toBe(1);
    expect(robustSigma(values)).toBeCloseTo(1.4826, 10);
  });

  it('empty input gives NaN, not a made-up number', () => {
    expect(median([])).toBeNaN();
    expect(mad([])).toBeNaN();
  });

  it('MAPE skips zero actuals and is in percent', () => {
    // |100−90|/100 = 10 %, |50−75|/50 = 50 %, actual 0 skipped → mean 30 %
    expect(mape([100, 50, 0], [90, 75, 5])).toBeCloseTo(30, 12);
    expect(mape([0], [1])).toBeNaN();
  });

  it('linearFit recovers a straight line', () => {
    expect(linearFit([1, 3, 5, 7])).toEqual({ intercept: 1, slope: 2 });
    expect(linearFit([4])).toEqual({ intercept: 4, slope: 0 });
  });

  it.each([
    // R's own example for kruskal.test (Hollander & Wolfe): chi-squared = 0.77143.
    [
      'R kruskal.test example',
      [
        [2.9, 3.0, 2.5, 2.6, 3.2],
        [3.8, 2.7, 4.0, 2.4],
        [2.8, 3.4, 3.7, 2.2, 2.0],
      ],
      0.771429,
    ],
    [
      'two groups apart',
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      3.857143,
    ],
    [
      'ties (mid-ranks, corrected)',
      [
        [1, 1, 2],
        [2, 3, 3],
      ],
      3.333333,
    ],
    [
      'every value the same',
      [
        [5, 5],
        [5, 5],
      ],
      0,
    ],
    ['one group with values', [[1, 2, 3], []], 0],
  ] as const)('kruskalWallisH: %s', (_, groups, expected) => {
    expect(kruskalWallisH(groups)).toBeCloseTo(expected, 5);
  });
});
