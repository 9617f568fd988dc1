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
  /** Components (migration 015): per unit-size tokens of that kind, a breakdown of input or output. */
  reasoning: Decimal | null;
  audioInput: Decimal | null;
  audioOutput: Decimal | null;
  imageInput: Decimal | null;
  imageOutput: Decimal | null;
  /** Per one generated image and per one web search call: never divided by the unit size. */
  perImage: Decimal | null;
  webSearch: Decimal | null;
  /** The rates of the flex and priority service tiers (OpenAI), replacing input, output and cache read. */
  flexInput: Decimal | null;
  flexOutput: Decimal | null;
  flexCacheRead: Decimal | null;
  priorityInput: Decimal | null;
  priorityOutput: Decimal | null;
  priorityCacheRead: Decimal | null;
}

/** The price fields of migration 001 (its columns; frozen: a later field is added by a later migration). */
const CORE_PRICE_FIELDS = [
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
type CorePriceField = (typeof CORE_PRICE_FIELDS)[number];

/** The price fields of migration 015: modality components, per-call charges, served-tier rates. */
export const COMPONENT_PRICE_FIELDS = [
  'reasoning',
  'audioInput',
  'audioOutput',
  'imageInput',
  'imageOutput',
  'perImage',
  'webSearch',
  'flexInput',
  'flexOutput',
  'flexCacheRead',
  'priorityInput',
  'priorityOutput',
  'priorityCacheRead',
] as const;
type ComponentPriceField = (typeof COMPONENT_PRICE_FIELDS)[number];

export const PRICE_FIELDS = [...CORE_PRICE_FIELDS, ...COMPONENT_PRICE_FIELDS] as const;
export type PriceField = CorePriceField | ComponentPriceField;

/** Prices per one call or image: the rate is the price, whatever the version's unit size. */
export const PER_CALL_FIELDS: ReadonlySet<PriceField> = new Set<PriceField>(['perImage', 'webSearch']);

/**
 * Column names of a price (per unit_size) and its derived per-base-unit rate in `model_prices`, as migration
 * 001 created them. Frozen: 001 builds its table from this object.
 */
export const PRICE_COLUMNS: Record<CorePriceField, { price: string; rate: string }> = {
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

/** The columns migration 015 adds to `model_prices`. */
export const COMPONENT_PRICE_COLUMNS: Record<ComponentPriceField, { price: string; rate: string }> = {
  reasoning: { price: 'reasoning_price', rate: 'rate_reasoning' },
  audioInput: { price: 'audio_input_price', rate: 'rate_audio_input' },
  audioOutput: { price: 'audio_output_price', rate: 'rate_audio_output' },
  imageInput: { price: 'image_input_price', rate: 'rate_image_input' },
  imageOutput: { price: 'image_output_price', rate: 'rate_image_output' },
  perImage: { price: 'per_image_price', rate: 'rate_per_image' },
  webSearch: { price: 'web_search_price', rate: 'rate_web_search' },
  flexInput: { price: 'flex_input_price', rate: 'rate_flex_input' },
  flexOutput: { price: 'flex_output_price', rate: 'rate_flex_output' },
  flexCacheRead: { price: 'flex_cache_read_price', rate: 'rate_flex_cache_read' },
  priorityInput: { price: 'priority_input_price', rate: 'rate_priority_input' },
  priorityOutput: { price: 'priority_output_price', rate: 'rate_priority_output' },
  priorityCacheRead: { price: 'priority_cache_read_price', rate: 'rate_priority_cache_read' },
};

/** Every price field's columns: what the catalog reads and writes. */
export const PRICE_FIELD_COLUMNS: Record<PriceField, { price: string; rate: string }> = {
  ...PRICE_COLUMNS,
  ...COMPONENT_PRICE_COLUMNS,
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
    reasoning: null,
    audioInput: null,
    audioOutput: null,
    imageInput: null,
    imageOutput: null,
    perImage: null,
    webSearch: null,
    flexInput: null,
    flexOutput: null,
    flexCacheRead: null,
    priorityInput: null,
    priorityOutput: null,
    priorityCacheRead: null,
  };
}
