// What one request would cost, component by component, with the price version in force at `at`.
import { moneyString } from '../../domain/money.js';
import { priceRequest, type RequestUnits } from '../../domain/pricing.js';
import type { Db } from '../../db/database.js';
import { priceVersionAt, requireModel } from './catalog.js';

export interface Estimate {
  model: string;
  provider: string;
  price_version: number | null;
  effective_from: string | null;
  currency: string;
  input_cost: string | null;
  output_cost: string | null;
  cache_read_cost: string | null;
  cache_write_cost: string | null;
  base_cost: string | null;
  total_cost: string | null;
  tier_applied: boolean;
  batch_applied: boolean;
  /** The rules that priced it beyond the catalog's plain rates (band, batch, cache fallbacks), in order. */
  price_rules: string[];
  unpriced: boolean;
}

export async function estimateRequest(db: Db, modelName: string, units: RequestUnits, at: Date): Promise<Estimate> {
  const model = await requireModel(db, modelName);
  const version = await priceVersionAt(db, model, at);
  if (!version) {
    return {
      model: model.name,
      provider: model.provider,
      price_version: null,
      effective_from: null,
      currency: model.currency,
      input_cost: null,
      output_cost: null,
      cache_read_cost: null,
      cache_write_cost: null,
      base_cost: null,
      total_cost: null,
      tier_applied: false,
      batch_applied: false,
      price_rules: [],
      unpriced: true,
    };
  }
  const cost = priceRequest(version, units);
  return {
    model: model.name,
    provider: model.provider,
    price_version: version.id,
    effective_from: version.effectiveFrom.toISOString(),
    currency: model.currency,
    input_cost: moneyString(cost.inputCost),
    output_cost: moneyString(cost.outputCost),
    cache_read_cost: moneyString(cost.cacheReadCost),
    cache_write_cost: moneyString(cost.cacheWriteCost),
    base_cost: moneyString(cost.baseCost),
    total_cost: moneyString(cost.totalCost),
    tier_applied: cost.tierApplied,
    batch_applied: cost.batchApplied,
    price_rules: cost.rules,
    unpriced: false,
  };
}
