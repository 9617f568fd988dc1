// Reading the versioned model price catalog: models, aliases, price versions in force, listings.
// Writes are in catalog-write.ts; matching the names callers write is src/domain/model-names.ts.
import { DataError } from '../../errors.js';
import {
  PRICE_FIELD_COLUMNS,
  PRICE_FIELDS,
  emptyPriceList,
  type BillingUnit,
  type CostType,
  type PriceList,
  type PriceVersion,
} from '../../domain/catalog-types.js';
import { Decimal } from '../../domain/money.js';
import { fromSqlTimestamp, sqlTimestamp } from '../../domain/time.js';
import type { Db, Row, SqlParam } from '../../db/database.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import { closestNames, matchModelName, prefixedEntries } from '../../domain/model-names.js';
import { loadPriceAdjustments } from '../../db/price-adjustments-sql.js';
import { adjustmentsAt, patternMatches, type PriceAdjustment } from '../../domain/price-adjustments.js';

/** The first version of a model is in force from the start of time, so history is priced too. */
export const BEGINNING = new Date('1970-01-01T00:00:00Z');

export interface ModelSpec {
  name: string;
  provider: string;
  modelType: string;
  costType: CostType;
  currency: string;
  aliases: string[];
  source?: string;
  /** The day the provider retires the model (YYYY-MM-DD), when the catalog says. */
  deprecationDate?: string | null;
}

export interface PriceSpec {
  billingUnit: BillingUnit;
  unitSize: Decimal;
  prices: PriceList;
  effectiveFrom: Date;
  source?: string;
}

const PRICE_SELECT = `id, model_name, effective_from::VARCHAR AS effective_from, billing_unit, unit_size, tier_threshold_tokens, ${Object.values(
  PRICE_FIELD_COLUMNS,
)
  .flatMap((c) => [c.price, c.rate])
  .join(', ')}`;

/** PRICE_SELECT with every number as exact text, for reading a price version through JSON. */
export const PRICE_SELECT_TEXT = `id, model_name, effective_from::VARCHAR AS effective_from, billing_unit, unit_size::VARCHAR AS unit_size,
  tier_threshold_tokens::VARCHAR AS tier_threshold_tokens, ${Object.values(PRICE_FIELD_COLUMNS)
    .flatMap((c) => [`${c.price}::VARCHAR AS ${c.price}`, `${c.rate}::VARCHAR AS ${c.rate}`])
    .join(', ')}`;

function dec(v: unknown): Decimal | null {
  return v === null || v === undefined ? null : new Decimal(String(v));
}

export function priceVersionFromRow(row: Row, model: { provider: string; currency: string }): PriceVersion {
  const prices = emptyPriceList();
  const rates = {} as PriceVersion['rates'];
  for (const f of PRICE_FIELDS) {
    prices[f] = dec(row[PRICE_FIELD_COLUMNS[f].price]);
    rates[f] = dec(row[PRICE_FIELD_COLUMNS[f].rate]);
  }
  prices.tierThresholdTokens =
    row.tier_threshold_tokens === null || row.tier_threshold_tokens === undefined
      ? null
      : BigInt(row.tier_threshold_tokens);
  return {
    id: Number(row.id),
    modelName: row.model_name,
    provider: model.provider,
    billingUnit: row.billing_unit as BillingUnit,
    unitSize: new Decimal(row.unit_size),
    currency: model.currency,
    effectiveFrom: fromSqlTimestamp(row.effective_from),
    prices,
    rates,
  };
}

export interface ModelRow {
  name: string;
  provider: string;
  model_type: string;
  cost_type: string;
  currency: string;
  source: string | null;
  /** The day the provider retires it (YYYY-MM-DD), when a catalog said; absent on list reads. */
  deprecation_date?: string | null;
}

