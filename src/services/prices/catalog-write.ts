// Writing the price catalog: new models, new price versions (a changed price is a new version with its
// effective date; history is never rewritten), aliases, and removal.
import { insertRows } from '../../db/bulk-insert.js';
import type { Db, SqlParam } from '../../db/database.js';
import { PRICE_FIELD_COLUMNS, PRICE_FIELDS, emptyPriceList, type PriceList } from '../../domain/catalog-types.js';
import { Decimal } from '../../domain/money.js';
import { ratesFromPrices } from '../../domain/pricing.js';
import { sqlTimestamp } from '../../domain/time.js';
import { DataError, UsageError } from '../../errors.js';
import { getModel, latestVersion, requireModel, specOf, type ModelSpec, type PriceSpec } from './catalog.js';

function priceParams(spec: PriceSpec): SqlParam[] {
  const rates = ratesFromPrices(spec.prices, spec.unitSize, spec.billingUnit);
  const params: SqlParam[] = [];
  for (const f of PRICE_FIELDS) {
    params.push(spec.prices[f]?.toFixed() ?? null, rates[f]?.toFixed() ?? null);
  }
  return params;
}

const PRICE_INSERT_COLUMNS = Object.values(PRICE_FIELD_COLUMNS).flatMap((c) => [c.price, c.rate]);
const PRICE_ROW_TYPES = [
  'VARCHAR',
  'TIMESTAMP',
  'VARCHAR',
  'DECIMAL(38,6)',
  'BIGINT',
  ...PRICE_INSERT_COLUMNS.map(() => 'DECIMAL(38,18)'),
  'VARCHAR',
  'TIMESTAMP',
];

function priceRowParams(modelName: string, spec: PriceSpec, now: Date): SqlParam[] {
  return [
    modelName,
    sqlTimestamp(spec.effectiveFrom),
    spec.billingUnit,
    spec.unitSize.toFixed(),
    spec.prices.tierThresholdTokens?.toString() ?? null,
    ...priceParams(spec),
    spec.source ?? null,
    sqlTimestamp(now),
  ];
}

export async function insertPriceVersions(
  db: Db,
  versions: { modelName: string; spec: PriceSpec }[],
  now: Date,
): Promise<void> {
  await insertRows(
    db,
    `INSERT INTO model_prices (model_name, effective_from, billing_unit, unit_size, tier_threshold_tokens, ${PRICE_INSERT_COLUMNS.join(', ')}, source, created_at)`,
    PRICE_ROW_TYPES,
    versions.map((v) => priceRowParams(v.modelName, v.spec, now)),
  );
}

export async function insertPriceVersion(db: Db, modelName: string, spec: PriceSpec, now: Date): Promise<void> {
  const exists = await db.one(
    'SELECT 1 AS x FROM model_prices WHERE model_name = ? AND effective_from = ?::TIMESTAMP',
    [modelName, sqlTimestamp(spec.effectiveFrom)],
  );
  if (exists) {
    throw new UsageError(
      `--effective-from: ${modelName} already has a price version effective ${spec.effectiveFrom.toISOString()}; choose another date`,
    );
  }
  await insertPriceVersions(db, [{ modelName, spec }], now);
}

