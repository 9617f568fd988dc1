// Savings share, priority and ranking of optimization suggestions; the --window parser.
import { describe, expect, it } from 'vitest';
import { windowDays } from '../../src/commands/optimize.js';
import { Decimal } from '../../src/domain/money.js';
import { priorityOf, savingsPercentage } from '../../src/domain/suggestions.js';
import { rankSuggestions, type Suggestion } from '../../src/services/optimize/suggestions.js';

describe('savingsPercentage', () => {
  it.each([
    ['200', '50', '25'],
    ['3', '1', '33.33'],
    ['3', '2', '66.67'],
    ['0', '5', '0'],
    ['1.69', '1.6055', '95'],
  ])('%s saving %s → %s%%', (current, savings, pct) => {
    expect(savingsPercentage(new Decimal(current), new Decimal(savings)).toFixed()).toBe(pct);
  });
});

describe('priorityOf', () => {
  it.each([
    ['1000', '150', 'high'], // $150 saved
    ['10', '3', 'high'], // 30% and at least $1
    ['10', '0.5', 'medium'], // 5%
    ['1000', '12', 'medium'], // $12
    ['1000', '1', 'low'],
    ['5', '0', 'low'],
  ])('current %s saving %s → %s', (current, savings, priority) => {
    expect(priorityOf(new Decimal(current), new Decimal(savings))).toBe(priority);
  });
});

describe('rankSuggestions', () => {
  const s = (id: number, savings: string, pct: string, title: string) =>
    ({ id, potential_savings: savings, savings_percentage: pct, title }) as Suggestion;
  it('largest saving first, then share, then title', () => {
    const ranked = rankSuggestions([
      s(1, '0.5', '10', 'b'),
      s(2, '9.1', '5', 'a'),
      s(3, '0.5', '20', 'c'),
      s(4, '0.5', '10', 'a'),
    ]);
    expect(ranked.map((x) => x.id)).toEqual([2, 3, 4, 1]);
  });
});

describe('--window', () => {
  it.each([
    ['30d', 30],
    ['30', 30],
    ['4w', 28],
    [' 7D ', 7],
  ])('%j → %i days', (text, days) => {
    expect(windowDays(text)).toBe(days);
  });

  it.each(['0d', 'soon', '-3d', '1.5d', '99999d'])('%j is refused', (text) => {
    expect(() => windowDays(text)).toThrow(/must be a number of days such as 30d or 4w/);
  });
});
