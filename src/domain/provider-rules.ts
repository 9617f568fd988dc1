// Published billing rules of the providers whose catalogs leave some prices out. A catalog entry without
// a batch or a cache-write price does not mean "free" or "same as input": the provider's price page says
// what it bills, and costctl applies that rule by name (the row's price_rules say which one priced it).
import { Decimal, MONEY_SCALE } from './money.js';

/** Providers with a published rule costctl applies; anything else gets no rule (and is named so). */
export type ProviderFamily = 'anthropic' | 'openai' | 'google';

/**
 * Whose rules apply to a catalog model: Claude models are billed by Anthropic's rules wherever they are
 * served (Bedrock and Vertex list the same multiples); OpenAI's on Azure too; Gemini on AI Studio and Vertex.
 */
export function providerFamily(provider: string | null | undefined, modelName: string): ProviderFamily | null {
  const p = (provider ?? '').toLowerCase();
  const name = modelName.toLowerCase();
  if (p === 'anthropic' || name.includes('claude')) return 'anthropic';
  if (p === 'openai' || p === 'azure' || p === 'text-completion-openai') return 'openai';
  if (p === 'gemini' || p.startsWith('vertex_ai')) return 'google';
  return null;
}

/**
 * Anthropic: a 5-minute cache write costs 1.25 × the input price, a 1-hour write 2 × (docs.anthropic.com,
 * "Prompt caching" pricing table). Only Anthropic bills cache writes by multiple.
 */
export const ANTHROPIC_CACHE_WRITE_5M = new Decimal('1.25');
export const ANTHROPIC_CACHE_WRITE_1H = new Decimal('2');

/**
 * Batch: Anthropic (Message Batches), OpenAI (Batch API) and Google (Gemini batch mode) all bill 50 % of
 * the interactive input and output price, the long-context band included. Anthropic's cache multiples
 * stack with it ("pricing multipliers stack"), so its cache reads and writes are halved too.
 */
export const BATCH_FACTOR = new Decimal('0.5');

/**
 * Anthropic's web search tool: $10 per 1,000 searches (docs.anthropic.com, "Web search tool" pricing), on
 * every Claude model that has it; charged on top of the tokens the results add.
 */
export const ANTHROPIC_WEB_SEARCH = new Decimal('0.01');

/** A rate times a published multiple, kept at 18 decimals the way DuckDB's DECIMAL(38,18) cast rounds. */
export function scaledRate(rate: Decimal, factor: Decimal): Decimal {
  return rate.times(factor).toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);
}
