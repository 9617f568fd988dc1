// Moving one file's staged rows into the store: de-duplicate (within the file and against what is
// already stored, by anti-join: usage has no index), price usage rows with the version in force at each
// row's timestamp, insert, and keep rejects. Runs inside the caller's per-file transaction.
import { buildModelMap, pricedSelectSql } from '../db/pricing-sql.js';
import type { Db } from '../db/database.js';
import { sqlTimestamp } from '../domain/time.js';
import { USAGE_VALUE_COLUMNS } from '../ingest/native-fields.js';

export interface LoadCounts {
  loaded: number;
  duplicate: number;
  unpriced: number;
  /** Sum of computed cost (usage) or billed cost (billing) of the rows loaded; null when none priced. */
  totalCost: string | null;
  unpricedModels: { model: string; rows: number }[];
}

const COST_COLUMNS = ['priced_model', 'price_version', 'unpriced', 'input_cost', 'output_cost', 'cache_read_cost', 'cache_write_cost', 'base_cost', 'total_cost'];

async function count(db: Db, sql: string, params: (string | number)[] = []): Promise<number> {
  const row = await db.one<{ n: string | null }>(sql, params);
  return Number(row?.n ?? 0);
}

/**
 * A relation of staged rows without repeats of a key: the first row (lowest line) of each key wins.
 * Skips the window when the file has no repeats, which is the common, large case.
 */
async function uniqueStaged(db: Db, key: string): Promise<string> {
  const repeats = await count(db, `SELECT (count(*) - count(DISTINCT ${key}))::VARCHAR AS n FROM staged`);
  return repeats === 0 ? 'staged' : `(SELECT * FROM staged QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY line) = 1)`;
}

/** The anti-join against stored rows, skipped when nothing of this source is stored yet. */
async function notStored(db: Db, table: string, key: string, relation: string): Promise<string> {
  const any = await db.one(`SELECT 1 AS x FROM ${table} WHERE source IN (SELECT DISTINCT source FROM staged) LIMIT 1`);
  if (!any) return relation;
  return `(SELECT s.* FROM ${relation} s WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.source = s.source AND t.${key} = s.${key}))`;
}

export async function loadUsage(db: Db, fileId: number, stagedRows: number, now: Date): Promise<LoadCounts> {
  const fresh = await notStored(db, 'usage', 'request_id', await uniqueStaged(db, 'request_id'));
  await buildModelMap(db, 'staged');
  const cols = [...USAGE_VALUE_COLUMNS, ...COST_COLUMNS];
  // Every row carries its own line, so the physical order of the rows in `usage` means nothing; letting
  // DuckDB write them in any order lets both threads compress and write row groups (about 2x faster).
  // Only for this statement: staging relies on rowids following the file's order.
  await db.run('SET preserve_insertion_order = false');
  const inserted = await db.all<{ Count: string }>(
    // provider, when the log leaves it out, comes from the catalog model the row was matched to.
    `INSERT INTO usage (${cols.join(', ')}, file_id, line, ingested_at)
     SELECT ${cols.map((c) => `p.${c}`).join(', ')}, ?::BIGINT, p.line, ?::TIMESTAMP
     FROM (${pricedSelectSql(fresh, 'model_map', { catalogProvider: true })}) p`,
    [fileId, sqlTimestamp(now)],
  ).finally(() => db.run('RESET preserve_insertion_order'));
  const loaded = Number(inserted[0]?.Count ?? 0);
  const stats = await db.one<{ unpriced: string; total: string | null }>(
    `SELECT count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced, coalesce(sum(total_cost), 0)::VARCHAR AS total FROM usage WHERE file_id = ?`,
    [fileId],
  );
  const unpricedModels = (
    await db.all<{ model: string; n: string }>(
      `SELECT model, count(*)::VARCHAR AS n FROM usage WHERE file_id = ? AND unpriced GROUP BY model ORDER BY count(*) DESC, model`,
      [fileId],
    )
  ).map((r) => ({ model: r.model, rows: Number(r.n) }));
  return {
    loaded,
    duplicate: stagedRows - loaded,
    unpriced: Number(stats?.unpriced ?? 0),
    totalCost: stats?.total ?? '0',
    unpricedModels,
  };
}

const BILLING_COLUMNS = [
  'source', 'line_key', 'charge_period_start', 'charge_period_end', 'provider', 'service', 'model', 'sku', 'charge_category',
  'quantity', 'unit', 'billed_cost', 'list_cost', 'currency', 'invoice_id', 'billing_account', 'tags',
];

export async function loadBilling(db: Db, fileId: number, stagedRows: number, now: Date): Promise<LoadCounts> {
  const fresh = await notStored(db, 'billing_lines', 'line_key', await uniqueStaged(db, 'line_key'));
  const inserted = await db.all<{ Count: string }>(
    `INSERT INTO billing_lines (${BILLING_COLUMNS.join(', ')}, file_id, line, ingested_at)
     SELECT ${BILLING_COLUMNS.join(', ')}, ?::BIGINT, line, ?::TIMESTAMP FROM ${fresh}`,
    [fileId, sqlTimestamp(now)],
  );
  const loaded = Number(inserted[0]?.Count ?? 0);
  const total = await db.one<{ total: string | null }>(
    'SELECT coalesce(sum(billed_cost), 0)::VARCHAR AS total FROM billing_lines WHERE file_id = ?',
    [fileId],
  );
  return { loaded, duplicate: stagedRows - loaded, unpriced: 0, totalCost: total?.total ?? '0', unpricedModels: [] };
}
