// The pricing function: a request's units and a price version in, each cost component out, exactly.
// The SQL twin in src/db/pricing-sql.ts applies the same rules to millions of rows; a test holds them equal.
import { Decimal, MONEY_SCALE } from './money.js';
import {
  ANTHROPIC_CACHE_WRITE_1H,
  ANTHROPIC_CACHE_WRITE_5M,
  BATCH_FACTOR,
  providerFamily,
  scaledRate,
} from './provider-rules.js';
import type { BillingUnit, PriceVersion } from './catalog-types.js';
import type { CostMultiplier } from './price-adjustments.js';
import { TIER_FIELDS, componentCosts, tierKind, type UnpricedPart } from './pricing-components.js';

export { atStoredScale, rateFromPrice, ratesFromPrices } from './price-rates.js';

export type { CostBreakdown, RequestUnitCounts, RequestUnits } from './request-units.js';
export { requestUnits } from './request-units.js';
import type { CostBreakdown, RequestUnits } from './request-units.js';

/** Prompt tokens that decide the long-context tier: everything the model read, cached or not. */
export function promptTokens(u: RequestUnits): bigint {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.cacheWrite1hTokens;
}

/**
 * The rates a request is charged at, after the band, batch and fallback rules (each one applied is named in
 * `rules`, which is what a row's price_rules column holds):
 * - above `tierThresholdTokens` prompt tokens, the whole request moves to the band's rates;
 * - a cache read without a price is charged at the (band) input rate; a cache write without one by the
 *   provider's rule (Anthropic: 5m = 1.25 × input, 1h = 2 × input), else at the input / 5m write rate;
 * - a batch request of an Anthropic, OpenAI or Google model costs 50 % of the input and output rates (of
 *   the band's rates when the band applies), or the catalog's batch rates where it has them and the band
 *   does not apply; Anthropic's cache rates are halved too; any other provider's model uses the catalog's
 *   batch rates where it has them.
 */
export function effectiveRates(version: PriceVersion, u: RequestUnits) {
  const r = version.rates;
  const tokenPriced = version.billingUnit === 'token';
  const family = tokenPriced ? providerFamily(version.provider, version.modelName) : null;
  const rules: string[] = [];
  const unpricedParts: UnpricedPart[] = [];
  const kind = tokenPriced ? tierKind(u.serviceTier) : 'standard';
  // A flex or priority tier has rates of its own (none: the request is unpriced, never standard prices).
  const served = kind === 'flex' || kind === 'priority' ? TIER_FIELDS[kind] : null;
  const servedMissing = served !== null && (r[served.input] === null || r[served.output] === null);
  if (served !== null && !servedMissing) rules.push(`service tier ${kind}: ${kind} prices`);
  if (kind === 'unknown') rules.push(`service tier "${u.serviceTier}": not a priced tier, standard prices`);
  const tier =
    (served === null && r.tierInput !== null) ||
    r.tierOutput !== null ||
    r.tierCacheRead !== null ||
    r.tierCacheWrite !== null ||
    r.tierCacheWrite1h !== null;
  const threshold = version.prices.tierThresholdTokens;
  const tierApplied = tier && threshold !== null && promptTokens(u) > threshold;
  if (tierApplied) rules.push(`band above ${threshold} prompt tokens`);
  const pick = (tierRate: Decimal | null, baseRate: Decimal | null) =>
    tierApplied && tierRate !== null ? tierRate : baseRate;
  const zero = new Decimal(0);
  const baseIn = (served ? r[served.input] : pick(r.tierInput, r.input)) ?? zero;
  const baseOut = (served ? r[served.output] : pick(r.tierOutput, r.output)) ?? zero;

  let cacheRead = served ? r[served.cacheRead] : pick(r.tierCacheRead, r.cacheRead);
  if (served && cacheRead === null) {
    cacheRead = zero;
    if (u.cacheReadTokens > 0n) unpricedParts.push('cache read tokens');
  } else if (cacheRead === null) {
    cacheRead = baseIn;
    if (tokenPriced && u.cacheReadTokens > 0n) rules.push('cache read at the input rate (no cache read price)');
  }
  const anthropic = family === 'anthropic';
  let cacheWrite = pick(r.tierCacheWrite, r.cacheWrite);
  if (cacheWrite === null) {
    cacheWrite = anthropic ? scaledRate(baseIn, ANTHROPIC_CACHE_WRITE_5M) : baseIn;
    if (tokenPriced && u.cacheWriteTokens > 0n)
      rules.push(
        anthropic
          ? 'cache write 5m = 1.25 × input (anthropic rule)'
          : 'cache write at the input rate (no cache write price)',
      );
  }
  let cacheWrite1h = pick(r.tierCacheWrite1h, r.cacheWrite1h);
  if (cacheWrite1h === null) {
    cacheWrite1h = anthropic ? scaledRate(baseIn, ANTHROPIC_CACHE_WRITE_1H) : cacheWrite;
    if (tokenPriced && u.cacheWrite1hTokens > 0n)
      rules.push(
        anthropic ? 'cache write 1h = 2 × input (anthropic rule)' : 'cache write 1h at the 5m write rate (no 1h price)',
      );
  }

  let input = baseIn;
  let output = baseOut;
  let batchApplied = false;
  if (isBatch(u)) {
    const half = (rate: Decimal) => scaledRate(rate, BATCH_FACTOR);
    if (family !== null && (tierApplied || r.batchInput === null || r.batchOutput === null)) {
      // The band has no batch rate of its own, and a catalog without batch rates is not a full price.
      input = tierApplied || r.batchInput === null ? half(baseIn) : r.batchInput;
      output = tierApplied || r.batchOutput === null ? half(baseOut) : r.batchOutput;
      rules.push(`batch 50 %${tierApplied ? ' of the band' : ''} (${family} rule)`);
      batchApplied = true;
    } else if (family !== null) {
      input = r.batchInput!;
      output = r.batchOutput!;
      rules.push('batch rates');
      batchApplied = true;
    } else if (r.batchInput !== null || r.batchOutput !== null) {
      input = r.batchInput ?? baseIn;
      output = r.batchOutput ?? baseOut;
      rules.push('batch rates');
      batchApplied = true;
    }
    if (anthropic) {
      // Anthropic's batch discount stacks with the cache multiples; OpenAI and Google list cached input
      // under batch at its own price, which costctl keeps.
      cacheRead = half(cacheRead);
      cacheWrite = half(cacheWrite);
      cacheWrite1h = half(cacheWrite1h);
    }
  }
  return {
    tierApplied,
    batchApplied,
    input,
    output,
    cacheRead,
    cacheWrite,
    cacheWrite1h,
    base: r.base ?? zero,
    rules,
    unpricedParts,
    unpriced: servedMissing ? `service tier ${kind}: no ${kind} price in the catalog` : null,
    /** Component token rates are halved with the text rates when a provider's batch rule applies. */
    halfComponents: batchApplied && family !== null,
    family,
  };
}

