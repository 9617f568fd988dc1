// `record`: one request stored after it happened, priced exactly as ingest prices (the same SQL over a
// one-row temp table, so the two paths cannot drift). A (source, request_id) already stored is left as it
// is: gateways retry, and a retry must not double-count.
import { randomUUID } from 'node:crypto';
import type { Db, SqlParam } from '../../db/database.js';
import { buildModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
import type { Decimal } from '../../domain/money.js';
import type { RequestUnitCounts } from '../../domain/pricing.js';
import { sqlTimestamp } from '../../domain/time.js';
import { evaluateAlerts } from '../alerts/evaluate.js';
import { applyRollup } from '../limits/rollup.js';
import { PRICED_COLUMNS } from '../../db/usage-columns.js';

export const RECORD_SOURCE = 'record';

export interface RecordInput extends RequestUnitCounts {
  requestId?: string;
  timestamp: Date;
  model: string;
  provider?: string;
  costType?: string;
  userId?: string;
  department?: string;
  organization?: string;
  project?: string;
  accountId?: string;
  sessionId?: string;
  sopInstanceId?: string;
  requestType?: string;
  reportedCost?: Decimal;
  currency?: string;
  tags?: Record<string, unknown>;
  speed?: string;
  region?: string;
}

export interface RecordResult {
  stored: boolean;
  request_id: string;
  ts: Date;
  model: string;
  priced_model: string | null;
  price_version: number | null;
  unpriced: boolean;
  total_cost: string | null;
}

const COLUMNS: Array<[string, string, (r: RecordInput) => SqlParam]> = [
  ['source', 'VARCHAR', () => RECORD_SOURCE],
  ['request_id', 'VARCHAR', (r) => r.requestId ?? null],
  ['ts', 'TIMESTAMP', (r) => sqlTimestamp(r.timestamp)],
  ['model', 'VARCHAR', (r) => r.model],
  ['provider', 'VARCHAR', (r) => r.provider ?? null],
  ['input_tokens', 'BIGINT', (r) => (r.inputTokens ?? 0n).toString()],
  ['output_tokens', 'BIGINT', (r) => (r.outputTokens ?? 0n).toString()],
  ['cache_read_tokens', 'BIGINT', (r) => (r.cacheReadTokens ?? 0n).toString()],
  ['cache_write_tokens', 'BIGINT', (r) => (r.cacheWriteTokens ?? 0n).toString()],
  ['cache_write_1h_tokens', 'BIGINT', (r) => (r.cacheWrite1hTokens ?? 0n).toString()],
  ['requests', 'BIGINT', (r) => (r.requests ?? 1n).toString()],
  ['duration_seconds', 'DECIMAL(18,6)', (r) => r.durationSeconds?.toFixed() ?? null],
  ['bytes', 'BIGINT', (r) => r.bytes?.toString() ?? null],
  ['cost_type', 'VARCHAR', (r) => r.costType ?? 'ai_api'],
  ['user_id', 'VARCHAR', (r) => r.userId ?? null],
  ['department', 'VARCHAR', (r) => r.department ?? null],
  ['organization', 'VARCHAR', (r) => r.organization ?? null],
  ['project', 'VARCHAR', (r) => r.project ?? null],
  ['account_id', 'VARCHAR', (r) => r.accountId ?? null],
  ['session_id', 'VARCHAR', (r) => r.sessionId ?? null],
  ['sop_instance_id', 'VARCHAR', (r) => r.sopInstanceId ?? null],
  ['request_type', 'VARCHAR', (r) => r.requestType ?? null],
  ['reported_cost', 'DECIMAL(38,18)', (r) => r.reportedCost?.toFixed() ?? null],
  ['currency', 'VARCHAR', (r) => r.currency ?? 'USD'],
  ['tags', 'JSON', (r) => (r.tags ? JSON.stringify(r.tags) : null)],
  // The served variant decides which catalog entry prices the row (`record` takes no flag for it yet).
  ['speed', 'VARCHAR', (r) => r.speed ?? null],
  ['region', 'VARCHAR', (r) => r.region ?? null],
];

// The provider, when the caller does not say, is the catalog's for the model the row was priced as.
const PROVIDER_SQL = 'coalesce(p.provider, (SELECT m.provider FROM models m WHERE m.name = p.priced_model))';

/** Stores the request (unless its id is already recorded) and returns how it was priced. */
export async function recordUsage(db: Db, input: RecordInput, now: Date): Promise<RecordResult> {
  const requestId = input.requestId ?? randomUUID();
  const row = { ...input, requestId };
  return db.transaction(async () => {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE record_staged AS SELECT ${COLUMNS.map(([name, type]) => `?::${type} AS ${name}`).join(', ')}`,
      COLUMNS.map(([, , get]) => get(row)),
    );
    await buildModelMap(db, 'record_staged', 'record_model_map');
    const names = COLUMNS.map(([name]) => name);
    const inserted = await db.all(
      `INSERT INTO usage (${[...names, ...PRICED_COLUMNS, 'ingested_at'].join(', ')})
       SELECT ${names.map((n) => (n === 'provider' ? PROVIDER_SQL : `p.${n}`)).join(', ')},
         ${PRICED_COLUMNS.map((n) => `p.${n}`).join(', ')}, ?::TIMESTAMP
       FROM (${pricedSelectSql('record_staged', 'record_model_map')}) p
       -- Not correlated with p: DuckDB then filters one scan of usage by these constants, and skips row
       -- groups by their min/max source and request id. Correlated, it hash-joins all of usage (~100 ms at
       -- 10M rows).
       WHERE NOT EXISTS (SELECT 1 FROM usage x WHERE x.source = ? AND x.request_id = ?)
       RETURNING request_id`,
      [sqlTimestamp(now), RECORD_SOURCE, requestId],
    );
    // The timestamp lets DuckDB skip row groups by their min/max ts instead of scanning every request id.
    if (inserted.length > 0) {
      await applyRollup(db, 'u.ts = ?::TIMESTAMP AND u.source = ? AND u.request_id = ?', [
        sqlTimestamp(input.timestamp),
        RECORD_SOURCE,
        requestId,
      ]);
    }
    const stored = await db.one(
      `SELECT priced_model, price_version::VARCHAR AS price_version, unpriced, total_cost::VARCHAR AS total_cost
       FROM usage WHERE source = ? AND request_id = ?`,
      [RECORD_SOURCE, requestId],
    );
    await db.run('DROP TABLE IF EXISTS record_staged');
    await db.run('DROP TABLE IF EXISTS record_model_map');
    return {
      stored: inserted.length > 0,
      request_id: requestId,
      ts: input.timestamp,
      model: input.model,
      priced_model: stored?.priced_model ?? null,
      price_version: stored?.price_version ? Number(stored.price_version) : null,
      unpriced: Boolean(stored?.unpriced),
      total_cost: stored?.total_cost ?? null,
    };
  });
}

/**
 * `costctl record`: store the request, then evaluate alerts as of the later of now and the request (a
 * request stamped slightly ahead of the clock still counts), in the same session.
 */
export async function recordAndEvaluate(
  db: Db,
  input: RecordInput,
  context: { now: Date; tz: string; actor: string },
): Promise<{ result: RecordResult; alerts: Awaited<ReturnType<typeof evaluateAlerts>> }> {
  const result = await recordUsage(db, input, context.now);
  const at = input.timestamp > context.now ? input.timestamp : context.now;
  const alerts = await evaluateAlerts(db, { at, tz: context.tz, now: context.now, actor: context.actor });
  return { result, alerts };
}
