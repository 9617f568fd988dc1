// `record`: one request (or a server's batch) stored after it happened, priced exactly as ingest prices
// (row-pricer.ts, held equal to the bulk SQL by a test). A (source, request_id) already stored is left as
// it is: gateways retry, and a retry must not double-count.
import { randomUUID } from 'node:crypto';
import { appendRows, type AppendValue } from '../../db/append.js';
import type { Db } from '../../db/database.js';
import { Decimal, MONEY_SCALE } from '../../domain/money.js';
import { requestUnits, type RequestUnitCounts } from '../../domain/pricing.js';
import { evaluateAlerts } from '../alerts/evaluate.js';
import { addRowsToRollup, type RollupRow } from '../limits/rollup-add.js';
import { priceRow, type PricedColumns } from '../prices/row-pricer.js';

export const RECORD_SOURCE = 'record';

/** The stored `unpriced_parts` text as a list (empty when every component is priced). */
const partsOf = (text: string | null | undefined): string[] => (text ? String(text).split(', ') : []);

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

// The columns a record sets (every other column of usage gets its default), from the input.
const COLUMNS: Array<[string, (r: RecordInput) => AppendValue]> = [
  ['source', () => RECORD_SOURCE],
  ['ts', (r) => r.timestamp],
  ['model', (r) => r.model],
  ['input_tokens', (r) => r.inputTokens ?? 0n],
  ['output_tokens', (r) => r.outputTokens ?? 0n],
  ['cache_read_tokens', (r) => r.cacheReadTokens ?? 0n],
  ['cache_write_tokens', (r) => r.cacheWriteTokens ?? 0n],
  ['cache_write_1h_tokens', (r) => r.cacheWrite1hTokens ?? 0n],
  ['requests', (r) => r.requests ?? 1n],
  ['duration_seconds', (r) => r.durationSeconds?.toFixed() ?? null],
  ['bytes', (r) => r.bytes ?? null],
  ['cost_type', (r) => r.costType ?? 'ai_api'],
  ['user_id', (r) => r.userId ?? null],
  ['department', (r) => r.department ?? null],
  ['organization', (r) => r.organization ?? null],
  ['project', (r) => r.project ?? null],
  ['account_id', (r) => r.accountId ?? null],
  ['session_id', (r) => r.sessionId ?? null],
  ['sop_instance_id', (r) => r.sopInstanceId ?? null],
  ['request_type', (r) => r.requestType ?? null],
  ['reported_cost', (r) => r.reportedCost?.toFixed() ?? null],
  ['currency', (r) => r.currency ?? 'USD'],
  ['tags', (r) => (r.tags ? JSON.stringify(r.tags) : null)],
  ['reasoning_tokens', (r) => r.reasoningTokens ?? 0n],
  ['audio_input_tokens', (r) => r.audioInputTokens ?? 0n],
  ['image_input_tokens', (r) => r.imageInputTokens ?? 0n],
  ['audio_output_tokens', (r) => r.audioOutputTokens ?? 0n],
  ['image_output_tokens', (r) => r.imageOutputTokens ?? 0n],
  ['images', (r) => r.images ?? 0n],
  ['web_search_calls', (r) => r.webSearchCalls ?? 0n],
  // The served tier and variant decide which rates and which catalog entry price the row.
  ['service_tier', (r) => r.serviceTier ?? null],
  ['speed', (r) => r.speed ?? null],
  ['region', (r) => r.region ?? null],
];

/** Stores the request (unless its id is already recorded) and returns how it was priced. */
export async function recordUsage(db: Db, input: RecordInput, now: Date): Promise<RecordResult> {
  return (await recordUsageBatch(db, [input], now))[0]!;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Stored as DECIMAL(18,6) and DECIMAL(38,18): rounded as DuckDB's cast from text rounds (half away from zero). */
function atStoredScale(r: RecordInput): RecordInput {
  return {
    ...r,
    durationSeconds: r.durationSeconds?.toDecimalPlaces(6, Decimal.ROUND_HALF_UP),
    reportedCost: r.reportedCost?.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP),
  };
}

/**
 * Stores many requests in one transaction (a server groups concurrent records this way), each unless its
 * id is already recorded or came earlier in the same batch, and returns how each was priced, in order.
 * Priced here (row-pricer.ts, the TypeScript twin of the bulk SQL), appended, and added to the rollup
 * from the rows in hand: three statements whatever the batch's size.
 */
