// The pricing rules of src/domain/pricing.ts, written once more in SQL so millions of rows are priced
// inside DuckDB. test/integration/pricing-sql.test.ts holds the two equal row by row.
import { matchModelName, type NameIndex } from '../domain/model-names.js';
import type { Db } from './database.js';

const RATE_COLUMNS = [
  'rate_input',
  'rate_output',
  'rate_base',
  'rate_cache_read',
  'rate_cache_write',
  'rate_cache_write_1h',
  'rate_tier_input',
  'rate_tier_output',
  'rate_tier_cache_read',
  'rate_tier_cache_write',
  'rate_tier_cache_write_1h',
  'rate_batch_input',
  'rate_batch_output',
];

/**
 * Creates (or replaces) temp table `name`: for each distinct `model` of `relation` (or each of `models`,
 * when the caller already has them), its catalog model
 * (same matching as everywhere else: exact, alias, provider prefix), that model's catalog provider, and one
 * row per stretch of time [_from, _to) with the price version in force then. The stretches of one name
 * cover all time exactly once (before the first version: _pv NULL, unpriced; an unmatched name: one
 * stretch with _pv NULL). So pricing is an equality hash join on the name plus a range check, which
 * streams the rows through a small build side instead of sorting them all as an ASOF join must.
 */
