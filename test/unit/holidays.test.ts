// Holiday calendars (issue #21): the file format, and what a holiday does to the anomaly scan.
import { describe, expect, it } from 'vitest';
import { DAILY, scoreSeries } from '../../src/domain/anomaly.js';
import { parseHolidayFile } from '../../src/domain/holidays.js';
import { validateConfig } from '../../src/config/schema.js';

describe('parseHolidayFile', () => {
  it('one date a line; names, comments and blank lines ignored; sorted, once each', () => {
    const text = '# US 2026\n2026-12-25 Christmas\n\n2026-07-04, Independence Day\r\n2026-12-25\n';
    expect(parseHolidayFile(text, 'h.txt')).toEqual(['2026-07-04', '2026-12-25']);
  });
  it.each([
    ['2026-02-30', /^h\.txt:2: "2026-02-30" is not a date/],
    ['25/12/2026', /^h\.txt:2: "25\/12\/2026" is not a date; write one holiday a line as YYYY-MM-DD/],
  ])('%s is refused naming the file and line', (bad, message) => {
    expect(() => parseHolidayFile(`2026-01-01\n${bad}\n`, 'h.txt')).toThrow(message);
  });
  it('the config list is checked the same way', () => {
    expect(validateConfig({ holidays: ['2026-12-25'] })).toEqual([]);
    expect(validateConfig({ holidays: ['2026-13-01'] })[0]).toMatchObject({ key: 'holidays' });
  });
});

describe('holidays in the anomaly scan', () => {
  // Six weeks of a flat 100 a day with a drop to 40 on day 30 (a holiday) and a rise to 160 on day 37.
  const values = Array.from({ length: 42 }, (_, t) => (t === 30 ? 40 : t === 37 ? 160 : 100 + (t % 3)));
  const holiday = values.map((_, t) => t === 30);
  const flagged = (mask?: boolean[]) =>
    scoreSeries(values, DAILY, 'medium', 28, mask)
      .filter((s) => s.anomalous)
      .map((s) => s.index);
  it('a holiday is not scored; the ordinary day after it still is', () => {
    expect(flagged()).toEqual([30, 37]);
    expect(flagged(holiday)).toEqual([37]);
  });
  it('a holiday is no part of a later baseline: the same weekday a week on is measured against ordinary days', () => {
    const expected = (mask?: boolean[]) =>
      scoreSeries(values, DAILY, 'medium', 28, mask).find((s) => s.index === 37)!.expected;
    // Days 30, 23, 16, 9 are 40, 102, 101, 100: median 100.5. Without day 30 the slot reaches back to day 2
    // (102): median of 102, 101, 100, 102 = 101.5.
    expect(expected()).toBe(100.5);
    expect(expected(holiday)).toBe(101.5);
  });
});
