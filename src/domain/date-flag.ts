// The one reading of a date flag (--since, --until, --at, --effective-from, --window A..B): a calendar day
// (YYYY-MM-DD, or ccusage's YYYYMMDD), today or yesterday in the reporting zone, or an ISO timestamp.
// Nothing else: a bare number is never epoch seconds (20260301 is the 1st of March 2026, not 1970-08-24).
import { addCalendar, instantFromWallTime, parseInstant, startOf } from './time.js';

export interface DateFlag {
  /** The instant named: local midnight for a day, the instant itself for a timestamp. */
  instant: Date;
  /** A whole day was named, so an end bound means "through that day". */
  day: boolean;
}

export const DATE_FLAG_FORMS =
  'a date (2026-03-01 or 20260301), today, yesterday, or a timestamp (2026-03-01T09:00:00Z)';

const DAY = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

export function parseDateFlag(text: string, tz: string, now: Date): DateFlag | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'today') return { instant: startOf('day', now, tz), day: true };
  if (lower === 'yesterday') return { instant: addCalendar('day', startOf('day', now, tz), -1, tz), day: true };
  const m = DAY.exec(t);
  // Mixed forms (2026-0301) are a typo, not a date.
  if (m && (t.length === 8 || t.length === 10)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1970 || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
    return { instant: instantFromWallTime(tz, y, mo, d), day: true };
  }
  if (!TIMESTAMP.test(t)) return undefined;
  const instant = parseInstant(t);
  return instant ? { instant, day: false } : undefined;
}

/** A start bound: the instant named. */
export function startBound(flag: DateFlag): Date {
  return flag.instant;
}

/** An end bound, exclusive: a named day is included whole (through its last instant), a timestamp is not. */
export function endBound(flag: DateFlag, tz: string): Date {
  return flag.day ? addCalendar('day', flag.instant, 1, tz) : flag.instant;
}
