// A price version straight from the bundled LiteLLM map, with no database: the provider-rule and
// component unit tests price real catalog entries with priceRequest.
import { readFileSync } from 'node:fs';
import type { PriceVersion } from '../../src/domain/catalog-types.js';
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
