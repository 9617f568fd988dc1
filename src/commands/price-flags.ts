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
