// Savings share, priority and ranking of optimization suggestions; the --window parser.
import { describe, expect, it } from 'vitest';
import { resolveReportScope, windowText } from '../../src/cli/report-flags.js';
import { combinedSavings } from '../../src/domain/suggestions.js';
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

describe('--window (optimize takes the report forms)', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const days = (w: string) => {
    const r = resolveReportScope({ window: windowText(w) }, { now, tz: 'UTC' });
    return [r.from.toISOString().slice(0, 10), r.to.toISOString().slice(0, 10)];
  };
  it.each([
    ['30d', ['2026-02-09', '2026-03-11']],
    ['14d', ['2026-02-25', '2026-03-11']],
    ['4w', ['2026-02-11', '2026-03-11']],
    [' 7D ', ['2026-03-04', '2026-03-11']],
    ['month', ['2026-03-01', '2026-04-01']],
    ['lastmonth', ['2026-02-01', '2026-03-01']],
    ['ytd', ['2026-01-01', '2026-03-11']],
    ['yesterday', ['2026-03-09', '2026-03-10']],
    ['2026-02-01..2026-02-14', ['2026-02-01', '2026-02-15']],
  ])('%j → %j', (text, range) => {
    expect(days(text)).toEqual(range);
  });

  it.each(['0d', 'soon', '-3d', '1.5d', '99999d', '30'])('%j is refused', (text) => {
    expect(() => windowText(text)).toThrow(/must be one of today, yesterday.*14d or 4w/);
  });
});

describe('combined savings', () => {
  const s = (potential_savings: string, model?: string) => ({
    potential_savings,
    evidence: model ? { model } : {},
  });
  it("counts the largest suggestion per model's spend once; suggestions not about one model add up", () => {
    // gpt-4.1-mini: move to a cheaper model $0.54 or batch $0.43 (same $0.87 spend) → $0.54, not $0.97.
    const list = [
      s('0.54', 'gpt-4.1-mini'),
      s('0.43', 'gpt-4.1-mini'),
      s('1.19', 'gpt-4o-mini'),
      s('0.05', 'gpt-4o-mini'),
    ];
    expect(combinedSavings(list).toFixed()).toBe('1.73');
    expect(combinedSavings([...list, s('2'), s('0.5')]).toFixed()).toBe('4.23');
    expect(combinedSavings([]).toFixed()).toBe('0');
  });
});
