// The report flags, defined once: time window, filters and output format. `--tz` is the program's global
// flag (already resolved into ctx.config.tz: flag > env > config), so it is not redefined here.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UNTIL_HELP } from './options.js';
import { DATE_FLAG_FORMS, endBound, parseDateFlag, startBound } from '../domain/date-flag.js';
import { addCalendar, startOf } from '../domain/time.js';
import type { ReportScope } from '../services/reports/scope.js';
import { FILTER_COLUMNS, type FilterName, type UsageFilters } from '../db/usage-filters.js';
import { UsageError } from '../errors.js';
import { FORMATS, type OutputFormat } from '../render/report-output.js';

export { FORMATS, type OutputFormat };

export type { ReportScope } from '../services/reports/scope.js';
export type { UsageFilters } from '../db/usage-filters.js';

export const WINDOWS = ['today', 'yesterday', '7d', '30d', 'month', 'lastmonth', 'ytd'] as const;
export type WindowName = (typeof WINDOWS)[number];

export interface ReportFlagValues {
  since?: string;
  until?: string;
  window?: string;
  format?: OutputFormat;
  json?: boolean;
  user?: string[];
  department?: string[];
  organization?: string[];
  project?: string[];
  model?: string[];
  provider?: string[];
  account?: string[];
  requestType?: string[];
  session?: string[];
}

const FILTER_FLAGS: Record<FilterName, string> = {
  user: '--user <id>',
  department: '--department <name>',
  organization: '--organization <name>',
  project: '--project <name>',
  model: '--model <name>',
  provider: '--provider <name>',
  account: '--account <id>',
  requestType: '--request-type <type>',
  session: '--session <id>',
};

/** Repeatable and comma-separated: `--user a --user b,c` means a, b or c. */
export function filterValues(flag: string) {
  return (value: string, previous: string[] = []): string[] => {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new InvalidArgumentError(`${flag} needs a non-empty value (got "${value}")`);
    return [...previous, ...parts];
  };
}

/** `14d` or `4w`: that many calendar days ending today (as 7d and 30d), at most 3660. */
const DAYS_WINDOW = /^(\d+)\s*([dw])$/i;

function windowDaysOf(text: string): number | undefined {
  const m = DAYS_WINDOW.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'w' ? 7 : 1);
  return n >= 1 && n <= 3660 ? n : undefined;
}

/** The --window forms every command takes: a named window, Nd/Nw, or START..END. */
export function windowText(value: string): string {
  const v = value.trim();
  if ((WINDOWS as readonly string[]).includes(v) || windowDaysOf(v) !== undefined || /^[^.]+\.\.[^.]+$/.test(v))
    return v;
  throw new InvalidArgumentError(
    `must be one of ${WINDOWS.join(', ')}, a number of days such as 14d or 4w, or START..END such as 2026-03-01..2026-03-31 (got "${value}")`,
  );
}

/** Help text for every --window. */
export const WINDOW_HELP = `${WINDOWS.join('|')}|Nd|Nw|START..END, calendar days in the reporting zone`;

export interface ReportFlagOptions {
  /** Window used when neither --window nor --since/--until is given. */
  defaultWindow?: WindowName;
  /** Leave out --format/--json (for commands with a single fixed output). */
  noFormat?: boolean;
  /** Leave out --since/--until/--window (reports that choose their own time range, like forecast). */
  noWindow?: boolean;
}

/** Attaches the shared report flags to a command. */
export function addReportFlags(cmd: Command, options: ReportFlagOptions = {}): Command {
  if (!options.noWindow) {
    cmd
      .option('--since <date>', 'start (a date is local midnight in the reporting zone, or a timestamp)')
      .option('--until <date>', UNTIL_HELP)
      .option('--window <window>', `${WINDOW_HELP} (default ${options.defaultWindow ?? '30d'})`, windowText);
  }
  for (const [name, flags] of Object.entries(FILTER_FLAGS) as Array<[FilterName, string]>) {
    cmd.option(
      flags,
      `only this ${FILTER_COLUMNS[name].replace('_id', '').replace('_', ' ')} (repeatable, or comma-separated)`,
      filterValues(flags.split(' ')[0]!),
    );
  }
  if (!options.noFormat) {
    cmd.addOption(
      new Option('--format <format>', 'output format').choices(FORMATS as unknown as string[]).default('table'),
    );
    cmd.option('--json', 'same as --format json: stdout is JSON only');
  }
  return cmd;
}

