// wallTime answers from a cached per-quarter-hour offset instead of asking Intl each time; it must
// agree with Intl at every instant, including DST changes, :30/:45 zones and old local-mean-time offsets.
import { describe, expect, it } from 'vitest';
import { wallTime } from '../../src/domain/time.js';
import { lcg } from '../helpers/random.js';

function intl(instant: Date, tz: string) {
  const parts: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  });
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  const days: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
  return {
    year: +parts.year!,
    month: +parts.month!,
    day: +parts.day!,
    hour: +parts.hour!,
    minute: +parts.minute!,
    second: +parts.second!,
    millisecond: instant.getUTCMilliseconds(),
    isoWeekday: days[parts.weekday!],
  };
}

describe('wallTime', () => {
  const zones = [
    'UTC',
    'America/New_York',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Africa/Monrovia',
    'Europe/Amsterdam',
    'America/Santiago',
  ];
  it('agrees with Intl around DST changes and at random instants, 1900–2100', () => {
    const rand = lcg(12345);
    const instants: number[] = [];
    // Every minute across New York's and Berlin's 2026 spring-forward and fall-back, and Lord Howe's 30-minute shift.
    for (const day of [
      '2026-03-08T05:00:00Z',
      '2026-11-01T04:00:00Z',
      '2026-03-29T00:00:00Z',
      '2026-10-25T00:00:00Z',
      '2026-04-04T14:00:00Z',
      '2026-10-03T15:00:00Z',
    ]) {
      for (let m = 0; m < 240; m++) instants.push(Date.parse(day) + m * 60_000 + 17_123);
    }
    // Liberia used -0:44:30 until 1972; Amsterdam +0:19:32 until mid-1937: changes off the quarter hour.
    for (const t of ['1972-01-07T00:30:00Z', '1937-06-30T23:30:00Z'])
      for (let s = 0; s < 180; s++) instants.push(Date.parse(t) + s * 10_000);
    for (let i = 0; i < 3000; i++) instants.push(Date.UTC(1900, 0, 1) + Math.floor(rand() * 200 * 365.25 * 86_400_000));
    for (const tz of zones)
      for (const ms of instants)
        expect(wallTime(new Date(ms), tz), `${tz} ${new Date(ms).toISOString()}`).toEqual(intl(new Date(ms), tz));
  });
});
