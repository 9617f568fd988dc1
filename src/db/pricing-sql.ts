// The pricing rules of src/domain/pricing.ts, written once more in SQL so millions of rows are priced
// inside DuckDB. test/integration/pricing-sql.test.ts holds the two equal row by row.
import { matchModelName, SERVED_VARIANTS, variantModel, type NameIndex } from '../domain/model-names.js';
import { providerFamily } from '../domain/provider-rules.js';
import { PRICE_FIELD_COLUMNS, PRICE_FIELDS } from '../domain/catalog-types.js';
import type { Db } from './database.js';
import { allRowsAsJson } from './rows-json.js';
import { buildAdjustmentMap } from './price-adjustments-sql.js';
import {
  baseCostSql,
  inputCostSql,
  outputCostSql,
  servedRateSql,
  tierKindSql,
  tierRuleSql,
  unpricedPartsSql,
  webSearchRuleSql,
} from './pricing-sql-components.js';

const RATE_COLUMNS = PRICE_FIELDS.map((f) => PRICE_FIELD_COLUMNS[f].rate);

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
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${names} (raw_model VARCHAR, variant VARCHAR, priced_model VARCHAR, family VARCHAR,
      variant_rule VARCHAR, PRIMARY KEY (raw_model, variant))`,
  );
  // The provider rules are decided once per catalog model, by the same function the TS pricing uses; each
  // name gets a row per served variant (a handful of map rows, whether or not any usage row is served so).
  const rows = distinct.flatMap((model) => {
    const matched = matchModelName(index, model) ?? null;
    return SERVED_VARIANTS.map((variant) => {
      const v = matched === null ? { name: null, rule: null } : variantModel(index, matched, variant);
      const family = v.name === null ? null : providerFamily(index.providers?.get(v.name), v.name);
      return [model, variant, v.name, family, v.rule] as const;
    });
  });
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    await db.run(`INSERT INTO ${names} VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, chunk.flat());
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
SELECT n.raw_model, n.variant, n.priced_model, m.provider AS catalog_provider, n.family AS _family, n.variant_rule AS _variant_rule,
  coalesce(v._from, '-infinity'::TIMESTAMP) AS _from, coalesce(v._to, 'infinity'::TIMESTAMP) AS _to,
  v._pv, v._unit, v._threshold, ${rates}
FROM ${names} n LEFT JOIN models m ON m.name = n.priced_model LEFT JOIN stretches v ON v.model_name = n.priced_model`);
  await db.run(`DROP TABLE ${names}`);
  // The operator's discounts and markups per catalog model: ${name}_adj, joined by pricedSelectSql.
  const priced = new Map<string, string | undefined>();
  for (const r of rows) if (r[2] !== null) priced.set(r[2], index.providers?.get(r[2]));
  await buildAdjustmentMap(db, `${name}_adj`, priced);
}

/** Drops a map buildModelMap made, with its table of the operator's terms (`${name}_adj`). */
export async function dropModelMap(db: Db, name = 'model_map'): Promise<void> {
  for (const table of [name, `${name}_adj`]) await db.run(`DROP TABLE IF EXISTS temp.${table}`);
}

/** servedVariant (src/domain/model-names.ts) over a row's speed and region. */
function servedVariantSql(r: string): string {
  const fast = `lower(trim(${r}.speed)) = 'fast'`;
  const us = `lower(trim(${r}.region)) = 'us'`;
  return `CASE WHEN ${fast} THEN CASE WHEN ${us} THEN 'fast/us' ELSE 'fast' END WHEN ${us} THEN 'us' ELSE '' END`;
}

/**
 * The rules' separator, a semicolon and a space, spelled with chr(59): a semicolon anywhere in the statement
 * makes statementWrites (db/statement-writes.ts) count the INSERT around this SELECT as writing every table,
 * which would drop the pre-call check's kept context after every recorded request.
 */
const RULE_SEPARATOR = "chr(59) || ' '";

const COST_PARTS = ['_input_cost', '_output_cost', '_cache_read_cost', '_cache_write_cost', '_base_cost'];
/** The operator's discount, then markup (priceRequest's last step): each product cast back to 18 decimals. */
const adjust = (cost: string) => {
  const disc = `CASE WHEN a._disc IS NULL THEN ${cost} ELSE (${cost} * a._disc)::DECIMAL(38,18) END`;
  return `CASE WHEN a._mark IS NULL THEN ${disc} ELSE ((${disc}) * a._mark)::DECIMAL(38,18) END`;
};

const half = (rate: string) => `(${rate} * 0.5)::DECIMAL(38,18)`;
const bandRate = (tier: string, base: string) => `coalesce(CASE WHEN r._tier THEN r.${tier} END, r.${base})`;

/**
 * SELECT over `relation` (which has the usage columns: ts, model, provider, token counts, requests,
 * duration_seconds, bytes, request_type, speed, region, …) adding priced_model, price_version, unpriced, the cost
 * columns and price_rules. `modelMap` comes from buildModelMap. Every other column of `relation` is passed
 * through; with `catalogProvider`, a NULL `provider` becomes the provider of the catalog model the row matched.
 * The rules are effectiveRates' (src/domain/pricing.ts), step by step in the same order.
 */
export function pricedSelectSql(
  relation: string,
  modelMap = 'model_map',
  options: { catalogProvider?: boolean } = {},
): string {
  const row = options.catalogProvider ? 'r.* REPLACE (coalesce(r.provider, mm.catalog_provider) AS provider)' : 'r.*';
  return `
