// What one request would cost, component by component, with the price version in force at `at`.
import { moneyString } from '../../domain/money.js';
import { priceRequest, type RequestUnits } from '../../domain/pricing.js';
import type { Db } from '../../db/database.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import { servedVariant, variantModel } from '../../domain/model-names.js';
import { getModel, priceVersionAt, requireModel } from './catalog.js';
import { loadPriceAdjustments } from '../../db/price-adjustments-sql.js';
import { adjustmentsAt, costMultipliers } from '../../domain/price-adjustments.js';

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
  /** The rules that priced it beyond the catalog's plain rates (band, batch, cache fallbacks, the operator's discount and markup), in order. */
  price_rules: string[];
  /** Components the catalog has no price for: counted as 0 above, so the total is a floor (partly unpriced). */
  unpriced_parts: string[];
  unpriced: boolean;
}

/** How the request is served (usage-log v2 `speed`, `region`): a variant some catalogs price on its own. */
export interface Served {
  speed?: string;
  region?: string;
}

export async function estimateRequest(
  db: Db,
  modelName: string,
  units: RequestUnits,
  at: Date,
  served: Served = { speed: units.speed ?? undefined, region: units.region ?? undefined },
): Promise<Estimate> {
  const base = await requireModel(db, modelName);
  const variant = servedVariant(served.speed, served.region);
  // The same choice of catalog entry as the bulk pricing (buildModelMap): fast/…, us/… entries.
  const chosen =
    variant === '' ? { name: base.name, rule: null } : variantModel(await loadNameIndex(db), base.name, variant);
  const model = chosen.name === null ? base : ((await getModel(db, chosen.name)) ?? base);
  const version = chosen.name === null ? undefined : await priceVersionAt(db, model, at);
  // The operator's discount and markup in force at `at`, as the bulk pricing applies them.
  const adjustments = version
    ? costMultipliers(adjustmentsAt(await loadPriceAdjustments(db), model.provider, model.name, at))
    : [];
  const cost = version ? priceRequest(version, units, adjustments) : undefined;
  if (!version || !cost || cost.unpriced !== null) {
    return {
      model: chosen.name === null ? `${variant}/${base.name}` : model.name,
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
      price_rules: cost?.unpriced ? [cost.unpriced] : [],
      unpriced_parts: [],
      unpriced: true,
    };
  }
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
    price_rules: chosen.rule ? [chosen.rule, ...cost.rules] : cost.rules,
    unpriced_parts: cost.unpricedParts,
    unpriced: false,
  };
}
