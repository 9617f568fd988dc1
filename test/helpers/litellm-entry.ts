// A price version straight from the bundled LiteLLM map, with no database: the provider-rule and
// component unit tests price real catalog entries with priceRequest.
import { readFileSync } from 'node:fs';
import type { PriceField, PriceVersion } from '../../src/domain/catalog-types.js';
import { Decimal } from '../../src/domain/money.js';
import { atStoredScale, ratesFromPrices } from '../../src/domain/pricing.js';
import { parseLiteLLMCatalog } from '../../src/services/prices/import/litellm.js';
import { LITELLM_CATALOG } from './cli.js';

let catalog: ReturnType<typeof parseLiteLLMCatalog> | undefined;

/** The entry `name` of the bundled map as the catalog would store it (prices at the stored scale). */
export function litellmVersion(name: string): PriceVersion {
  catalog ??= parseLiteLLMCatalog(readFileSync(LITELLM_CATALOG, 'utf8'));
  const e = catalog.entries.find((x) => x.model.name === name);
  if (!e) throw new Error(`${name} is not in the bundled LiteLLM map`);
  const prices = atStoredScale(e.price.prices);
  return {
    id: 1,
    modelName: e.model.name,
    provider: e.model.provider,
    billingUnit: e.price.billingUnit,
    unitSize: e.price.unitSize,
    currency: 'USD',
    effectiveFrom: new Date(0),
    prices,
    rates: ratesFromPrices(prices, e.price.unitSize, e.price.billingUnit),
  };
}

/**
 * Σ count × the entry's per-token (or per-call) rate, times `factor`: a hand computation of a row's cost
 * from the catalog entry itself, never from costctl's output. A rate the entry lacks is a test error.
 */
export function entryCost(entry: string, terms: [number, PriceField][], factor = '1'): string {
  const { rates } = litellmVersion(entry);
  const sum = terms.reduce((acc, [n, field]) => {
    const rate = rates[field];
    if (rate === null) throw new Error(`${entry} has no ${field} rate`);
    return acc.plus(rate.times(n));
  }, new Decimal(0));
  return sum.times(factor).toFixed();
}
