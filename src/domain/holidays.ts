// A holiday calendar (issue #21): local dates the anomaly scan treats as their own kind of day, neither
// scored nor part of any baseline. From `--holidays FILE` (one YYYY-MM-DD a line) or the config's
// `holidays` list.
import { isCalendarDay } from './calendar-day.js';
import { UsageError } from '../errors.js';

/**
 * The dates of a holiday file: one YYYY-MM-DD at the start of each line; anything after it (a name) and
 * lines starting with # are ignored, as are blank lines. A bad line names the file and line.
 */
export function parseHolidayFile(text: string, file: string): string[] {
  const dates = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const date = line.split(/[\s,;]+/)[0]!;
    if (!isCalendarDay(date))
      throw new UsageError(
        `${file}:${i + 1}: "${date}" is not a date; write one holiday a line as YYYY-MM-DD (e.g. 2026-12-25 Christmas), # for comments`,
      );
    dates.add(date);
  });
  return [...dates].sort();
}
