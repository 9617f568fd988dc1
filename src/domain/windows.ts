// Quota and budget windows: calendar-aligned in the reporting time zone (the hour, local midnight,
// Monday, the 1st, January 1st), or `total` (since the beginning). A reset inside a window starts a
// fresh window at the reset instant; usage before it stays in history but no longer counts.
import { addCalendar, startOf, wallTime, type CalendarUnit } from './time.js';

export const PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly', 'total'] as const;
export type Period = (typeof PERIODS)[number];

/** Sub-limits are windows of their own inside the quota's period. */
export type LimitKind = 'period' | 'daily' | 'hourly';

export interface Window {
  start: Date;
  /** Exclusive; null for `total`, which never ends. */
  end: Date | null;
}

/** The start of time for `total` windows: every usage row counts. */
export const BEGINNING_OF_TIME = new Date('1970-01-01T00:00:00Z');

const UNIT: Record<Exclude<Period, 'total'>, CalendarUnit> = {
  hourly: 'hour',
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** Length order, so a sub-limit can be checked to be shorter than its period. */
export const PERIOD_RANK: Record<Period, number> = { hourly: 1, daily: 2, weekly: 3, monthly: 4, yearly: 5, total: 6 };

/**
 * The local hour containing `at`. Computed from the local minutes and seconds rather than from a wall
 * time, so the repeated hour of a DST fall-back (01:00 twice) gives two distinct windows.
 */
function hourWindow(at: Date, tz: string): Window {
  const w = wallTime(at, tz);
  const start = new Date(at.getTime() - ((w.minute * 60 + w.second) * 1000 + w.millisecond));
  return { start, end: new Date(start.getTime() + 3_600_000) };
}

/** The calendar window of `period` that contains `at`, in zone `tz`. */
export function periodWindow(period: Period, at: Date, tz: string): Window {
  if (period === 'total') return { start: BEGINNING_OF_TIME, end: null };
  if (period === 'hourly') return hourWindow(at, tz);
  const unit = UNIT[period];
  const start = startOf(unit, at, tz);
  return { start, end: addCalendar(unit, start, 1, tz) };
}

/**
 * The window that counts at `at`: the calendar window, started later by the latest reset that falls
 * inside it at or before `at`. A reset after `at` is ignored, so evaluating the past shows the past.
 */
export function effectiveWindow(
  period: Period,
  at: Date,
  tz: string,
  resetAt?: Date | null,
): Window & { resetApplied: boolean } {
  const w = periodWindow(period, at, tz);
  if (resetAt && resetAt.getTime() <= at.getTime() && resetAt.getTime() > w.start.getTime()) {
    return { start: resetAt, end: w.end, resetApplied: true };
  }
  return { ...w, resetApplied: false };
}

/** The period a sub-limit kind stands for, given the quota's own period. */
export function limitPeriod(kind: LimitKind, period: Period): Period {
  return kind === 'period' ? period : kind;
}