export function outputFormat(opts: ReportFlagValues): OutputFormat {
  if (opts.json && opts.format && opts.format !== 'table' && opts.format !== 'json') {
    throw new UsageError(`--json conflicts with --format ${opts.format}: use one of them`);
  }
  return opts.json ? 'json' : (opts.format ?? 'table');
}

/** A bound from a date flag: a named day starts at local midnight, and as an end it includes that whole day. */
function bound(flag: string, text: string, tz: string, now: Date, end: boolean): Date {
  const d = parseDateFlag(text, tz, now);
  if (!d) throw new UsageError(`${flag}: "${text}" is not ${DATE_FLAG_FORMS}`);
  return end ? endBound(d, tz) : startBound(d);
}

/** A named window, calendar-aligned in `tz`, as [from, to). */
export function windowRange(name: WindowName, now: Date, tz: string): { from: Date; to: Date } {
  const today = startOf('day', now, tz);
  const tomorrow = addCalendar('day', today, 1, tz);
  const month = startOf('month', now, tz);
  switch (name) {
    case 'today':
      return { from: today, to: tomorrow };
    case 'yesterday':
      return { from: addCalendar('day', today, -1, tz), to: today };
    case '7d':
      return { from: addCalendar('day', today, -6, tz), to: tomorrow };
    case '30d':
      return { from: addCalendar('day', today, -29, tz), to: tomorrow };
    case 'month':
      return { from: month, to: addCalendar('month', month, 1, tz) };
    case 'lastmonth':
      return { from: addCalendar('month', month, -1, tz), to: month };
    case 'ytd':
      return { from: startOf('year', now, tz), to: tomorrow };
  }
}

/** Turns the flags into the range, zone and filters every report service takes. */
export function resolveReportScope(
  opts: ReportFlagValues,
  ctx: { now: Date; tz: string },
  defaultWindow: WindowName = '30d',
): ReportScope {
  const { now, tz } = ctx;
  if (opts.window && (opts.since || opts.until))
    throw new UsageError('--window cannot be combined with --since/--until: use one or the other');
  let range: { from: Date; to: Date };
  if (opts.window?.includes('..')) {
    const [a, b] = opts.window.split('..') as [string, string];
    range = { from: bound('--window', a, tz, now, false), to: bound('--window', b, tz, now, true) };
  } else if (opts.window && windowDaysOf(opts.window) !== undefined) {
    const today = startOf('day', now, tz);
    range = {
      from: addCalendar('day', today, 1 - windowDaysOf(opts.window)!, tz),
      to: addCalendar('day', today, 1, tz),
    };
  } else if (opts.window) {
    range = windowRange(opts.window as WindowName, now, tz);
  } else if (opts.since || opts.until) {
    const to = opts.until ? bound('--until', opts.until, tz, now, true) : windowRange('today', now, tz).to;
    const from = opts.since
      ? bound('--since', opts.since, tz, now, false)
      : addCalendar('day', startOf('day', to, tz), -30, tz);
    range = { from, to };
  } else {
    range = windowRange(defaultWindow, now, tz);
  }
  if (range.from.getTime() >= range.to.getTime()) {
    const which = opts.window ? '--window' : '--since/--until';
    throw new UsageError(
      `${which}: the start (${range.from.toISOString()}) must be before the end (${range.to.toISOString()})`,
    );
  }
  const filters: UsageFilters = {};
  for (const name of Object.keys(FILTER_COLUMNS) as FilterName[]) {
    const values = opts[name];
    if (values?.length) filters[name] = values;
  }
  return { ...range, tz, filters };
}