/** Adds models that are known not to exist yet (the caller checked), with their first price version. */
export async function insertModels(
  db: Db,
  entries: { model: ModelSpec; price: PriceSpec }[],
  now: Date,
): Promise<void> {
  await insertRows(
    db,
    'INSERT INTO models (name, provider, model_type, cost_type, currency, source, created_at, deprecation_date)',
    ['VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'TIMESTAMP', 'DATE'],
    entries.map(({ model }) => [
      model.name,
      model.provider,
      model.modelType,
      model.costType,
      model.currency,
      model.source ?? null,
      sqlTimestamp(now),
      model.deprecationDate ?? null,
    ]),
  );
  await insertPriceVersions(
    db,
    entries.map((e) => ({ modelName: e.model.name, spec: e.price })),
    now,
  );
}

/**
 * The retirement days a catalog states, for models already in the catalog too (an import adds versions
 * only when prices change, but a provider can announce a retirement at any time).
 */
export async function setDeprecationDates(db: Db, days: [name: string, day: string][]): Promise<void> {
  if (days.length === 0) return;
  await db.run('CREATE OR REPLACE TEMP TABLE catalog_deprecations (name VARCHAR, day DATE)');
  try {
    await insertRows(db, 'INSERT INTO catalog_deprecations', ['VARCHAR', 'DATE'], days);
    await db.run(
      `UPDATE models m SET deprecation_date = d.day FROM catalog_deprecations d
       WHERE m.name = d.name AND m.deprecation_date IS DISTINCT FROM d.day`,
    );
  } finally {
    await db.run('DROP TABLE IF EXISTS temp.catalog_deprecations');
  }
}

export async function setAliases(db: Db, modelName: string, aliases: string[]): Promise<void> {
  for (const alias of aliases) {
    const owner = await db.one<{ model_name: string }>('SELECT model_name FROM model_aliases WHERE alias = ?', [alias]);
    if (owner && owner.model_name !== modelName) {
      throw new UsageError(`--alias: "${alias}" already names ${owner.model_name}`);
    }
    if (await getModel(db, alias)) throw new UsageError(`--alias: "${alias}" is itself a model name`);
    if (!owner) await db.run('INSERT INTO model_aliases VALUES (?, ?)', [alias, modelName]);
  }
}

export async function addModel(db: Db, model: ModelSpec, price: PriceSpec, now: Date): Promise<void> {
  if (await getModel(db, model.name)) {
    throw new UsageError(
      `model "${model.name}" already exists; use \`costctl models update ${model.name}\` for new prices`,
    );
  }
  await db.transaction(async () => {
    await insertModels(db, [{ model, price }], now);
    await setAliases(db, model.name, model.aliases);
  });
}

export async function removeModel(db: Db, name: string, force: boolean): Promise<{ usageRows: number }> {
  const model = await getModel(db, name);
  if (!model) throw new DataError(`model "${name}" is not in the price catalog`);
  const used = await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM usage WHERE priced_model = ?', [name]);
  const usageRows = Number(used?.n ?? 0);
  if (usageRows > 0 && !force) {
    throw new DataError(
      `model "${name}" prices ${usageRows} usage row(s); removing it would orphan their price history (use --force to remove anyway)`,
    );
  }
  await db.transaction(async () => {
    await db.run('DELETE FROM model_aliases WHERE model_name = ?', [name]);
    await db.run('DELETE FROM model_prices WHERE model_name = ?', [name]);
    await db.run('DELETE FROM models WHERE name = ?', [name]);
  });
  return { usageRows };
}

export interface ModelUpdate {
  /** Only the prices given; the others carry over from the latest version. */
  prices: Partial<PriceList>;
  unitSize?: Decimal;
  /** Names to add as aliases. */
  aliases: string[];
  effectiveFrom: Date;
}

/**
 * `models update`: a new price version from the latest one with the given prices changed (a model with
 * no version yet starts from per-1K-token prices, all unset), and any new aliases, in one transaction.
 * Returns the catalog name the given name matched.
 */
export async function updateModel(db: Db, name: string, update: ModelUpdate, now: Date): Promise<string> {
  if (Object.keys(update.prices).length === 0 && !update.unitSize && update.aliases.length === 0)
    throw new UsageError('nothing to update: give at least one price flag (e.g. --input-price) or --alias');
  const model = await requireModel(db, name);
  return db.transaction(async () => {
    if (Object.keys(update.prices).length || update.unitSize) {
      const latest = await latestVersion(db, model);
      const base: PriceSpec = latest
        ? specOf(latest)
        : {
            billingUnit: 'token',
            unitSize: new Decimal(1000),
            prices: emptyPriceList(),
            effectiveFrom: update.effectiveFrom,
          };
      await insertPriceVersion(
        db,
        model.name,
        {
          ...base,
          unitSize: update.unitSize ?? base.unitSize,
          prices: { ...base.prices, ...update.prices },
          effectiveFrom: update.effectiveFrom,
          source: 'manual',
        },
        now,
      );
    }
    await setAliases(db, model.name, update.aliases);
    return model.name;
  });
}