export async function recordUsageBatch(db: Db, inputs: RecordInput[], now: Date): Promise<RecordResult[]> {
  const rows = inputs.map((r) => ({ ...atStoredScale(r), requestId: r.requestId ?? randomUUID() }));
  const ids = [...new Set(rows.map((r) => r.requestId))];
  if (ids.length === 0) return [];
  return db.transaction(async () => {
    // The ids as an IN-list, not a join: DuckDB skips row groups by their min/max source and request id
    // instead of hash-joining all of usage (~100 ms at 10M rows). The list is padded to a power of two
    // (repeating the last id changes nothing) so a server plans a handful of statements once each.
    const width = 2 ** Math.ceil(Math.log2(ids.length));
    const padded = [...ids, ...Array<string>(width - ids.length).fill(ids.at(-1)!)];
    const already = await db.allPrepared(
      `SELECT request_id, epoch_ms(ts)::VARCHAR AS ts_ms, priced_model, price_version::VARCHAR AS price_version, unpriced, total_cost::VARCHAR AS total_cost, unpriced_parts
       FROM usage WHERE source = ? AND request_id IN (${placeholders(width)})`,
      [RECORD_SOURCE, ...padded],
    );
    const stored = new Map<string, RecordResult>(
      already.map((s) => [
        s.request_id,
        {
          stored: false,
          request_id: s.request_id,
          ts: new Date(Number(s.ts_ms)),
          model: '',
          priced_model: s.priced_model ?? null,
          price_version: s.price_version ? Number(s.price_version) : null,
          unpriced: Boolean(s.unpriced),
          total_cost: s.total_cost ?? null,
          unpriced_parts: partsOf(s.unpriced_parts),
        },
      ]),
    );
    const fresh: Array<{ row: (typeof rows)[number]; priced: PricedColumns }> = [];
    for (const row of rows) {
      if (stored.has(row.requestId)) continue;
      const priced = await priceRow(db, {
        model: row.model,
        ts: row.timestamp,
        speed: row.speed,
        region: row.region,
        units: requestUnits({ ...row, durationSeconds: row.durationSeconds ?? new Decimal(0) }),
      });
      fresh.push({ row, priced });
      stored.set(row.requestId, {
        stored: false,
        request_id: row.requestId,
        ts: row.timestamp,
        model: row.model,
        priced_model: priced.priced_model,
        price_version: priced.price_version,
        unpriced: priced.unpriced,
        total_cost: priced.total_cost,
        unpriced_parts: partsOf(priced.unpriced_parts),
      });
    }
    if (fresh.length > 0) await insertPriced(db, fresh, now);
    const first = new Set(fresh.map((f) => f.row));
    // A repeat answers with what is stored (not its own timestamp).
    return rows.map((r) => ({ ...stored.get(r.requestId)!, model: r.model, stored: first.has(r) }));
  });
}

/** Appends priced rows whose ids are not stored yet, and adds them to the quota rollup. */
async function insertPriced(
  db: Db,
  fresh: Array<{ row: RecordInput & { requestId: string }; priced: PricedColumns }>,
  now: Date,
): Promise<void> {
  await appendRows(
    db,
    'usage',
    fresh.map(({ row, priced }) => {
      const { catalog_provider, ...columns } = priced;
      const values: Record<string, AppendValue> = { request_id: row.requestId };
      for (const [name, get] of COLUMNS) values[name] = get(row);
      // The provider, when the caller does not say, is the catalog's for the model the row was priced as.
      values.provider = row.provider ?? catalog_provider;
      values.ingested_at = now;
      return { ...values, ...columns, price_version: columns.price_version?.toString() ?? null };
    }),
  );
  await addRowsToRollup(
    db,
    fresh.map(({ row, priced }) => rollupRowOf(row, priced.priced_model, priced.total_cost)),
  );
}

/** A stored record as the quota rollup (and a server's usage ledger) counts it. */
export function rollupRowOf(row: RecordInput, pricedModel: string | null, totalCost: string | null): RollupRow {
  return {
    ts: row.timestamp,
    userId: row.userId ?? null,
    accountId: row.accountId ?? null,
    department: row.department ?? null,
    organization: row.organization ?? null,
    project: row.project ?? null,
    model: row.model,
    pricedModel,
    totalCost,
    tokens:
      (row.inputTokens ?? 0n) +
      (row.outputTokens ?? 0n) +
      (row.cacheReadTokens ?? 0n) +
      (row.cacheWriteTokens ?? 0n) +
      (row.cacheWrite1hTokens ?? 0n),
    requests: row.requests ?? 1n,
  };
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
