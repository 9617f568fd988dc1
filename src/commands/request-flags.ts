// The flags that describe what one request consumed, defined once for `estimate` and `record`.
import type { Command } from 'commander';
import { nonNegativeDecimal, rowCount } from '../cli/options.js';
import type { RequestUnitCounts } from '../domain/pricing.js';

export type RequestUnitFlags = RequestUnitCounts;

export function addRequestUnitFlags(cmd: Command, options: { maxOutput?: boolean } = {}): Command {
  cmd
    .option('--input-tokens <n>', 'input tokens not read from cache', rowCount)
    .option('--output-tokens <n>', 'output tokens', rowCount);
  if (options.maxOutput)
    cmd.option('--max-output-tokens <n>', 'worst-case output tokens (instead of --output-tokens)', rowCount);
  return cmd
    .option('--cache-read-tokens <n>', 'tokens read from the prompt cache', rowCount)
    .option('--cache-write-tokens <n>', 'tokens written to the 5-minute cache', rowCount)
    .option('--cache-write-1h-tokens <n>', 'tokens written to the 1-hour cache', rowCount)
    .option('--requests <n>', 'request count (default 1)', rowCount)
    .option('--duration-seconds <s>', 'billable seconds (per-minute/second models)', nonNegativeDecimal)
    .option('--bytes <n>', 'billable bytes (per-GB models)', rowCount);
}
