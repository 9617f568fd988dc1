// The flags that describe what one request consumed, defined once for `estimate` and `record`.
import type { Command } from 'commander';
import { nonNegativeDecimal, nonNegativeInt } from '../cli/options.js';
import type { RequestUnitCounts } from '../domain/pricing.js';

export type RequestUnitFlags = RequestUnitCounts;

export function addRequestUnitFlags(cmd: Command, options: { maxOutput?: boolean } = {}): Command {
  cmd
    .option('--input-tokens <n>', 'input tokens not read from cache', nonNegativeInt)
    .option('--output-tokens <n>', 'output tokens', nonNegativeInt);
  if (options.maxOutput)
    cmd.option('--max-output-tokens <n>', 'worst-case output tokens (instead of --output-tokens)', nonNegativeInt);
  return cmd
    .option('--cache-read-tokens <n>', 'tokens read from the prompt cache', nonNegativeInt)
    .option('--cache-write-tokens <n>', 'tokens written to the 5-minute cache', nonNegativeInt)
    .option('--cache-write-1h-tokens <n>', 'tokens written to the 1-hour cache', nonNegativeInt)
    .option('--requests <n>', 'request count (default 1)', nonNegativeInt)
    .option('--duration-seconds <s>', 'billable seconds (per-minute/second models)', nonNegativeDecimal)
    .option('--bytes <n>', 'billable bytes (per-GB models)', nonNegativeInt);
}
