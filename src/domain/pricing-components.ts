// What a token-priced request is billed beyond text tokens and cache, and which service tier served it:
// the rules of src/domain/pricing.ts that the SQL twin (src/db/pricing-sql-components.ts) repeats.
import { Decimal } from './money.js';
import { ANTHROPIC_WEB_SEARCH, BATCH_FACTOR, scaledRate, type ProviderFamily } from './provider-rules.js';
import type { PriceField } from './catalog-types.js';

/** How the served tier is priced: batch, a tier with its own rates, or standard (unknown values too). */
export type TierKind = 'standard' | 'batch' | 'flex' | 'priority' | 'unknown';

/** Values providers write for the ordinary tier (OpenAI `default`/`auto`, Bedrock `on_demand`). */
export const STANDARD_TIERS = ['', 'standard', 'default', 'auto', 'on_demand'];

/**
 * Every service_tier value costctl knows; any other is stored as given, priced at standard, and named in a
 * warning by ingest. `scale` (OpenAI's committed-capacity tier) is known, but no catalog prices it: it is
 * priced at standard with the rule that says so, like an unknown value, only without the warning.
 */
export const KNOWN_SERVICE_TIERS = [...STANDARD_TIERS.filter((t) => t !== ''), 'batch', 'flex', 'priority', 'scale'];

export function tierKind(serviceTier: string | null | undefined): TierKind {
  if (serviceTier === null || serviceTier === undefined) return 'standard';
  const t = serviceTier.trim().toLowerCase();
  if (t === 'batch' || t === 'flex' || t === 'priority') return t;
  return STANDARD_TIERS.includes(t) ? 'standard' : 'unknown';
}

/** The catalog fields holding a tier's input, output and cache-read rates. */
export const TIER_FIELDS: Record<
  'flex' | 'priority',
  { input: PriceField; output: PriceField; cacheRead: PriceField }
> = {
  flex: { input: 'flexInput', output: 'flexOutput', cacheRead: 'flexCacheRead' },
  priority: { input: 'priorityInput', output: 'priorityOutput', cacheRead: 'priorityCacheRead' },
};

/** The breakdowns and per-call units of a request (usage-log v2); breakdowns are parts of their totals. */
export interface ComponentUnits {
  inputTokens: bigint;
  outputTokens: bigint;
  reasoningTokens: bigint;
  audioInputTokens: bigint;
  imageInputTokens: bigint;
  audioOutputTokens: bigint;
  imageOutputTokens: bigint;
  images: bigint;
  webSearchCalls: bigint;
}

/** The parts a row may leave unpriced, in the order its unpriced_parts column lists them. */
export const UNPRICED_PARTS = [
  'cache read tokens',
  'audio input tokens',
  'audio output tokens',
  'image output tokens',
  'images',
  'web search calls',
] as const;
export type UnpricedPart = (typeof UNPRICED_PARTS)[number];

export interface ComponentCosts {
  inputCost: Decimal;
  outputCost: Decimal;
  /** Per-call charges (web search), billed like the per-request base price. */
  callCost: Decimal;
  unpricedParts: UnpricedPart[];
  rules: string[];
}

const big = (n: bigint) => new Decimal(n.toString());

/**
 * The input and output costs with every breakdown at its own rate:
 * - audio input and output tokens at the audio rates; none → the part is unpriced (never as text);
 * - image input tokens at the image input rate, else as input; image output tokens at the image output
 *   rate, none → unpriced; generated images at the per-image price only when no image tokens say it;
 * - reasoning tokens at the reasoning rate, else as output (how OpenAI, Anthropic and Google bill them);
 * - web search calls at the per-call price; Anthropic's published $10 per 1,000 searches where the catalog
 *   has none; otherwise unpriced;
 * - a batch discount by a provider rule (`half`) halves the component token rates too.
 * `input`/`output` are the effective (band, tier, batch) text rates.
 */
export function componentCosts(
  rates: Record<PriceField, Decimal | null>,
  u: ComponentUnits,
  effective: { input: Decimal; output: Decimal },
  family: ProviderFamily | null,
  half: boolean,
): ComponentCosts {
  const unpricedParts: UnpricedPart[] = [];
  const rules: string[] = [];
  const own = (rate: Decimal | null) => (rate === null ? null : half ? scaledRate(rate, BATCH_FACTOR) : rate);
  const charge = (count: bigint, rate: Decimal | null, part: UnpricedPart) => {
    if (count === 0n) return new Decimal(0);
    if (rate === null) {
      unpricedParts.push(part);
      return new Decimal(0);
    }
    return big(count).times(rate);
  };
  const textIn = u.inputTokens - u.audioInputTokens - u.imageInputTokens;
  const audioIn = charge(u.audioInputTokens, own(rates.audioInput), 'audio input tokens');
  const inputCost = big(textIn)
    .times(effective.input)
    .plus(audioIn)
    .plus(big(u.imageInputTokens).times(own(rates.imageInput) ?? effective.input));
  const textOut = u.outputTokens - u.reasoningTokens - u.audioOutputTokens - u.imageOutputTokens;
  const audioOut = charge(u.audioOutputTokens, own(rates.audioOutput), 'audio output tokens');
  const imageOut = charge(u.imageOutputTokens, own(rates.imageOutput), 'image output tokens');
  const perImage = u.imageOutputTokens === 0n ? charge(u.images, rates.perImage, 'images') : new Decimal(0);
  const outputCost = big(textOut)
    .times(effective.output)
    .plus(big(u.reasoningTokens).times(own(rates.reasoning) ?? effective.output))
    .plus(audioOut)
    .plus(imageOut)
    .plus(perImage);
  let search = rates.webSearch;
  if (search === null && family === 'anthropic' && u.webSearchCalls > 0n) {
    search = ANTHROPIC_WEB_SEARCH;
    rules.push('web search $0.01 per call (anthropic rule)');
  }
  const callCost = charge(u.webSearchCalls, search, 'web search calls');
  return { inputCost, outputCost, callCost, unpricedParts, rules };
}
