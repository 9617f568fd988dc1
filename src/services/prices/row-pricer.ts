// Pricing a few requests at a time in TypeScript, with the catalog kept between calls: what a recorded
// request costs, as the same columns the bulk SQL pricing (db/pricing-sql.ts) writes on a usage row.
// test/integration/prices/row-pricer.test.ts holds the two equal row by row. The catalog's names and
// each model's price versions are read once and kept while no statement on the connection has written
// to the catalog tables (Db.writeStamp), so a server's stream of records reads the catalog once.
import type { Db } from '../../db/database.js';
import { loadPriceAdjustments } from '../../db/price-adjustments-sql.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import type { PriceVersion } from '../../domain/catalog-types.js';
import { Decimal, MONEY_SCALE } from '../../domain/money.js';
import { matchModelName, servedVariant, variantModel, type NameIndex } from '../../domain/model-names.js';
import { adjustmentsAt, costMultipliers, type PriceAdjustment } from '../../domain/price-adjustments.js';
import { priceRequest, type RequestUnits } from '../../domain/pricing.js';
import { getModel, priceVersions } from './catalog.js';

const CATALOG_TABLES = ['models', 'model_aliases', 'model_prices', 'price_adjustments'] as const;

interface Kept {
  stamp: number;
  index: NameIndex;
  /** The operator's discounts and markups (price_adjustments), applied last as the bulk SQL does. */
  adjustments: PriceAdjustment[];
  /** Catalog name → its versions by effective_from (empty: a model without prices). */
  versions: Map<string, PriceVersion[]>;
  /** Caller's name and served variant → the catalog entry that prices it (null: none). */
  matched: Map<string, { name: string | null; rule: string | null } | null>;
}

const kept = new WeakMap<Db, Kept>();

/** What pricing writes on a usage row (PRICED_COLUMNS), plus the provider the catalog gives the row. */
export interface PricedColumns {
  priced_model: string | null;
  price_version: number | null;
  unpriced: boolean;
  input_cost: string | null;
  output_cost: string | null;
  cache_read_cost: string | null;
  cache_write_cost: string | null;
  base_cost: string | null;
  total_cost: string | null;
  price_rules: string | null;
  /** Components without a price, joined with ', ' (partly unpriced); null when every part is priced. */
  unpriced_parts: string | null;
  /** The catalog provider of priced_model (null when the name matched nothing). */
  catalog_provider: string | null;
}

async function catalogOf(db: Db): Promise<Kept> {
  const stamp = db.writeStamp(CATALOG_TABLES);
  let k = kept.get(db);
  if (!k || k.stamp !== stamp) {
    k = {
      stamp,
      index: await loadNameIndex(db),
      adjustments: await loadPriceAdjustments(db),
      versions: new Map(),
      matched: new Map(),
    };
    kept.set(db, k);
  }
  return k;
}

async function versionsOf(db: Db, k: Kept, name: string): Promise<PriceVersion[]> {
  let list = k.versions.get(name);
  if (!list) {
    const model = await getModel(db, name);
    list = model ? await priceVersions(db, model) : [];
    k.versions.set(name, list);
  }
  return list;
}

// As DuckDB writes a DECIMAL(38,18) as text: all 18 decimals.
const money = (d: Decimal) => d.toFixed(MONEY_SCALE, Decimal.ROUND_HALF_UP);

/**
 * Prices one request as the bulk SQL does: the caller's model name matched (exact, alias, provider
 * prefix), its served variant (speed, region), the version in force at `ts`. Unmatched, before the
 * model's first version, or fast mode without a fast entry: unpriced, no costs.
 */
export async function priceRow(
  db: Db,
  row: { model: string; ts: Date; speed?: string | null; region?: string | null; units: RequestUnits },
): Promise<PricedColumns> {
  const k = await catalogOf(db);
  const served = servedVariant(row.speed, row.region);
  const memo = `${row.model}\u0000${served}`;
  let variant = k.matched.get(memo);
  if (variant === undefined) {
    const matched = matchModelName(k.index, row.model) ?? null;
    variant = matched === null ? null : variantModel(k.index, matched, served);
    // Bounded: a gateway sends a handful of names, but nothing stops one from sending many.
    if (k.matched.size > 10_000) k.matched.clear();
    k.matched.set(memo, variant);
  }
  const name = variant?.name ?? null;
  const unpriced: PricedColumns = {
    priced_model: name,
    price_version: null,
    unpriced: true,
    input_cost: null,
    output_cost: null,
    cache_read_cost: null,
    cache_write_cost: null,
    base_cost: null,
    total_cost: null,
    price_rules: null,
    unpriced_parts: null,
    catalog_provider: name === null ? null : (k.index.providers?.get(name) ?? null),
  };
  if (name === null) return unpriced;
  const t = row.ts.getTime();
  let version: PriceVersion | undefined;
  for (const v of await versionsOf(db, k, name)) if (v.effectiveFrom.getTime() <= t) version = v;
  if (!version) return unpriced;
  const terms = adjustmentsAt(k.adjustments, k.index.providers?.get(name), name, row.ts);
  const cost = priceRequest(version, row.units, costMultipliers(terms));
  // A served tier without its rates: unpriced, and the row says why (as the bulk SQL writes it).
  if (cost.unpriced !== null) return { ...unpriced, price_rules: cost.unpriced };
  const rules = [...(variant?.rule ? [variant.rule] : []), ...cost.rules];
  return {
    ...unpriced,
    price_version: version.id,
    unpriced: false,
    input_cost: money(cost.inputCost),
    output_cost: money(cost.outputCost),
    cache_read_cost: money(cost.cacheReadCost),
    cache_write_cost: money(cost.cacheWriteCost),
    base_cost: money(cost.baseCost),
    total_cost: money(cost.totalCost),
    price_rules: rules.length > 0 ? rules.join('; ') : null,
    unpriced_parts: cost.unpricedParts.length > 0 ? cost.unpricedParts.join(', ') : null,
  };
}
