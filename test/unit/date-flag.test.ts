// One reading of every date flag: days (two spellings), today/yesterday in the zone, ISO timestamps; no epochs.
import { describe, expect, it } from 'vitest';
import { endBound, parseDateFlag } from '../../src/domain/date-flag.js';

const NOW = new Date('2026-03-10T23:30:00Z'); // already the 11th in Berlin

describe('parseDateFlag', () => {
  const cases: [string, string, string | undefined, boolean?][] = [
    ['2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z', true],
    ['20260301', 'UTC', '2026-03-01T00:00:00.000Z', true],
    ['20260301', 'Europe/Berlin', '2026-02-28T23:00:00.000Z', true],
    ['2026-03-01', 'Asia/Shanghai', '2026-02-28T16:00:00.000Z', true],
    ['today', 'UTC', '2026-03-10T00:00:00.000Z', true],
    ['today', 'Europe/Berlin', '2026-03-10T23:00:00.000Z', true],
    ['yesterday', 'UTC', '2026-03-09T00:00:00.000Z', true],
    ['Yesterday', 'Europe/Berlin', '2026-03-09T23:00:00.000Z', true],
    ['2026-03-01T09:00:00Z', 'Europe/Berlin', '2026-03-01T09:00:00.000Z', false],
    ['2026-03-01T09:00:00+02:00', 'UTC', '2026-03-01T07:00:00.000Z', false],
    // Never epoch seconds or milliseconds, never a half-typed date or a calendar overflow.
    ['1772323200', 'UTC', undefined],
    ['1772323200000', 'UTC', undefined],
    ['2026031', 'UTC', undefined],
    ['2026-0301', 'UTC', undefined],
    ['20260231', 'UTC', undefined],
    ['2026-02-30', 'UTC', undefined],
    ['last tuesday', 'UTC', undefined],
    ['tomorrow', 'UTC', undefined],
    ['', 'UTC', undefined],
  ];
  it.each(cases)('%s in %s → %s', (text, tz, expected, day) => {
    const r = parseDateFlag(text, tz, NOW);
    expect(r?.instant.toISOString()).toBe(expected);
    if (expected) expect(r?.day).toBe(day);
  });

  it('an end bound includes a named day whole and stops at a timestamp', () => {
    const day = parseDateFlag('20260329', 'Europe/Berlin', NOW)!; // the day clocks go forward: 23 hours
    expect(endBound(day, 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const instant = parseDateFlag('2026-03-29T12:00:00Z', 'Europe/Berlin', NOW)!;
    expect(endBound(instant, 'Europe/Berlin').toISOString()).toBe('2026-03-29T12:00:00.000Z');
  });
});
