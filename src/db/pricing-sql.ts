// The pricing rules of src/domain/pricing.ts, written once more in SQL so millions of rows are priced
// inside DuckDB. test/integration/pricing-sql.test.ts holds the two equal row by row.
import { loadNameIndex, matchModelName } from '../services/catalog.js';
import type { Db } from './database.js';

/**
 * Creates (or replaces) temp table `name` mapping each distinct `model` of `relation` to its catalog
 * model, using the same matching as everywhere else (exact, alias, provider prefix).
 */
export async function buildModelMap(db: Db, relation: string, name = 'model_map'): Promise<void> {
  const distinct = await db.all<{ model: string }>(`SELECT DISTINCT model FROM ${relation} WHERE model IS NOT NULL`);
  const index = await loadNameIndex(db);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} (raw_model VARCHAR PRIMARY KEY, priced_model VARCHAR)`);
  const pairs = distinct.map((r) => [r.model, matchModelName(index, r.model) ?? null] as const);
  for (let i = 0; i < pairs.length; i += 500) {
    const chunk = pairs.slice(i, i + 500);
    await db.run(
      `INSERT INTO ${name} VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
      chunk.flatMap(([raw, priced]) => [raw, priced]),
    );
  }
}

/**
 * SELECT over `relation` (which has the usage columns: ts, model, provider, token counts, requests,
 * duration_seconds, bytes, request_type, …) adding priced_model, price_version, unpriced and the cost
 * columns. `modelMap` comes from buildModelMap. Every other column of `relation` is passed through.
 */
export function pricedSelectSql(relation: string, modelMap = 'model_map'): string {
  return `
WITH matched AS (
  SELECT r.*, mm.priced_model AS _priced_model
  FROM ${relation} r LEFT JOIN ${modelMap} mm ON mm.raw_model = r.model
),
versioned AS (
  SELECT m.*, p.id AS _pv, p.billing_unit AS _unit, p.tier_threshold_tokens AS _threshold,
    p.rate_input, p.rate_output, p.rate_base, p.rate_cache_read, p.rate_cache_write, p.rate_cache_write_1h,
    p.rate_tier_input, p.rate_tier_output, p.rate_tier_cache_read, p.rate_tier_cache_write, p.rate_tier_cache_write_1h,
    p.rate_batch_input, p.rate_batch_output
  FROM matched m ASOF LEFT JOIN model_prices p
    ON m._priced_model = p.model_name AND m.ts >= p.effective_from
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
    _input_cost, _output_cost, _cache_read_cost, _cache_write_cost, _base_cost,
    rate_input, rate_output, rate_base, rate_cache_read, rate_cache_write, rate_cache_write_1h,
    rate_tier_input, rate_tier_output, rate_tier_cache_read, rate_tier_cache_write, rate_tier_cache_write_1h,
    rate_batch_input, rate_batch_output),
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