export async function getModel(db: Db, name: string): Promise<ModelRow | undefined> {
  return db.one<ModelRow>(
    'SELECT name, provider, model_type, cost_type, currency, source, deprecation_date::VARCHAR AS deprecation_date FROM models WHERE name = ?',
    [name],
  );
}

export async function priceVersions(db: Db, model: ModelRow): Promise<PriceVersion[]> {
  const rows = await db.all(`SELECT ${PRICE_SELECT} FROM model_prices WHERE model_name = ? ORDER BY effective_from`, [
    model.name,
  ]);
  return rows.map((r) => priceVersionFromRow(r, model));
}

/** The version in force at `at`: the latest whose effective_from is not after `at`. */
export async function priceVersionAt(db: Db, model: ModelRow, at: Date): Promise<PriceVersion | undefined> {
  const row = await db.one(
    `SELECT ${PRICE_SELECT} FROM model_prices WHERE model_name = ? AND effective_from <= ?::TIMESTAMP
     ORDER BY effective_from DESC LIMIT 1`,
    [model.name, sqlTimestamp(at)],
  );
  return row ? priceVersionFromRow(row, model) : undefined;
}

/** Where each price version came from, by version id. */
export async function versionSources(db: Db, name: string): Promise<Map<number, string | null>> {
  const rows = await db.all<{ id: string; source: string | null }>(
    'SELECT id::VARCHAR AS id, source FROM model_prices WHERE model_name = ?',
    [name],
  );
  return new Map(rows.map((r) => [Number(r.id), r.source]));
}

export async function aliasesOf(db: Db, name: string): Promise<string[]> {
  const rows = await db.all<{ alias: string }>('SELECT alias FROM model_aliases WHERE model_name = ? ORDER BY alias', [
    name,
  ]);
  return rows.map((r) => r.alias);
}

export async function requireModel(db: Db, name: string): Promise<ModelRow> {
  // The common case, an exact name, needs one lookup rather than loading every name and alias.
  const exact = await getModel(db, name);
  if (exact) return exact;
  const index = await loadNameIndex(db);
  const matched = matchModelName(index, name);
  if (!matched) {
    const bare = name.trim().split('/').pop() ?? name;
    const providers = prefixedEntries(index, bare);
    if (providers.length > 1) {
      throw new DataError(
        `model "${name}" is offered by ${providers.length} providers in the price catalog: write one of ${providers.join(', ')}`,
      );
    }
    const near = closestNames(index, name);
    const hint = near.length
      ? ` (closest: ${near.join(', ')})`
      : ' (the catalog is empty: run `costctl models import` or `costctl init`)';
    throw new DataError(`model "${name}" is not in the price catalog${hint}`);
  }
  return (await getModel(db, matched))!;
}

/** Two price specs charge the same for every request. */
export function samePrices(a: PriceSpec, b: PriceSpec): boolean {
  if (a.billingUnit !== b.billingUnit || !a.unitSize.eq(b.unitSize)) return false;
  if (a.prices.tierThresholdTokens !== b.prices.tierThresholdTokens) return false;
  return PRICE_FIELDS.every((f) => {
    const x = a.prices[f];
    const y = b.prices[f];
    return x === null || y === null ? x === y : x.eq(y);
  });
}

export function specOf(v: PriceVersion): PriceSpec {
  return { billingUnit: v.billingUnit, unitSize: v.unitSize, prices: { ...v.prices }, effectiveFrom: v.effectiveFrom };
}

/** Every stored price version with its source, by model, oldest first (one query for a whole import). */
export async function allPriceVersions(db: Db): Promise<Map<string, (PriceVersion & { source: string | null })[]>> {
  const rows = await db.all(
    `SELECT ${PRICE_SELECT}, p.source AS price_source, m.provider, m.currency
     FROM model_prices p JOIN models m ON m.name = p.model_name ORDER BY p.model_name, p.effective_from`,
  );
  const byModel = new Map<string, (PriceVersion & { source: string | null })[]>();
  for (const r of rows) {
    const v = { ...priceVersionFromRow(r, { provider: r.provider, currency: r.currency }), source: r.price_source };
    byModel.set(v.modelName, [...(byModel.get(v.modelName) ?? []), v]);
  }
  return byModel;
}

