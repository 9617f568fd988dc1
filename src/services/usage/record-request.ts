// `record`: one request stored after it happened, priced exactly as ingest prices (the same SQL over a
// one-row temp table, so the two paths cannot drift). A (source, request_id) already stored is left as it
// is: gateways retry, and a retry must not double-count.
import { randomUUID } from 'node:crypto';
import type { Db, SqlParam } from '../../db/database.js';
import { buildModelMap, dropModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
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
  serviceTier?: string;
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
  /** Components without a price (partly unpriced: the total leaves them out); empty when all are priced. */
  unpriced_parts: string[];
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
  ['reasoning_tokens', 'BIGINT', (r) => (r.reasoningTokens ?? 0n).toString()],
  ['audio_input_tokens', 'BIGINT', (r) => (r.audioInputTokens ?? 0n).toString()],
  ['image_input_tokens', 'BIGINT', (r) => (r.imageInputTokens ?? 0n).toString()],
  ['audio_output_tokens', 'BIGINT', (r) => (r.audioOutputTokens ?? 0n).toString()],
  ['image_output_tokens', 'BIGINT', (r) => (r.imageOutputTokens ?? 0n).toString()],
  ['images', 'BIGINT', (r) => (r.images ?? 0n).toString()],
  ['web_search_calls', 'BIGINT', (r) => (r.webSearchCalls ?? 0n).toString()],
  // The served tier and variant decide which rates and which catalog entry price the row.
  ['service_tier', 'VARCHAR', (r) => r.serviceTier ?? null],
  ['speed', 'VARCHAR', (r) => r.speed ?? null],
  ['region', 'VARCHAR', (r) => r.region ?? null],
];

// The provider, when the caller does not say, is the catalog's for the model the row was priced as.
const PROVIDER_SQL = 'coalesce(p.provider, (SELECT m.provider FROM models m WHERE m.name = p.priced_model))';

/** Stores the request (unless its id is already recorded) and returns how it was priced. */
export async function recordUsage(db: Db, input: RecordInput, now: Date): Promise<RecordResult> {
  return (await recordUsageBatch(db, [input], now))[0]!;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Stores many requests in one transaction (a server groups concurrent records this way), each unless its
 * id is already recorded or came earlier in the same batch, and returns how each was priced, in order.
 */
export async function recordUsageBatch(db: Db, inputs: RecordInput[], now: Date): Promise<RecordResult[]> {
  const rows = inputs.map((r) => ({ ...r, requestId: r.requestId ?? randomUUID() }));
  const ids = [...new Set(rows.map((r) => r.requestId))];
  if (ids.length === 0) return [];
  return db.transaction(async () => {
    // The ids as constants, not a join: DuckDB skips row groups by their min/max source and request id
    // instead of hash-joining all of usage (~100 ms at 10M rows).
    const idList = placeholders(ids.length);
    const already = await db.all(`SELECT request_id FROM usage WHERE source = ? AND request_id IN (${idList})`, [
      RECORD_SOURCE,
      ...ids,
    ]);
    const seen = new Set<string>(already.map((r) => r.request_id));
    const fresh: typeof rows = [];
    for (const r of rows) {
      if (seen.has(r.requestId)) continue;
      seen.add(r.requestId);
      fresh.push(r);
    }
    if (fresh.length > 0) await insertPriced(db, fresh, now);
    const stored = new Map(
      (
        await db.all(
          `SELECT request_id, epoch_ms(ts)::VARCHAR AS ts_ms, priced_model, price_version::VARCHAR AS price_version, unpriced, total_cost::VARCHAR AS total_cost, unpriced_parts
           FROM usage WHERE source = ? AND request_id IN (${idList})`,
          [RECORD_SOURCE, ...ids],
        )
      ).map((r) => [r.request_id as string, r]),
    );
    const first = new Set(fresh);
    return rows.map((r) => {
      const s = stored.get(r.requestId);
      return {
        stored: first.has(r),
        request_id: r.requestId,
        // What is stored (a repeat's own timestamp is not).
        ts: s ? new Date(Number(s.ts_ms)) : r.timestamp,
        model: r.model,
        priced_model: s?.priced_model ?? null,
        price_version: s?.price_version ? Number(s.price_version) : null,
        unpriced: Boolean(s?.unpriced),
        total_cost: s?.total_cost ?? null,
        unpriced_parts: s?.unpriced_parts ? String(s.unpriced_parts).split(', ') : [],
      };
    });
  });
}

/** Prices and inserts rows whose ids are not stored yet, and adds them to the quota rollup. */
async function insertPriced(db: Db, rows: Array<RecordInput & { requestId: string }>, now: Date): Promise<void> {
  const names = COLUMNS.map(([name]) => name);
  const tuple = `(${COLUMNS.map(([, type]) => `?::${type}`).join(', ')})`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE record_staged AS SELECT * FROM (VALUES ${rows.map(() => tuple).join(', ')}) t(${names.join(', ')})`,
    rows.flatMap((row) => COLUMNS.map(([, , get]) => get(row))),
  );
  try {
    await buildModelMap(db, 'record_staged', 'record_model_map');
    await db.run(
      `INSERT INTO usage (${[...names, ...PRICED_COLUMNS, 'ingested_at'].join(', ')})
       SELECT ${names.map((n) => (n === 'provider' ? PROVIDER_SQL : `p.${n}`)).join(', ')},
         ${PRICED_COLUMNS.map((n) => `p.${n}`).join(', ')}, ?::TIMESTAMP
       FROM (${pricedSelectSql('record_staged', 'record_model_map')}) p`,
      [sqlTimestamp(now)],
    );
    // The time range lets DuckDB skip row groups by their min/max ts instead of scanning every request id.
    const times = rows.map((r) => r.timestamp.getTime());
    await applyRollup(
      db,
      `u.ts BETWEEN ?::TIMESTAMP AND ?::TIMESTAMP AND u.source = ? AND u.request_id IN (${placeholders(rows.length)})`,
      [
        sqlTimestamp(new Date(Math.min(...times))),
        sqlTimestamp(new Date(Math.max(...times))),
        RECORD_SOURCE,
        ...rows.map((r) => r.requestId),
      ],
    );
  } finally {
    await db.run('DROP TABLE IF EXISTS record_staged');
    await dropModelMap(db, 'record_model_map');
  }
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
