// The holiday calendar a report runs with: the config's `holidays` plus the dates of `--holidays FILE`.
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';

export async function holidaysFor(ctx: Context, file: string | undefined): Promise<string[]> {
  const dates = [...ctx.config.holidays];
  if (!file) return dates;
  const { readFileSync } = await import('node:fs');
  const { parseHolidayFile } = await import('../domain/holidays.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--holidays: cannot read ${file}: ${(e as Error).message}`);
  }
  return [...dates, ...parseHolidayFile(text, file)];
}