/** A batch request: the batch endpoint (request_type) or the tier that served it. */
export function isBatch(u: RequestUnits): boolean {
  return u.requestType === 'batch' || tierKind(u.serviceTier) === 'batch';
}

/** What the billing unit counts for one request (tokens are priced component by component instead). */
export function billingQuantity(unit: BillingUnit, u: RequestUnits): Decimal {
  switch (unit) {
    case 'request':
      return new Decimal(u.requests.toString());
    case 'minute':
    case 'second':
      return u.durationSeconds;
    case 'gb':
      return new Decimal(u.bytes.toString());
    case 'token':
      return new Decimal(0);
  }
}

const big = (n: bigint) => new Decimal(n.toString());
/** Costs keep 18 decimals; only a fractional duration can carry more, rounded like DuckDB's cast. */
const quantize = (d: Decimal) => d.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);

/**
 * `adjustments`: the operator's discount and markup in force for the request (domain/price-adjustments.ts),
 * applied last, in order, to each cost component, each product rounded half-up to 18 decimals like the SQL
 * twin's cast; the total is the sum of the adjusted components.
 */
export function priceRequest(
  version: PriceVersion,
  u: RequestUnits,
  adjustments: readonly CostMultiplier[] = [],
): CostBreakdown {
  return adjustCosts(listPrice(version, u), adjustments);
}

function adjustCosts(cost: CostBreakdown, adjustments: readonly CostMultiplier[]): CostBreakdown {
  if (adjustments.length === 0) return cost;
  const adjust = (d: Decimal) => adjustments.reduce((acc, a) => quantize(acc.times(a.multiplier)), d);
  const parts = {
    inputCost: adjust(cost.inputCost),
    outputCost: adjust(cost.outputCost),
    cacheReadCost: adjust(cost.cacheReadCost),
    cacheWriteCost: adjust(cost.cacheWriteCost),
    baseCost: adjust(cost.baseCost),
  };
  return {
    ...cost,
    ...parts,
    totalCost: parts.inputCost
      .plus(parts.outputCost)
      .plus(parts.cacheReadCost)
      .plus(parts.cacheWriteCost)
      .plus(parts.baseCost),
    rules: [...cost.rules, ...adjustments.map((a) => a.rule)],
  };
}

function listPrice(version: PriceVersion, u: RequestUnits): CostBreakdown {
  const rates = effectiveRates(version, u);
  let inputCost: Decimal;
  let outputCost: Decimal;
  let callCost = new Decimal(0);
  const unpricedParts = [...rates.unpricedParts];
  const rules = [...rates.rules];
  if (version.billingUnit === 'token') {
    const c = componentCosts(version.rates, u, rates, rates.family, rates.halfComponents);
    inputCost = c.inputCost;
    outputCost = c.outputCost;
    callCost = c.callCost;
    unpricedParts.push(...c.unpricedParts);
    rules.push(...c.rules);
  } else {
    // Non-token units: the input price is the price of the billing unit; token counts are not billed.
    inputCost = quantize(billingQuantity(version.billingUnit, u).times(rates.input));
    outputCost = new Decimal(0);
  }
  const tokenPriced = version.billingUnit === 'token';
  const cacheReadCost = tokenPriced ? big(u.cacheReadTokens).times(rates.cacheRead) : new Decimal(0);
  const cacheWriteCost = tokenPriced
    ? big(u.cacheWriteTokens).times(rates.cacheWrite).plus(big(u.cacheWrite1hTokens).times(rates.cacheWrite1h))
    : new Decimal(0);
  const baseCost = big(u.requests).times(rates.base).plus(callCost);
  if (rates.unpriced !== null) {
    const zero = new Decimal(0);
    return {
      inputCost: zero,
      outputCost: zero,
      cacheReadCost: zero,
      cacheWriteCost: zero,
      baseCost: zero,
      totalCost: zero,
      tierApplied: false,
      batchApplied: false,
      rules: [],
      unpricedParts: [],
      unpriced: rates.unpriced,
    };
  }
  return {
    inputCost,
    outputCost,
    cacheReadCost,
    cacheWriteCost,
    baseCost,
    totalCost: inputCost.plus(outputCost).plus(cacheReadCost).plus(cacheWriteCost).plus(baseCost),
    tierApplied: rates.tierApplied,
    batchApplied: rates.batchApplied,
    rules,
    unpricedParts,
    unpriced: null,
  };
}
