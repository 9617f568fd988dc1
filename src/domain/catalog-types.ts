// The model price catalog's vocabulary, shared by the pricing function, the store and the commands.
import type { Decimal } from './money.js';

export const BILLING_UNITS = ['token', 'request', 'minute', 'second', 'gb'] as const;
export type BillingUnit = (typeof BILLING_UNITS)[number];

export const COST_TYPES = ['ai_api', 'storage', 'bandwidth'] as const;
export type CostType = (typeof COST_TYPES)[number];

/** Operators think of token prices per 1K tokens; every other unit is priced per single unit by default. */
export function defaultUnitSize(unit: BillingUnit): number {
  return unit === 'token' ? 1000 : 1;
}

/**
 * Prices as the operator states them: per `unit_size` billing units (per 1K tokens by default).
 * `null` means "not set" (a fallback rule applies), which is different from an explicit 0.
 */
export interface PriceList {
  input: Decimal | null;
  output: Decimal | null;
  base: Decimal | null;
  cacheRead: Decimal | null;
  cacheWrite: Decimal | null;
  cacheWrite1h: Decimal | null;
  tierThresholdTokens: bigint | null;
  tierInput: Decimal | null;
  tierOutput: Decimal | null;
  tierCacheRead: Decimal | null;
  tierCacheWrite: Decimal | null;
  tierCacheWrite1h: Decimal | null;
  batchInput: Decimal | null;
  batchOutput: Decimal | null;
}

export const PRICE_FIELDS = [
  'input',
  'output',
  'base',
  'cacheRead',
  'cacheWrite',
  'cacheWrite1h',
  'tierInput',
  'tierOutput',
  'tierCacheRead',
  'tierCacheWrite',
  'tierCacheWrite1h',
  'batchInput',
  'batchOutput',
] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

/** Column names of a price (per unit_size) and its derived per-base-unit rate in `model_prices`. */
export const PRICE_COLUMNS: Record<PriceField, { price: string; rate: string }> = {
  input: { price: 'input_price', rate: 'rate_input' },
  output: { price: 'output_price', rate: 'rate_output' },
  base: { price: 'base_price', rate: 'rate_base' },
  cacheRead: { price: 'cache_read_price', rate: 'rate_cache_read' },
  cacheWrite: { price: 'cache_write_price', rate: 'rate_cache_write' },
  cacheWrite1h: { price: 'cache_write_1h_price', rate: 'rate_cache_write_1h' },
  tierInput: { price: 'tier_input_price', rate: 'rate_tier_input' },
  tierOutput: { price: 'tier_output_price', rate: 'rate_tier_output' },
  tierCacheRead: { price: 'tier_cache_read_price', rate: 'rate_tier_cache_read' },
  tierCacheWrite: { price: 'tier_cache_write_price', rate: 'rate_tier_cache_write' },
  tierCacheWrite1h: { price: 'tier_cache_write_1h_price', rate: 'rate_tier_cache_write_1h' },
  batchInput: { price: 'batch_input_price', rate: 'rate_batch_input' },
  batchOutput: { price: 'batch_output_price', rate: 'rate_batch_output' },
};

/** One version of a model's prices, in force from `effectiveFrom` until the next version. */
export interface PriceVersion {
  id: number;
  modelName: string;
  provider: string;
  billingUnit: BillingUnit;
  unitSize: Decimal;
  currency: string;
  effectiveFrom: Date;
  prices: PriceList;
  /** Per base unit (token, request, second, byte): derived from prices, what the engine multiplies by. */
  rates: Record<PriceField, Decimal | null>;
}

export function emptyPriceList(): PriceList {
  return {
    input: null,
    output: null,
    base: null,
    cacheRead: null,
    cacheWrite: null,
    cacheWrite1h: null,
    tierThresholdTokens: null,
    tierInput: null,
    tierOutput: null,
    tierCacheRead: null,
    tierCacheWrite: null,
    tierCacheWrite1h: null,
    batchInput: null,
    batchOutput: null,
  };
}
