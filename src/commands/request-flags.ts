// The flags that describe what one request consumed and how it was served, defined once for `estimate`,
// `record` and `check`.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { choiceOption, nonNegativeDecimal, rowCount } from '../cli/options.js';
import type { RequestUnitCounts } from '../domain/pricing.js';
import { breakdownExcess } from '../domain/request-units.js';

export type RequestUnitFlags = RequestUnitCounts;

export function addRequestUnitFlags(cmd: Command, options: { maxOutput?: boolean } = {}): Command {
  cmd
    .option('--input-tokens <n>', 'input tokens not read from cache', rowCount)
    .option('--output-tokens <n>', 'output tokens', rowCount);
  if (options.maxOutput)
    cmd.option('--max-output-tokens <n>', 'worst-case output tokens (instead of --output-tokens)', rowCount);
  cmd
    .option('--cache-read-tokens <n>', 'tokens read from the prompt cache', rowCount)
    .option('--cache-write-tokens <n>', 'tokens written to the 5-minute cache', rowCount)
    .option('--cache-write-1h-tokens <n>', 'tokens written to the 1-hour cache', rowCount);
  addComponentFlags(cmd);
  return cmd
    .option('--requests <n>', 'request count (default 1)', rowCount)
    .option('--duration-seconds <s>', 'billable seconds (per-minute/second models)', nonNegativeDecimal)
    .option('--bytes <n>', 'billable bytes (per-GB models)', rowCount);
}

/** Breakdowns of the input and output tokens (parts of them, never on top) and per-call units. */
export function addComponentFlags(cmd: Command): Command {
  return cmd
    .option('--reasoning-tokens <n>', 'of the output tokens, reasoning tokens', rowCount)
    .option('--audio-input-tokens <n>', 'of the input tokens, audio tokens', rowCount)
    .option('--image-input-tokens <n>', 'of the input tokens, image tokens', rowCount)
    .option('--audio-output-tokens <n>', 'of the output tokens, audio tokens', rowCount)
    .option('--image-output-tokens <n>', 'of the output tokens, image tokens', rowCount)
    .option('--images <n>', 'images generated (models priced per image)', rowCount)
    .option('--web-search-calls <n>', 'server-side web searches billed per call', rowCount);
}

export interface ServedFlags {
  serviceTier?: string;
  speed?: string;
  region?: string;
}

/** How the request is served: a tier, fast mode or a region some catalogs price on their own. */
export function addServedFlags(cmd: Command): Command {
  return cmd
    .option('--service-tier <tier>', "served tier: standard, batch, flex, priority (the catalog's tier prices)")
    .addOption(
      choiceOption('--speed <speed>', "served speed (fast: the catalog's fast/… prices)", ['standard', 'fast']),
    )
    .option('--region <region>', "where it is served (us: the catalog's us/… prices, else standard)");
}

const flagOf = (name: string) => `--${name.replace(/[A-Z0-9]+/g, (m) => `-${m.toLowerCase()}`)}`;

/** A breakdown larger than its total is a usage error, as it is a reject in a usage log. */
export function checkBreakdowns(u: RequestUnitCounts, outputFlag = '--output-tokens'): void {
  const over = breakdownExcess(u);
  if (!over) return;
  const total = over.total === 'outputTokens' ? outputFlag : flagOf(over.total);
  throw new UsageError(
    `${over.parts.map(flagOf).join(' + ')} (${over.sum}) exceed ${total} (${over.totalValue}): they are parts of it`,
  );
}

/** The flags' counts as request units (commander's camel-case keys are the RequestUnits names). */
export function unitCounts(opts: RequestUnitFlags & { maxOutputTokens?: bigint }): RequestUnitCounts {
  return {
    inputTokens: opts.inputTokens,
    outputTokens: opts.outputTokens ?? opts.maxOutputTokens,
    cacheReadTokens: opts.cacheReadTokens,
    cacheWriteTokens: opts.cacheWriteTokens,
    cacheWrite1hTokens: opts.cacheWrite1hTokens,
    reasoningTokens: opts.reasoningTokens,
    audioInputTokens: opts.audioInputTokens,
    imageInputTokens: opts.imageInputTokens,
    audioOutputTokens: opts.audioOutputTokens,
    imageOutputTokens: opts.imageOutputTokens,
    images: opts.images,
    webSearchCalls: opts.webSearchCalls,
    requests: opts.requests,
    durationSeconds: opts.durationSeconds,
    bytes: opts.bytes,
  };
}