WITH versioned AS (
  SELECT ${row}, mm.priced_model AS _priced_model, mm._pv, mm._unit, mm._threshold, mm._family, mm._variant_rule,
    ${RATE_COLUMNS.map((c) => `mm.${c}`).join(', ')}
  FROM ${relation} r LEFT JOIN ${modelMap} mm
    ON mm.raw_model = r.model AND mm.variant = ${servedVariantSql('r')} AND r.ts >= mm._from AND r.ts < mm._to
),
kinded AS (
  SELECT r.*, ${tierKindSql()} AS _tk,
    coalesce(r.request_type = 'batch' OR lower(trim(r.service_tier)) = 'batch', false) AS _batch
  FROM versioned r
),
served AS (
  SELECT r.*, r._tk IN ('flex', 'priority') AS _served,
    (r._tk IN ('flex', 'priority') AND (${servedRateSql('input')} IS NULL OR ${servedRateSql('output')} IS NULL)) AS _srv_missing
  FROM kinded r
),
tiered AS (
  SELECT v.*,
    (NOT v._served AND v._threshold IS NOT NULL
      AND coalesce(v.rate_tier_input, v.rate_tier_output, v.rate_tier_cache_read, v.rate_tier_cache_write, v.rate_tier_cache_write_1h) IS NOT NULL
      AND (v.input_tokens + v.cache_read_tokens + v.cache_write_tokens + v.cache_write_1h_tokens) > v._threshold) AS _tier,
    CASE WHEN v._unit = 'token' THEN v._family END AS _fam
  FROM served v
),
rated AS (
  SELECT r.*,
    CASE WHEN r._served THEN coalesce(${servedRateSql('input')}, 0::DECIMAL(38,18))
      ELSE coalesce(CASE WHEN r._tier THEN r.rate_tier_input END, r.rate_input, 0::DECIMAL(38,18)) END AS _base_in,
    CASE WHEN r._served THEN coalesce(${servedRateSql('output')}, 0::DECIMAL(38,18))
      ELSE coalesce(CASE WHEN r._tier THEN r.rate_tier_output END, r.rate_output, 0::DECIMAL(38,18)) END AS _base_out
  FROM tiered r
),
fallback AS (
  SELECT r.*,
    CASE WHEN r._served THEN coalesce(${servedRateSql('cache_read')}, 0::DECIMAL(38,18))
      ELSE coalesce(${bandRate('rate_tier_cache_read', 'rate_cache_read')}, r._base_in) END AS _cr0,
    coalesce(${bandRate('rate_tier_cache_write', 'rate_cache_write')},
      CASE WHEN r._fam = 'anthropic' THEN (r._base_in * 1.25)::DECIMAL(38,18) ELSE r._base_in END) AS _cw0,
    CASE
      WHEN NOT r._batch THEN 'none'
      WHEN r._fam IS NOT NULL AND (r._tier OR r.rate_batch_input IS NULL OR r.rate_batch_output IS NULL) THEN 'half'
      WHEN r._fam IS NOT NULL OR r.rate_batch_input IS NOT NULL OR r.rate_batch_output IS NOT NULL THEN 'rates'
      ELSE 'none'
    END AS _bmode
  FROM rated r
),
fallback_1h AS (
  SELECT r.*,
    coalesce(${bandRate('rate_tier_cache_write_1h', 'rate_cache_write_1h')},
      CASE WHEN r._fam = 'anthropic' THEN (r._base_in * 2)::DECIMAL(38,18) ELSE r._cw0 END) AS _cw1h0
  FROM fallback r
),
effective AS (
  SELECT r.*,
    CASE r._bmode
      WHEN 'half' THEN CASE WHEN r._tier OR r.rate_batch_input IS NULL THEN ${half('r._base_in')} ELSE r.rate_batch_input END
      WHEN 'rates' THEN coalesce(r.rate_batch_input, r._base_in)
      ELSE r._base_in
    END AS _in,
    CASE r._bmode
      WHEN 'half' THEN CASE WHEN r._tier OR r.rate_batch_output IS NULL THEN ${half('r._base_out')} ELSE r.rate_batch_output END
      WHEN 'rates' THEN coalesce(r.rate_batch_output, r._base_out)
      ELSE r._base_out
    END AS _out,
    CASE WHEN r._batch AND r._fam = 'anthropic' THEN ${half('r._cr0')} ELSE r._cr0 END AS _cr,
    CASE WHEN r._batch AND r._fam = 'anthropic' THEN ${half('r._cw0')} ELSE r._cw0 END AS _cw,
    CASE WHEN r._batch AND r._fam = 'anthropic' THEN ${half('r._cw1h0')} ELSE r._cw1h0 END AS _cw1h,
    coalesce(r.rate_base, 0::DECIMAL(38,18)) AS _b,
    (r._bmode <> 'none' AND r._fam IS NOT NULL) AS _half,
    nullif(concat_ws(${RULE_SEPARATOR}, r._variant_rule, ${tierRuleSql()},
      CASE WHEN r._tier THEN 'band above ' || r._threshold || ' prompt tokens' END,
      CASE WHEN r._unit = 'token' AND NOT r._served AND r.cache_read_tokens > 0 AND ${bandRate('rate_tier_cache_read', 'rate_cache_read')} IS NULL
        THEN 'cache read at the input rate (no cache read price)' END,
      CASE WHEN r._unit = 'token' AND r.cache_write_tokens > 0 AND ${bandRate('rate_tier_cache_write', 'rate_cache_write')} IS NULL
        THEN CASE WHEN r._fam = 'anthropic' THEN 'cache write 5m = 1.25 × input (anthropic rule)'
          ELSE 'cache write at the input rate (no cache write price)' END END,
      CASE WHEN r._unit = 'token' AND r.cache_write_1h_tokens > 0 AND ${bandRate('rate_tier_cache_write_1h', 'rate_cache_write_1h')} IS NULL
        THEN CASE WHEN r._fam = 'anthropic' THEN 'cache write 1h = 2 × input (anthropic rule)'
          ELSE 'cache write 1h at the 5m write rate (no 1h price)' END END,
      CASE r._bmode
        WHEN 'half' THEN 'batch 50 %' || CASE WHEN r._tier THEN ' of the band' ELSE '' END || ' (' || r._fam || ' rule)'
        WHEN 'rates' THEN 'batch rates'
      END, ${webSearchRuleSql()}), '') AS _rules
  FROM fallback_1h r
),
-- A row without a 1h cache write takes the plain product (the other term is 0 × a rate, so the value is
-- the same; plainWhenNone in pricing-sql-components.ts does this for the input, output and base costs,
-- over counts coalesced to 0; this count is NOT NULL in usage, compared as it is so a NULL stays NULL).
costed AS (
  SELECT r.*,
    CASE r._unit
      WHEN 'token' THEN ${inputCostSql()}
      WHEN 'request' THEN (r.requests * r._in)::DECIMAL(38,18)
      WHEN 'gb' THEN (coalesce(r.bytes, 0) * r._in)::DECIMAL(38,18)
      ELSE (coalesce(r.duration_seconds, 0) * r._in)::DECIMAL(38,18)
    END AS _input_cost,
    CASE WHEN r._unit = 'token' THEN ${outputCostSql()} ELSE 0::DECIMAL(38,18) END AS _output_cost,
    CASE WHEN r._unit = 'token' THEN (r.cache_read_tokens * r._cr)::DECIMAL(38,18) ELSE 0::DECIMAL(38,18) END AS _cache_read_cost,
    CASE WHEN r._unit IS DISTINCT FROM 'token' THEN 0::DECIMAL(38,18)
      WHEN r.cache_write_1h_tokens = 0 THEN (r.cache_write_tokens * r._cw)::DECIMAL(38,18)
      ELSE (r.cache_write_tokens * r._cw + r.cache_write_1h_tokens * r._cw1h)::DECIMAL(38,18) END AS _cache_write_cost,
    ${baseCostSql()} AS _base_cost,
    ${unpricedPartsSql()} AS _parts,
    (r._pv IS NULL OR r._srv_missing) AS _unpriced
  FROM effective r
),
adjusted AS (
  SELECT c.* REPLACE (${COST_PARTS.map((x) => `${adjust(`c.${x}`)} AS ${x}`).join(', ')},
      nullif(concat_ws(${RULE_SEPARATOR}, c._rules, a._adj_rules), '') AS _rules)
  FROM costed c LEFT JOIN ${modelMap}_adj a ON a.priced_model = c._priced_model AND c.ts >= a._from AND c.ts < a._to
)
SELECT
  c.* EXCLUDE (_priced_model, _pv, _unit, _threshold, _family, _variant_rule, _tier, _fam, _batch, _base_in, _base_out, _cr0, _cw0, _bmode,
    _cw1h0, _in, _out, _cr, _cw, _cw1h, _b, _rules, _tk, _served, _srv_missing, _half, _parts, _unpriced,
    _input_cost, _output_cost, _cache_read_cost, _cache_write_cost, _base_cost, ${RATE_COLUMNS.join(', ')}),
  c._priced_model AS priced_model,
  CASE WHEN c._unpriced THEN NULL ELSE c._pv END AS price_version,
  c._unpriced AS unpriced,
  CASE WHEN c._unpriced THEN NULL ELSE c._input_cost END AS input_cost,
  CASE WHEN c._unpriced THEN NULL ELSE c._output_cost END AS output_cost,
  CASE WHEN c._unpriced THEN NULL ELSE c._cache_read_cost END AS cache_read_cost,
  CASE WHEN c._unpriced THEN NULL ELSE c._cache_write_cost END AS cache_write_cost,
  CASE WHEN c._unpriced THEN NULL ELSE c._base_cost END AS base_cost,
  CASE WHEN c._unpriced THEN NULL
    ELSE (c._input_cost + c._output_cost + c._cache_read_cost + c._cache_write_cost + c._base_cost)::DECIMAL(38,18) END AS total_cost,
  -- A served tier without its rates leaves the row unpriced and says why.
  CASE WHEN c._pv IS NULL THEN NULL
    WHEN c._srv_missing THEN 'service tier ' || c._tk || ': no ' || c._tk || ' price in the catalog' ELSE c._rules END AS price_rules,
  CASE WHEN c._unpriced THEN NULL ELSE c._parts END AS unpriced_parts
FROM adjusted c`;
}

/** The catalog's names and aliases, loaded once per command for matching (src/domain/model-names.ts). */
export async function loadNameIndex(db: Db): Promise<NameIndex> {
  const rows = await allRowsAsJson<{ name: string; provider: string }>(db, 'SELECT name, provider FROM models');
  const names = new Set(rows.map((r) => r.name));
  const providers = new Map(rows.map((r) => [r.name, r.provider]));
  const aliases = new Map(
    (await allRowsAsJson<{ alias: string; model_name: string }>(db, 'SELECT alias, model_name FROM model_aliases')).map(
      (r) => [r.alias, r.model_name],
    ),
  );
  return { names, aliases, providers };
}
