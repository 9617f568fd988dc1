// Argument parsers for commander: a bad value becomes exit 2 with one line naming the flag, before any work.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { type Decimal, parseDecimal } from '../domain/money.js';
import { DATE_FLAG_FORMS, endBound, parseDateFlag, startBound } from '../domain/date-flag.js';
import { MAX_COUNT } from '../domain/ingest-bounds.js';
import { parseThresholdPercents } from '../domain/thresholds.js';
import { UsageError } from '../errors.js';

export function nonNegativeInt(value: string): bigint {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`must be a whole number ≥ 0 (got "${value}")`);
  return BigInt(value.trim());
}

/** A count one stored row may carry: a whole number ≥ 0, at most MAX_COUNT (domain/ingest-bounds.ts). */
export function rowCount(value: string): bigint {
  const n = nonNegativeInt(value);
  if (n > MAX_COUNT) throw new InvalidArgumentError(`must be at most ${MAX_COUNT} (got "${value}")`);
  return n;
}

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new InvalidArgumentError(`must be a whole number > 0 (got "${value}")`);
  }
  return Number(value);
}

export function nonNegativeDecimal(value: string): Decimal {
  const d = parseDecimal(value);
  if (!d || d.isNegative())
    throw new InvalidArgumentError(`must be a decimal number ≥ 0 such as 0.003 (got "${value}")`);
  return d;
}

export function fraction(value: string): Decimal {
  const d = parseDecimal(value);
  if (!d || d.lte(0) || d.gt(1))
    throw new InvalidArgumentError(`must be a fraction between 0 and 1 such as 0.8 (got "${value}")`);
  return d;
}

/** `50,75,90`: extra threshold percentages of a quota's limit, as sorted fractions. */
export function thresholdPercents(value: string): Decimal[] {
  const r = parseThresholdPercents(value);
  if ('error' in r) throw new InvalidArgumentError(`${r.error}; give percentages of the limit such as 50,75,90`);
  return r.fractions;
}

/** Accepts a date flag's text (see parseDateFlag); the zone and the clock are applied later (whenFlag). */
export function dateText(value: string): string {
  const t = value.trim();
  if (!parseDateFlag(t, 'UTC', new Date())) {
    throw new InvalidArgumentError(`must be ${DATE_FLAG_FORMS} (got "${value}")`);
  }
  return t;
}

function dateFlag(flag: string, value: string, tz: string, now: Date) {
  const d = parseDateFlag(value, tz, now);
  if (!d) throw new UsageError(`${flag}: "${value}" is not ${DATE_FLAG_FORMS}`);
  return d;
}

/** A start or an instant flag in the reporting time zone: a date means local midnight. */
export function whenFlag(flag: string, value: string | undefined, tz: string, now: Date): Date | undefined {
  return value === undefined ? undefined : startBound(dateFlag(flag, value, tz, now));
}

/** An end flag (--until), exclusive as returned: a date includes that whole local day, a timestamp is the end. */
export function untilFlag(flag: string, value: string | undefined, tz: string, now: Date): Date | undefined {
  return value === undefined ? undefined : endBound(dateFlag(flag, value, tz, now), tz);
}

/** Help text for every --until, so the flag reads the same in every command. */
export const UNTIL_HELP = 'through this date, inclusive (a timestamp is an exclusive end)';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--json` for commands that print one data shape. */
export function addJsonFlag(cmd: Command): Command {
  return cmd.option('--json', 'print JSON on stdout and nothing else');
}

export function choiceOption(
  flags: string,
  description: string,
  choices: readonly string[],
  defaultValue?: string,
): Option {
  const option = new Option(flags, description).choices(choices as string[]);
  return defaultValue === undefined ? option : option.default(defaultValue);
}
