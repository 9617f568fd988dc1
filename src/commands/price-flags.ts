// The price flags shared by `models add` and `models update`, defined once.
import type { Command } from 'commander';
import { PRICE_FIELDS, type PriceField, type PriceList } from '../domain/catalog-types.js';
import type { Decimal } from '../domain/money.js';
import { nonNegativeDecimal, nonNegativeInt } from '../cli/options.js';

const FLAG: Record<PriceField, { flag: string; key: string; help: string }> = {
  input: {
    flag: '--input-price <x>',
    key: 'inputPrice',
    help: 'price per unit-size input units (per 1K tokens by default)',
  },
  output: { flag: '--output-price <x>', key: 'outputPrice', help: 'price per unit-size output tokens' },
  base: { flag: '--base-price <x>', key: 'basePrice', help: 'fixed price per request' },
  cacheRead: { flag: '--cache-read-price <x>', key: 'cacheReadPrice', help: 'price per unit-size cache-read tokens' },
  cacheWrite: {
    flag: '--cache-write-price <x>',
    key: 'cacheWritePrice',
    help: 'price per unit-size 5-minute cache-write tokens',
  },
  cacheWrite1h: {
    flag: '--cache-write-1h-price <x>',
    key: 'cacheWrite1hPrice',
    help: 'price per unit-size 1-hour cache-write tokens',
  },
  tierInput: { flag: '--tier-input-price <x>', key: 'tierInputPrice', help: 'input price above the tier threshold' },
  tierOutput: {
    flag: '--tier-output-price <x>',
    key: 'tierOutputPrice',
    help: 'output price above the tier threshold',
  },
  tierCacheRead: {
    flag: '--tier-cache-read-price <x>',
    key: 'tierCacheReadPrice',
    help: 'cache-read price above the tier threshold',
  },
  tierCacheWrite: {
    flag: '--tier-cache-write-price <x>',
    key: 'tierCacheWritePrice',
    help: 'cache-write price above the tier threshold',
  },
  tierCacheWrite1h: {
    flag: '--tier-cache-write-1h-price <x>',
    key: 'tierCacheWrite1hPrice',
    help: '1-hour cache-write price above the tier threshold',
  },
  batchInput: { flag: '--batch-input-price <x>', key: 'batchInputPrice', help: 'input price for request_type=batch' },
  batchOutput: {
    flag: '--batch-output-price <x>',
    key: 'batchOutputPrice',
    help: 'output price for request_type=batch',
  },
  reasoning: {
    flag: '--reasoning-price <x>',
    key: 'reasoningPrice',
    help: 'price per unit-size reasoning tokens (unset: as output)',
  },
  audioInput: {
    flag: '--audio-input-price <x>',
    key: 'audioInputPrice',
    help: 'price per unit-size audio input tokens',
  },
  audioOutput: {
    flag: '--audio-output-price <x>',
    key: 'audioOutputPrice',
    help: 'price per unit-size audio output tokens',
  },
  imageInput: {
    flag: '--image-input-price <x>',
    key: 'imageInputPrice',
    help: 'price per unit-size image input tokens (unset: as input)',
  },
  imageOutput: {
    flag: '--image-output-price <x>',
    key: 'imageOutputPrice',
    help: 'price per unit-size image output tokens',
  },
  perImage: { flag: '--per-image-price <x>', key: 'perImagePrice', help: 'price per generated image' },
  webSearch: { flag: '--web-search-price <x>', key: 'webSearchPrice', help: 'price per web search call' },
  flexInput: { flag: '--flex-input-price <x>', key: 'flexInputPrice', help: 'input price on the flex tier' },
  flexOutput: { flag: '--flex-output-price <x>', key: 'flexOutputPrice', help: 'output price on the flex tier' },
  flexCacheRead: {
    flag: '--flex-cache-read-price <x>',
    key: 'flexCacheReadPrice',
    help: 'cache-read price on the flex tier',
  },
  priorityInput: {
    flag: '--priority-input-price <x>',
    key: 'priorityInputPrice',
    help: 'input price on the priority tier',
  },
  priorityOutput: {
    flag: '--priority-output-price <x>',
    key: 'priorityOutputPrice',
    help: 'output price on the priority tier',
  },
  priorityCacheRead: {
    flag: '--priority-cache-read-price <x>',
    key: 'priorityCacheReadPrice',
    help: 'cache-read price on the priority tier',
  },
};

export function addPriceFlags(cmd: Command): Command {
  for (const f of PRICE_FIELDS) cmd.option(FLAG[f].flag, FLAG[f].help, nonNegativeDecimal);
  return cmd.option(
    '--tier-threshold-tokens <n>',
    'prompt tokens above which all tokens use the tier prices',
    nonNegativeInt,
  );
}

/** The price flags the user actually gave, as a partial price list. */
export function priceFlags(opts: Record<string, unknown>): Partial<PriceList> {
  const out: Partial<PriceList> = {};
  for (const f of PRICE_FIELDS) {
    const v = opts[FLAG[f].key] as Decimal | undefined;
    if (v !== undefined) out[f] = v;
  }
  if (opts.tierThresholdTokens !== undefined) out.tierThresholdTokens = opts.tierThresholdTokens as bigint;
  return out;
}
