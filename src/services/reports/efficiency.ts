// `report efficiency`: per model what a request and 1K tokens cost, the most expensive requests, and the
// requests far above their own model's typical cost (median + 5 robust σ and at least 3× the median).
import type { Db, Row } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { fromSqlTimestamp } from '../../domain/time.js';
import type { ReportScope } from './scope.js';
import { usageWhere } from '../../db/usage-filters.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export interface ModelEfficiency {
  rank: number;
  model: string;
  requests: bigint;
  tokens: bigint;
  total_cost: Decimal;
  cost_per_1k_tokens: Decimal | null;
  cost_per_request: Decimal | null;
  tokens_per_request: number | null;
}

export interface CostlyRequest {
  ts: Date;
  request_id: string;
  source: string;
  model: string;
  user: string | null;
  session: string | null;
  tokens: bigint;
  total_cost: Decimal;
  /** The model's median cost per row, for comparison (an estimate, rounded). */
  model_median_cost?: string;
  times_median?: number;
}

export interface EfficiencyReport {
  models: ModelEfficiency[];
  most_expensive: CostlyRequest[];
  outliers: CostlyRequest[];
}

const TOKENS = totalTokensSql();
const REQUEST_COLUMNS = `strftime(ts, '%Y-%m-%d %H:%M:%S.%f') AS ts, request_id, source, model, user_id, session_id,
  (${TOKENS})::VARCHAR AS tokens, total_cost::VARCHAR AS cost`;

function costly(r: Row): CostlyRequest {
  return {
    ts: fromSqlTimestamp(r.ts),
    request_id: r.request_id,
    source: r.source,
    model: r.model,
    user: r.user_id ?? null,
    session: r.session_id ?? null,
    tokens: BigInt(r.tokens),
    total_cost: new Decimal(r.cost),
  };
}

export async function efficiencyReport(db: Db, scope: ReportScope & { limit?: number }): Promise<EfficiencyReport> {
  const where = usageWhere(scope, scope.filters);
  const limit = scope.limit ?? 10;
  const perModel = await db.all(
    `SELECT model, sum(requests)::VARCHAR AS requests, sum(${TOKENS})::VARCHAR AS tokens, sum(total_cost)::VARCHAR AS cost
     FROM usage WHERE ${where.sql} AND NOT unpriced GROUP BY model`,
    where.params,
  );
  // Ratios are exact decimal divisions in TypeScript (DuckDB would answer a DECIMAL division in DOUBLE).
  const models = perModel
    .map((r) => {
      const cost = new Decimal(r.cost);
      const requests = BigInt(r.requests);
      const tokens = BigInt(r.tokens);
      return {
        rank: 0,
        model: r.model as string,
        requests,
        tokens,
        total_cost: cost,
        cost_per_1k_tokens: tokens > 0n ? cost.times(1000).div(tokens.toString()).toDecimalPlaces(10) : null,
        cost_per_request: requests > 0n ? cost.div(requests.toString()).toDecimalPlaces(10) : null,
        tokens_per_request: requests > 0n ? Math.round((Number(tokens) / Number(requests)) * 10) / 10 : null,
      };
    })
    .sort(
      (a, b) =>
        (b.cost_per_1k_tokens ?? new Decimal(-1)).comparedTo(a.cost_per_1k_tokens ?? new Decimal(-1)) ||
        a.model.localeCompare(b.model),
    );
  models.forEach((m, i) => {
    m.rank = i + 1;
  });
  const top = await db.all(
    `SELECT ${REQUEST_COLUMNS} FROM usage WHERE ${where.sql} AND NOT unpriced ORDER BY total_cost DESC, ts, request_id LIMIT ${limit}`,
    where.params,
  );
  // The typical cost per model is a float estimate (it only decides which rows to show; amounts stay exact):
  // approximate quartiles in one pass, robust σ ≈ IQR / 1.349 — an exact median/MAD took seconds on 10M rows.
  const outliers = await db.all(
    `WITH q AS (
       SELECT model AS m, approx_quantile(total_cost::DOUBLE, [0.25, 0.5, 0.75]) AS qs
       FROM usage WHERE ${where.sql} AND NOT unpriced GROUP BY model HAVING count(*) >= 5
     ), stats AS (SELECT m, qs[2] AS med, (qs[3] - qs[1]) / 1.349 AS sigma FROM q)
     SELECT ${REQUEST_COLUMNS}, stats.med::VARCHAR AS med, (total_cost::DOUBLE / nullif(stats.med, 0)) AS times
     FROM usage JOIN stats ON usage.model = stats.m
     WHERE ${where.sql} AND NOT unpriced
       AND total_cost::DOUBLE > stats.med + 5 * stats.sigma AND total_cost::DOUBLE > 3 * stats.med
     ORDER BY times DESC, ts, request_id LIMIT ${limit}`,
    [...where.params, ...where.params],
  );
  return {
    models,
    most_expensive: top.map(costly),
    outliers: outliers.map((r) => ({
      ...costly(r),
      model_median_cost: new Decimal(Number(r.med).toPrecision(6)).toFixed(),
      times_median: r.times === null ? undefined : Math.round(Number(r.times) * 10) / 10,
    })),
  };
}
