// Quota windows by hand: each expected bound below is local wall time converted with the zone's known
// offset on that date (New York EST −5 / EDT −4, switching 2026-03-08 and 2026-11-01; Berlin CET +1 /
// CEST +2, switching 2026-03-29; Shanghai +8 all year; Kolkata +5:30).
import { describe, expect, it } from 'vitest';
import { effectiveWindow, periodWindow, type Period } from '../../src/domain/windows.js';

const cases: Array<[string, Period, string, string, string, string | null]> = [
  // label, period, tz, at, expected start, expected end
  ['UTC day', 'daily', 'UTC', '2026-03-02T09:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'],
  ['UTC hour', 'hourly', 'UTC', '2026-03-02T09:59:59Z', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'],
  [
    'Shanghai day is local midnight (16:00Z)',
    'daily',
    'Asia/Shanghai',
    '2026-03-01T18:30:00Z',
    '2026-03-01T16:00:00Z',
    '2026-03-02T16:00:00Z',
  ],
  [
    'Shanghai month starts on the local 1st',
    'monthly',
    'Asia/Shanghai',
    '2026-02-28T17:00:00Z',
    '2026-02-28T16:00:00Z',
    '2026-03-31T16:00:00Z',
  ],
  [
    'Shanghai 15:59Z is still February',
    'monthly',
    'Asia/Shanghai',
    '2026-02-28T15:59:59Z',
    '2026-01-31T16:00:00Z',
    '2026-02-28T16:00:00Z',
  ],
  ['Shanghai year', 'yearly', 'Asia/Shanghai', '2026-12-31T16:30:00Z', '2026-12-31T16:00:00Z', '2027-12-31T16:00:00Z'],
  [
    'New York spring-forward day has 23 hours',
    'daily',
    'America/New_York',
    '2026-03-08T12:00:00Z',
    '2026-03-08T05:00:00Z',
    '2026-03-09T04:00:00Z',
  ],
  [
    'New York fall-back day has 25 hours',
    'daily',
    'America/New_York',
    '2026-11-01T12:00:00Z',
    '2026-11-01T04:00:00Z',
    '2026-11-02T05:00:00Z',
  ],
  [
    'New York first 01:00 hour (EDT)',
    'hourly',
    'America/New_York',
    '2026-11-01T05:30:00Z',
    '2026-11-01T05:00:00Z',
    '2026-11-01T06:00:00Z',
  ],
  [
    'New York second 01:00 hour (EST)',
    'hourly',
    'America/New_York',
    '2026-11-01T06:30:00Z',
    '2026-11-01T06:00:00Z',
    '2026-11-01T07:00:00Z',
  ],
  [
    'New York month across spring-forward',
    'monthly',
    'America/New_York',
    '2026-03-15T00:00:00Z',
    '2026-03-01T05:00:00Z',
    '2026-04-01T04:00:00Z',
  ],
  [
    'Berlin week on the DST Sunday (Mon CET → Mon CEST)',
    'weekly',
    'Europe/Berlin',
    '2026-03-29T10:00:00Z',
    '2026-03-22T23:00:00Z',
    '2026-03-29T22:00:00Z',
  ],
  [
    'Berlin Monday 00:30 local is the new week',
    'weekly',
    'Europe/Berlin',
    '2026-03-29T22:30:00Z',
    '2026-03-29T22:00:00Z',
    '2026-04-05T22:00:00Z',
  ],
  [
    'Kolkata hour starts at :30 UTC',
    'hourly',
    'Asia/Kolkata',
    '2026-03-02T09:10:00Z',
    '2026-03-02T08:30:00Z',
    '2026-03-02T09:30:00Z',
  ],
  ['UTC week starts Monday', 'weekly', 'UTC', '2026-03-01T23:00:00Z', '2026-02-23T00:00:00Z', '2026-03-02T00:00:00Z'],
  ['total never ends', 'total', 'Asia/Shanghai', '2026-03-02T09:00:00Z', '1970-01-01T00:00:00Z', null],
];

describe('periodWindow', () => {
  it.each(cases)('%s', (_label, period, tz, at, start, end) => {
    const w = periodWindow(period, new Date(at), tz);
    expect(w.start.toISOString()).toBe(new Date(start).toISOString());
    expect(w.end?.toISOString() ?? null).toBe(end === null ? null : new Date(end).toISOString());
  });

  it('every window contains its instant', () => {
    for (const [, period, tz, at] of cases) {
      const w = periodWindow(period, new Date(at), tz);
      expect(w.start.getTime()).toBeLessThanOrEqual(new Date(at).getTime());
      if (w.end) expect(w.end.getTime()).toBeGreaterThan(new Date(at).getTime());
    }
  });
});

describe('effectiveWindow with a reset', () => {
  const at = new Date('2026-03-20T00:00:00Z');
  it.each([
    ['reset inside the window starts it at the reset', '2026-03-10T12:00:00Z', '2026-03-10T12:00:00Z', true],
    [
      'reset after the instant is ignored (the past stays the past)',
      '2026-03-25T00:00:00Z',
      '2026-03-01T00:00:00Z',
      false,
    ],
    ['reset in an earlier window is ignored', '2026-02-27T00:00:00Z', '2026-03-01T00:00:00Z', false],
    ['reset exactly at the window start changes nothing', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', false],
  ] as const)('%s', (_label, reset, start, applied) => {
    const w = effectiveWindow('monthly', at, 'UTC', new Date(reset));
    expect(w.start.toISOString()).toBe(new Date(start).toISOString());
    expect(w.end!.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(w.resetApplied).toBe(applied);
  });

  it('a total quota restarts at its reset', () => {
    const w = effectiveWindow('total', at, 'UTC', new Date('2026-01-05T00:00:00Z'));
    expect(w.start.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(w.end).toBeNull();
  });
});
