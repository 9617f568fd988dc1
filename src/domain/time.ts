// Instants are UTC; calendar questions (which day, when a window starts) are answered in a time zone.
// Plain Intl arithmetic, no library: a zone's offset at an instant, and local wall time back to an instant.

export function isValidTimeZone(tz: string): boolean {
  // The default zone needs no Intl: building the first formatter loads ICU's zone data (~9 ms a command).
  if (tz === 'UTC' || tz === 'Etc/UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
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
    formatters.set(tz, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Wall time straight from Intl: exact, but ~50 µs a call, which a pre-call check makes hundreds of. */
function intlWallTime(instant: Date, tz: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: instant.getUTCMilliseconds(),
    isoWeekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
  };
}

function intlOffsetMs(ms: number, tz: string): number {
  const w = intlWallTime(new Date(ms), tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - ms;
}

const QUARTER_HOUR_MS = 900_000;
/** Offsets per zone and UTC quarter hour, kept only when the offset is the same at both ends of the quarter. */
const offsetCache = new Map<string, number>();

/** Offset of `tz` from UTC at `instant`, in milliseconds (Asia/Shanghai: +8h). */
export function zoneOffsetMs(instant: Date, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const ms = instant.getTime();
  const quarter = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${tz}|${quarter}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  // Offsets change at most once in a quarter hour, and since 1972 only on quarter-hour instants: equal
  // ends mean the offset holds for the whole quarter. Otherwise (old local-mean-time changes) ask Intl.
  const start = intlOffsetMs(quarter, tz);
  if (start !== intlOffsetMs(quarter + QUARTER_HOUR_MS - 1, tz)) return intlOffsetMs(ms, tz);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, start);
  return start;
}

/** The wall clock in `tz` at `instant`. */
export function wallTime(instant: Date, tz: string): WallTime {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant, tz));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    isoWeekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

/** The instant at which the wall clock in `tz` shows the given local time (DST gaps resolve forward). */
export function instantFromWallTime(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  let instant = guess - zoneOffsetMs(new Date(guess), tz);
  // A second pass settles instants near an offset change.
  instant = guess - zoneOffsetMs(new Date(instant), tz);
  return new Date(instant);
}

export type CalendarUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

/** Start of the calendar hour/day/week (Monday)/month/year containing `instant`, in `tz`. */
export function startOf(unit: CalendarUnit, instant: Date, tz: string): Date {
  const w = wallTime(instant, tz);
  switch (unit) {
    case 'hour':
      return instantFromWallTime(tz, w.year, w.month, w.day, w.hour);
    case 'day':
      return instantFromWallTime(tz, w.year, w.month, w.day);
    case 'week': {
      const monday = new Date(Date.UTC(w.year, w.month - 1, w.day - (w.isoWeekday - 1)));
      return instantFromWallTime(tz, monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
    }
    case 'month':
      return instantFromWallTime(tz, w.year, w.month, 1);
    case 'year':
      return instantFromWallTime(tz, w.year, 1, 1);
  }
}

/** `instant` moved by `n` calendar units in `tz` (days keep local midnight across DST). */
export function addCalendar(unit: CalendarUnit, instant: Date, n: number, tz: string): Date {
  if (unit === 'hour') return new Date(instant.getTime() + n * 3_600_000);
  const w = wallTime(instant, tz);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + n);
  if (unit === 'week') d.setUTCDate(d.getUTCDate() + 7 * n);
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
  return instantFromWallTime(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), w.hour, w.minute, w.second);
}

/** `YYYY-MM-DD` of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const w = wallTime(instant, tz);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * An instant as a person reads it in a message: `2026-01-01 00:00 Europe/Berlin` (wall time in `tz`, the
 * zone named; seconds only when not zero). Tables use render/local-time.ts with the zone in the header.
 */
export function localStamp(instant: Date, tz: string): string {
  const w = wallTime(instant, tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${localDate(instant, tz)} ${two(w.hour)}:${two(w.minute)}${w.second ? `:${two(w.second)}` : ''} ${tz}`;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A timestamp as the usage-log contract allows: ISO 8601 with offset or Z; without an offset it is UTC;
 * epoch seconds or milliseconds (13+ digits). Returns undefined when it cannot be read.
 */
export function parseInstant(text: string): Date | undefined {
  const t = text.trim();
  if (/^\d{1,12}(\.\d+)?$/.test(t)) return new Date(Math.round(Number(t) * 1000));
  if (/^\d{13,}$/.test(t)) return new Date(Number(t));
  let iso: string | undefined;
  if (ISO_WITH_ZONE.test(t)) iso = t.replace(' ', 'T');
  else if (ISO_NO_ZONE.test(t)) iso = `${t.replace(' ', 'T')}Z`;
  else if (DATE_ONLY.test(t)) iso = `${t}T00:00:00Z`;
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  // Reject calendar overflow such as 2026-02-31 that Date silently rolls forward.
  const m = DATE_ONLY.exec(t.slice(0, 10));
  if (m && !/[+-]\d{2}:?\d{2}$/.test(t) && d.getUTCDate() !== Number(m[3])) return undefined;
  return d;
}

/**
 * A flag value that is either a calendar date (`YYYY-MM-DD`, local midnight in `tz`) or a full timestamp.
 */
export function parseDateOrInstant(text: string, tz: string): Date | undefined {
  const m = DATE_ONLY.exec(text.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
    return instantFromWallTime(tz, y, mo, d);
  }
  return parseInstant(text);
}

/** A UTC instant as DuckDB TIMESTAMP text (naive, UTC by convention). */
export function sqlTimestamp(instant: Date): string {
  return instant.toISOString().replace('T', ' ').replace('Z', '');
}

/** DuckDB's naive UTC TIMESTAMP text back to an instant. */
export function fromSqlTimestamp(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}
