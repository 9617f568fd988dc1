// model_substitution and batch: the real traffic of the window re-priced, row by row with the same SQL
// pricing ingest uses (tiers, cache tokens, batch rates included), as if it had gone to a cheaper model
// of the same provider and mode, or as batch requests. The saving is the difference of the two sums.
import type { Db } from '../../db/database.js';
import { buildModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
import { Decimal, formatMoney } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import type { OptimizeWindow, SuggestionDraft } from '../../domain/suggestions.js';
import { PRICED_COLUMNS } from '../../db/usage-columns.js';

const COST_COLUMNS = PRICED_COLUMNS.join(', ');
/**
 * When each model came out, from the catalog's dated snapshot names: `claude-3-haiku-20240307` is its own
 * date, `gpt-4o-mini` takes the date of `gpt-4o-mini-2024-07-18`. Catalogs state no release date, and
 * without one the optimizer proposed moving claude-sonnet-4-5 traffic to claude-3-haiku (a 2024 model) and
 * gpt-4.1-mini traffic back to gpt-4o-mini. A model with no dated name has no date and is not compared.
 */
const RELEASED_SQL = `dated AS (
       SELECT name, regexp_extract(name, '^(.+)-(\\d{4})-?(\\d{2})-?(\\d{2})$', ['base', 'y', 'm', 'd']) AS parts FROM models
     ),
     released AS (
       SELECT b.base, try_strptime(d.parts.y || d.parts.m || d.parts.d, '%Y%m%d')::DATE AS released
       FROM dated d, LATERAL (SELECT unnest([d.name, d.parts.base]) AS base) b
       WHERE d.parts.y <> '' AND d.parts.y BETWEEN '2015' AND '2100'
     )`;

/** At most this many cheaper candidates per model are re-priced: the closest in price first. */
const MAX_CANDIDATES = 3;

interface PairCost {
  source_model: string;
  candidate: string;
  rows: string;
  current: string;
  repriced: string | null;
  unpriced: string;
}

export async function modelSubstitutions(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const bounds = [sqlTimestamp(w.from), sqlTimestamp(w.to)];
  // Candidates: same provider and model type, token-priced now, cheaper per input+output token now.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE subst_pairs AS
     WITH current AS (
       SELECT p.* FROM model_prices p WHERE p.effective_from <= ?::TIMESTAMP
       QUALIFY row_number() OVER (PARTITION BY p.model_name ORDER BY p.effective_from DESC) = 1
     ),
     used AS (
       SELECT DISTINCT priced_model AS source_model FROM usage
       WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND NOT unpriced
     ),
     ${RELEASED_SQL}
     SELECT u.source_model, c.name AS candidate FROM used u
     JOIN models s ON s.name = u.source_model
     JOIN current sp ON sp.model_name = s.name
     JOIN models c ON c.provider = s.provider AND c.model_type = s.model_type AND c.name <> s.name
     JOIN current cp ON cp.model_name = c.name
     WHERE sp.billing_unit = 'token' AND cp.billing_unit = 'token'
       AND cp.rate_input IS NOT NULL AND cp.rate_output IS NOT NULL
       AND (cp.rate_input + cp.rate_output) < (coalesce(sp.rate_input, 0) + coalesce(sp.rate_output, 0))
       -- Never a move to a model its provider has retired or retires within 90 days (LiteLLM's deprecation_date).
       AND (c.deprecation_date IS NULL OR c.deprecation_date > (?::TIMESTAMP + INTERVAL 90 DAY)::DATE)
       -- Never back a generation: a candidate released before the model in use (both dates known) is legacy.
       AND NOT coalesce((SELECT min(released) FROM released r WHERE r.base = c.name)
         < (SELECT min(released) FROM released r WHERE r.base = s.name), false)
       -- A fine-tuned model is someone's own training, not a drop-in replacement.
       AND c.name NOT LIKE 'ft:%'
     QUALIFY row_number() OVER (PARTITION BY u.source_model ORDER BY (cp.rate_input + cp.rate_output) DESC, c.name) <= ${MAX_CANDIDATES}`,
    [sqlTimestamp(w.now), ...bounds, sqlTimestamp(w.now)],
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE subst_rows AS
     SELECT u.* EXCLUDE (model, ${COST_COLUMNS}), c.candidate AS model, u.priced_model AS source_model, u.total_cost AS current_cost
     FROM usage u JOIN subst_pairs c ON c.source_model = u.priced_model
     WHERE u.ts >= ?::TIMESTAMP AND u.ts < ?::TIMESTAMP AND NOT u.unpriced`,
    bounds,
  );
  await buildModelMap(db, 'subst_rows', 'subst_map');
  const pairs = await db.all<PairCost>(
    `SELECT source_model, model AS candidate, count(*)::VARCHAR AS rows, sum(current_cost)::VARCHAR AS current,
       sum(total_cost)::VARCHAR AS repriced, count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced
     FROM (${pricedSelectSql('subst_rows', 'subst_map')}) GROUP BY ALL ORDER BY 1, 2`,
  );
  const mix = await db.all(
    `SELECT priced_model AS model, count(*)::VARCHAR AS requests, sum(input_tokens)::VARCHAR AS input_tokens,
       sum(output_tokens)::VARCHAR AS output_tokens, sum(cache_read_tokens)::VARCHAR AS cache_read_tokens,
       sum(cache_write_tokens + cache_write_1h_tokens)::VARCHAR AS cache_write_tokens
     FROM usage WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND NOT unpriced
       AND priced_model IN (SELECT source_model FROM subst_pairs) GROUP BY 1`,
    bounds,
  );
  await db.run('DROP TABLE subst_rows');
  await db.run('DROP TABLE subst_pairs');

  const bySource = new Map<string, PairCost[]>();
  // A candidate that cannot price every row (no version yet at some row's time) is not comparable.
  for (const p of pairs.filter((p) => Number(p.unpriced) === 0 && p.repriced !== null)) {
    bySource.set(p.source_model, [...(bySource.get(p.source_model) ?? []), p]);
  }
  const drafts: SuggestionDraft[] = [];
  for (const [source, options] of bySource) {
    const best = options.reduce((a, b) => (new Decimal(b.repriced!).lt(a.repriced!) ? b : a));
    const current = new Decimal(best.current);
    const repriced = new Decimal(best.repriced!);
    const savings = current.minus(repriced);
    if (savings.lte(0)) continue;
    drafts.push({
      fingerprint: `model_substitution:${source}`,
      type: 'model_substitution',
      title: `Move ${source} traffic to ${best.candidate}`,
      description:
        `${best.rows} requests on ${source} cost ${formatMoney(current)} in the window; the same token mix (cache tokens included) ` +
        `priced on ${best.candidate} would cost ${formatMoney(repriced)}.`,
      currentCost: current,
      potentialSavings: savings,
      recommendations: [
        `Evaluate ${best.candidate} on a sample of ${source} requests for quality before switching.`,
        'Route the simpler request types first and compare outcomes.',
      ],
      effort: 'medium',
      evidence: {
        model: source,
        token_mix: mix.find((m) => m.model === source) ?? null,
        alternatives: options.map((o) => ({ model: o.candidate, repriced_cost: new Decimal(o.repriced!).toFixed() })),
      },
    });
  }
  return drafts;
}

/** Request types that do not need an answer at once; their traffic could go through a batch API. */
export const NON_INTERACTIVE_REQUEST_TYPES = [
  'summary',
  'embedding',
  'report',
  'analysis',
  'classification',
  'extraction',
  'evaluation',
  'backfill',
];

export async function batchCandidates(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const types = NON_INTERACTIVE_REQUEST_TYPES;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE batch_rows AS
     SELECT u.* EXCLUDE (request_type, ${COST_COLUMNS}), 'batch' AS request_type, u.request_type AS original_type,
       u.priced_model AS source_model, u.total_cost AS current_cost
     FROM usage u JOIN model_prices p ON p.id = u.price_version
     WHERE u.ts >= ?::TIMESTAMP AND u.ts < ?::TIMESTAMP AND NOT u.unpriced
       AND u.request_type IN (${types.map(() => '?').join(', ')})
       AND (p.rate_batch_input IS NOT NULL OR p.rate_batch_output IS NOT NULL)`,
    [sqlTimestamp(w.from), sqlTimestamp(w.to), ...types],
  );
  await buildModelMap(db, 'batch_rows', 'batch_map');
  const rows = await db.all(
    `SELECT source_model, original_type, count(*)::VARCHAR AS n, sum(current_cost)::VARCHAR AS current, sum(total_cost)::VARCHAR AS repriced
     FROM (${pricedSelectSql('batch_rows', 'batch_map')}) GROUP BY ALL ORDER BY 1, 2`,
  );
  await db.run('DROP TABLE batch_rows');
  const drafts: SuggestionDraft[] = [];
  for (const model of [...new Set(rows.map((r) => r.source_model as string))]) {
    const mine = rows.filter((r) => r.source_model === model);
    const current = mine.reduce<Decimal>((s, r) => s.plus(r.current), new Decimal(0));
    const repriced = mine.reduce<Decimal>((s, r) => s.plus(r.repriced ?? r.current), new Decimal(0));
    const savings = current.minus(repriced);
    if (savings.lte(0)) continue;
    drafts.push({
      fingerprint: `batch:${model}`,
      type: 'batch',
      title: `Send non-interactive ${model} requests through the batch API`,
      description:
        `${mine.map((r) => `${r.n} ${r.original_type}`).join(', ')} request(s) on ${model} were priced at interactive rates ` +
        `(${formatMoney(current)}); at the model's batch rates they would cost ${formatMoney(repriced)}.`,
      currentCost: current,
      potentialSavings: savings,
      recommendations: [
        `Queue ${mine.map((r) => r.original_type).join('/')} requests and submit them as batch jobs.`,
        'Tag them request_type=batch so costctl prices them at batch rates.',
      ],
      effort: 'medium',
      evidence: {
        model,
        by_request_type: mine.map((r) => ({
          request_type: r.original_type,
          requests: r.n,
          current_cost: r.current,
          batch_cost: r.repriced,
        })),
      },
    });
  }
  return drafts;
}
