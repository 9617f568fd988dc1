import { describe, expect, it } from 'vitest';
import { addCalendar, localDate, parseDateOrInstant, parseInstant, startOf } from '../../src/domain/time.js';

describe('parseInstant (the usage-log timestamp rules)', () => {
  it.each([
    ['2026-03-02T09:15:03Z', '2026-03-02T09:15:03.000Z'],
    ['2026-03-02T17:15:03+08:00', '2026-03-02T09:15:03.000Z'],
    ['2026-03-02 09:15:03', '2026-03-02T09:15:03.000Z'], // no offset: UTC
    ['2026-03-02T09:15:03.250', '2026-03-02T09:15:03.250Z'],
    ['1772442903', '2026-03-02T09:15:03.000Z'], // epoch seconds
    ['1772442903000', '2026-03-02T09:15:03.000Z'], // epoch milliseconds
  ])('%s → %s', (input, expected) => {
    expect(parseInstant(input)?.toISOString()).toBe(expected);
  });
  it.each(['yesterday', '2026-13-01T00:00:00Z', '2026-02-31', '', '03/02/2026'])('refuses %j', (input) => {
    expect(parseInstant(input)).toBeUndefined();
  });
});

describe('calendar in a zone', () => {
  const at = new Date('2026-03-01T20:00:00Z'); // 04:00 on Monday 2 March in Shanghai
  it.each([
    ['UTC', 'day', '2026-03-01T00:00:00.000Z'],
    ['Asia/Shanghai', 'day', '2026-03-01T16:00:00.000Z'],
    ['Asia/Shanghai', 'week', '2026-03-01T16:00:00.000Z'], // Monday
    ['UTC', 'week', '2026-02-23T00:00:00.000Z'],
    ['Asia/Shanghai', 'month', '2026-02-28T16:00:00.000Z'],
    ['UTC', 'year', '2026-01-01T00:00:00.000Z'],
    ['Asia/Shanghai', 'hour', '2026-03-01T20:00:00.000Z'],
  ] as const)('%s start of %s', (tz, unit, expected) => {
    expect(startOf(unit, at, tz).toISOString()).toBe(expected);
  });

  it('a local day across a DST change is 23 hours long', () => {
    const start = startOf('day', new Date('2026-03-08T12:00:00Z'), 'America/New_York');
    const next = addCalendar('day', start, 1, 'America/New_York');
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });

  it('local dates and date flags', () => {
    expect(localDate(at, 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(at, 'UTC')).toBe('2026-03-01');
    expect(parseDateOrInstant('2026-03-02', 'Asia/Shanghai')?.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(parseDateOrInstant('2026-02-30', 'UTC')).toBeUndefined();
  });
});