export async function latestVersion(db: Db, model: ModelRow): Promise<PriceVersion | undefined> {
  const all = await priceVersions(db, model);
  return all[all.length - 1];
}

export interface ModelListItem extends ModelRow {
  current: PriceVersion | undefined;
  /** Where the current price came from: `manual`, `litellm`, `genai-prices 2026-08-21`… */
  currentSource: string | null;
  versions: number;
  aliases: string[];
  /** The operator's discount and markup in force now (they apply after the catalog price). */
  adjustments: PriceAdjustment[];
}

export async function listModels(
  db: Db,
  filter: { provider?: string; search?: string },
  at: Date,
): Promise<ModelListItem[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.provider) {
    where.push('m.provider = ?');
    params.push(filter.provider);
  }
  if (filter.search) {
    where.push(
      // contains(), not ILIKE: `_` and `%` in a search are themselves (gpt_4 must not match gpt-4).
      '(contains(lower(m.name), lower(?)) OR EXISTS (SELECT 1 FROM model_aliases a WHERE a.model_name = m.name AND contains(lower(a.alias), lower(?))))',
    );
    params.push(filter.search, filter.search);
  }
  const models = await db.all<ModelRow>(
    `SELECT name, provider, model_type, cost_type, currency, source FROM models m
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY provider, name`,
    params,
  );
  if (models.length === 0) return [];
  // One pass over the price table instead of a query per model.
  const current = await db.all(
    `SELECT ${PRICE_SELECT}, source AS price_source FROM model_prices
     WHERE effective_from <= ?::TIMESTAMP
     QUALIFY row_number() OVER (PARTITION BY model_name ORDER BY effective_from DESC) = 1`,
    [sqlTimestamp(at)],
  );
  const counts = new Map(
    (
      await db.all<{ model_name: string; n: string }>(
        'SELECT model_name, count(*)::VARCHAR AS n FROM model_prices GROUP BY 1',
      )
    ).map((r) => [r.model_name, Number(r.n)]),
  );
  const aliasRows = await db.all<{ alias: string; model_name: string }>(
    'SELECT alias, model_name FROM model_aliases ORDER BY alias',
  );
  const byModel = new Map<string, Row>(current.map((r) => [r.model_name, r]));
  const adjustments = await loadPriceAdjustments(db);
  const aliasesByModel = new Map<string, string[]>();
  for (const a of aliasRows) aliasesByModel.set(a.model_name, [...(aliasesByModel.get(a.model_name) ?? []), a.alias]);
  return models.map((m) => {
    const row = byModel.get(m.name);
    return {
      ...m,
      current: row ? priceVersionFromRow(row, m) : undefined,
      currentSource: row?.price_source ?? null,
      versions: counts.get(m.name) ?? 0,
      aliases: aliasesByModel.get(m.name) ?? [],
      adjustments: adjustmentsAt(adjustments, m.provider, m.name, at),
    };
  });
}

/** `models show`: a model as callers name it, with all its price versions, their sources and aliases. */
export async function modelDetail(
  db: Db,
  name: string,
): Promise<{
  model: ModelRow;
  versions: PriceVersion[];
  aliases: string[];
  sources: Map<number, string | null>;
  adjustments: PriceAdjustment[];
}> {
  const model = await requireModel(db, name);
  const provider = model.provider.toLowerCase();
  return {
    adjustments: (await loadPriceAdjustments(db)).filter(
      (a) => a.provider === provider && patternMatches(a.modelPattern, model.name),
    ),
    model,
    versions: await priceVersions(db, model),
    aliases: await aliasesOf(db, model.name),
    sources: await versionSources(db, model.name),
  };
}