export async function buildModelMap(db: Db, relation: string, name = 'model_map', models?: string[]): Promise<void> {
  const distinct =
    models ??
    (await db.all<{ model: string }>(`SELECT DISTINCT model FROM ${relation} WHERE model IS NOT NULL`)).map(
      (r) => r.model,
    );
  const index = await loadNameIndex(db);
  const names = `${name}_names`;
  await db.run(`CREATE OR REPLACE TEMP TABLE ${names} (raw_model VARCHAR PRIMARY KEY, priced_model VARCHAR)`);
  const pairs = distinct.map((model) => [model, matchModelName(index, model) ?? null] as const);
  for (let i = 0; i < pairs.length; i += 500) {
    const chunk = pairs.slice(i, i + 500);
    await db.run(`INSERT INTO ${names} VALUES ${chunk.map(() => '(?, ?)').join(', ')}`, chunk.flat());
  }
  const rates = RATE_COLUMNS.map((c) => `v.${c}`).join(', ');
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} AS
WITH versions AS (
  SELECT p.model_name, p.id, p.billing_unit, p.tier_threshold_tokens, ${RATE_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.effective_from AS _from,
    coalesce(lead(p.effective_from) OVER (PARTITION BY p.model_name ORDER BY p.effective_from), 'infinity'::TIMESTAMP) AS _to,
    min(p.effective_from) OVER (PARTITION BY p.model_name) AS _first
  FROM model_prices p WHERE p.model_name IN (SELECT priced_model FROM ${names})
), stretches AS (
  SELECT model_name, id AS _pv, billing_unit AS _unit, tier_threshold_tokens AS _threshold, ${RATE_COLUMNS.join(', ')}, _from, _to FROM versions
  UNION ALL
  SELECT DISTINCT model_name, NULL, NULL, NULL, ${RATE_COLUMNS.map(() => 'NULL').join(', ')}, '-infinity'::TIMESTAMP, _first FROM versions
)
SELECT n.raw_model, n.priced_model, m.provider AS catalog_provider,
  coalesce(v._from, '-infinity'::TIMESTAMP) AS _from, coalesce(v._to, 'infinity'::TIMESTAMP) AS _to,
  v._pv, v._unit, v._threshold, ${rates}
FROM ${names} n LEFT JOIN models m ON m.name = n.priced_model LEFT JOIN stretches v ON v.model_name = n.priced_model`);
  await db.run(`DROP TABLE ${names}`);
}

/**
 * SELECT over `relation` (which has the usage columns: ts, model, provider, token counts, requests,
 * duration_seconds, bytes, request_type, …) adding priced_model, price_version, unpriced and the cost
 * columns. `modelMap` comes from buildModelMap. Every other column of `relation` is passed through;
 * with `catalogProvider`, a NULL `provider` becomes the provider of the catalog model the row matched.
 */
export function pricedSelectSql(
  relation: string,
  modelMap = 'model_map',
  options: { catalogProvider?: boolean } = {},
): string {
  const row = options.catalogProvider ? 'r.* REPLACE (coalesce(r.provider, mm.catalog_provider) AS provider)' : 'r.*';
  return `
WITH versioned AS (
  SELECT ${row}, mm.priced_model AS _priced_model, mm._pv, mm._unit, mm._threshold, ${RATE_COLUMNS.map((c) => `mm.${c}`).join(', ')}
  FROM ${relation} r LEFT JOIN ${modelMap} mm ON mm.raw_model = r.model AND r.ts >= mm._from AND r.ts < mm._to
),
tiered AS (
  SELECT v.*,
    (v._threshold IS NOT NULL
      AND coalesce(v.rate_tier_input, v.rate_tier_output, v.rate_tier_cache_read, v.rate_tier_cache_write, v.rate_tier_cache_write_1h) IS NOT NULL
      AND (v.input_tokens + v.cache_read_tokens + v.cache_write_tokens + v.cache_write_1h_tokens) > v._threshold) AS _tier
  FROM versioned v
),
rated AS (
  SELECT t.*,
    coalesce(CASE WHEN t._tier THEN t.rate_tier_input END, t.rate_input, 0::DECIMAL(38,18)) AS _base_in,
    coalesce(CASE WHEN t._tier THEN t.rate_tier_output END, t.rate_output, 0::DECIMAL(38,18)) AS _base_out
  FROM tiered t
),
effective AS (
  SELECT r.*,
    CASE WHEN r.request_type = 'batch' AND r.rate_batch_input IS NOT NULL THEN r.rate_batch_input ELSE r._base_in END AS _in,
    CASE WHEN r.request_type = 'batch' AND r.rate_batch_output IS NOT NULL THEN r.rate_batch_output ELSE r._base_out END AS _out,
    coalesce(CASE WHEN r._tier THEN r.rate_tier_cache_read END, r.rate_cache_read, r._base_in) AS _cr,
    coalesce(CASE WHEN r._tier THEN r.rate_tier_cache_write END, r.rate_cache_write, r._base_in) AS _cw,
    coalesce(CASE WHEN r._tier THEN r.rate_tier_cache_write_1h END, r.rate_cache_write_1h, r._base_in) AS _cw1h,
    coalesce(r.rate_base, 0::DECIMAL(38,18)) AS _b
  FROM rated r
),
costed AS (
  SELECT e.*,
    CASE e._unit
      WHEN 'token' THEN (e.input_tokens * e._in)::DECIMAL(38,18)
      WHEN 'request' THEN (e.requests * e._in)::DECIMAL(38,18)
      WHEN 'gb' THEN (coalesce(e.bytes, 0) * e._in)::DECIMAL(38,18)
      ELSE (coalesce(e.duration_seconds, 0) * e._in)::DECIMAL(38,18)
    END AS _input_cost,
    CASE WHEN e._unit = 'token' THEN (e.output_tokens * e._out)::DECIMAL(38,18) ELSE 0::DECIMAL(38,18) END AS _output_cost,
    CASE WHEN e._unit = 'token' THEN (e.cache_read_tokens * e._cr)::DECIMAL(38,18) ELSE 0::DECIMAL(38,18) END AS _cache_read_cost,
    CASE WHEN e._unit = 'token' THEN (e.cache_write_tokens * e._cw + e.cache_write_1h_tokens * e._cw1h)::DECIMAL(38,18) ELSE 0::DECIMAL(38,18) END AS _cache_write_cost,
    (e.requests * e._b)::DECIMAL(38,18) AS _base_cost
  FROM effective e
)
SELECT
  c.* EXCLUDE (_priced_model, _pv, _unit, _threshold, _tier, _base_in, _base_out, _in, _out, _cr, _cw, _cw1h, _b,
    _input_cost, _output_cost, _cache_read_cost, _cache_write_cost, _base_cost, ${RATE_COLUMNS.join(', ')}),
  c._priced_model AS priced_model,
  c._pv AS price_version,
  (c._pv IS NULL) AS unpriced,
  CASE WHEN c._pv IS NULL THEN NULL ELSE c._input_cost END AS input_cost,
  CASE WHEN c._pv IS NULL THEN NULL ELSE c._output_cost END AS output_cost,
  CASE WHEN c._pv IS NULL THEN NULL ELSE c._cache_read_cost END AS cache_read_cost,
  CASE WHEN c._pv IS NULL THEN NULL ELSE c._cache_write_cost END AS cache_write_cost,
  CASE WHEN c._pv IS NULL THEN NULL ELSE c._base_cost END AS base_cost,
  CASE WHEN c._pv IS NULL THEN NULL
    ELSE (c._input_cost + c._output_cost + c._cache_read_cost + c._cache_write_cost + c._base_cost)::DECIMAL(38,18) END AS total_cost
FROM costed c`;
}

/** The catalog's names and aliases, loaded once per command for matching (src/domain/model-names.ts). */
export async function loadNameIndex(db: Db): Promise<NameIndex> {
  const names = new Set((await db.all<{ name: string }>('SELECT name FROM models')).map((r) => r.name));
  const aliases = new Map(
    (await db.all<{ alias: string; model_name: string }>('SELECT alias, model_name FROM model_aliases')).map((r) => [
      r.alias,
      r.model_name,
    ]),
  );
  return { names, aliases };
}
