// Moving one file's staged rows into the store: de-duplicate (within the file and against what is
// already stored, by anti-join: usage has no index), price usage rows with the version in force at each
// row's timestamp, insert, and keep rejects. Runs inside the caller's per-file transaction.
import { buildModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { USAGE_VALUE_COLUMNS } from '../../db/usage-columns.js';
import { BILLING_RESTATE, moveRestated, USAGE_RESTATE, type RestateSpec, type Restated } from './restate.js';
import { applyRollup, applyRollupForFile, refreshRollup } from '../limits/rollup.js';
import { PRICED_COLUMNS } from '../../db/usage-columns.js';
import { BILLING_CHARGE_COLUMNS } from '../../db/billing-columns.js';
import { unknownServedSql } from '../../db/pricing-sql-components.js';
import { SERVED_FIELDS, type ServedField } from '../../domain/served-values.js';

/** Loaded rows of one file whose served tier, speed or region costctl does not know (priced at standard). */
export interface UnknownServed {
  field: ServedField;
  /** The value as the file wrote it. */
  value: string;
  rows: number;
  /** The first such row's line. */
  line: number | null;
}

export interface LoadCounts {
  loaded: number;
  duplicate: number;
  unpriced: number;
  /** Sum of computed cost (usage) or billed cost (billing) of the rows loaded; null when none priced. */
  totalCost: string | null;
  unpricedModels: { model: string; rows: number }[];
  /** Stored rows this file restated (loaded, replacing stored figures): billing per currency, usage in tokens. */
  restated: Restated[];
  /** Per ingest file id (a batch loads several): rows loaded, unpriced rows, cost, unknown served values. */
  perFile: Map<number, FileCounts>;
}

export interface FileCounts {
  loaded: number;
  unpriced: number;
  totalCost: Decimal;
  unknownServed: UnknownServed[];
}

const ANY_UNKNOWN_SERVED = SERVED_FIELDS.map((field) => unknownServedSql(field)).join(' OR ');

/**
 * The loaded rows of files with an unknown served value, per file, field and value as written, with the
 * first line: read only when the pass over the files' rows counted any (most files have none).
 */
async function unknownServedOf(db: Db, fileIds: number[]): Promise<Map<number, UnknownServed[]>> {
  const rows = await db.all<{ f: string; field: ServedField; value: string; n: string; first: string | null }>(
    `SELECT file_id::VARCHAR AS f, field, value, count(*)::VARCHAR AS n, min(line)::VARCHAR AS first
     FROM (${SERVED_FIELDS.map(
       (field) =>
         `SELECT file_id, line, '${field}' AS field, ${field} AS value FROM usage WHERE file_id IN (${fileIds.join(', ')}) AND ${unknownServedSql(field)}`,
     ).join(' UNION ALL ')})
     GROUP BY ALL ORDER BY f, min(line), field, value`,
  );
  const out = new Map<number, UnknownServed[]>();
  for (const r of rows) {
    const list = out.get(Number(r.f)) ?? [];
    list.push({ field: r.field, value: r.value, rows: Number(r.n), line: r.first === null ? null : Number(r.first) });
    out.set(Number(r.f), list);
  }
  return out;
}

/**
 * The ingest file of the rows: one id, or a batch of files staged together, whose staged rows carry
 * `_file`, an index into `byInput` (src/ingest/claude-code-batch.ts).
 */
export type LoadTarget = number | { byInput: number[] };

/** DuckDB's row group size: an insert of fewer rows writes at most two groups. */
const ROW_GROUP_ROWS = 122_880;

/** The first row (lowest line) of each key of `relation`. */
const firstOfEachKey = (relation: string, key: string) =>
  `(SELECT * FROM ${relation} QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY line) = 1)`;

/**
 * Whether the staged rows may repeat a key. Counting distinct 64-bit hashes of the key is exact when it
 * says "no repeats" (distinct hashes mean distinct keys) and ~30% cheaper than counting distinct strings;
 * a hash collision only sends the file down the slower, exact de-duplication.
 */
const REPEATS = (key: string) => `(count(*) - count(DISTINCT hash(${key})))::VARCHAR AS repeats`;

/** A relation of staged rows without repeats of a key; skips the window in the common case of none. */
async function uniqueStaged(db: Db, key: string): Promise<string> {
  const row = await db.one<{ repeats: string }>(`SELECT ${REPEATS(key)} FROM staged`);
  return Number(row?.repeats ?? 0) === 0 ? 'staged' : firstOfEachKey('staged', key);
}

/** Whether `table` holds any row of the staged rows' source. */
async function anyStored(db: Db, table: string): Promise<boolean> {
  return Boolean(
    await db.one(`SELECT 1 AS x FROM ${table} WHERE source IN (SELECT DISTINCT source FROM staged) LIMIT 1`),
  );
}

/** The anti-join against stored rows; `stored` false (nothing of this source stored yet) skips it. */
function notStored(stored: boolean, table: string, key: string, relation: string): string {
  if (!stored) return relation;
  return `(SELECT s.* FROM ${relation} s WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.source = s.source AND t.${key} = s.${key}))`;
}

/**
 * Loads a file's staged usage rows. `restates`: the rows are report aggregates (one per bucket and group),
 * so a stored row with the same key and other figures is an earlier pull of a bucket and is restated.
 */
export async function loadUsage(
  db: Db,
  target: LoadTarget,
  stagedRows: number,
  now: Date,
  restates: boolean | RestateSpec = false,
): Promise<LoadCounts> {
  const ids = typeof target === 'number' ? [target] : target.byInput;
  // The file id of a staged row `r` (integers from the ledger's sequence, safe to inline).
  const fileOf = (r: string) =>
    typeof target === 'number' ? `${target}::BIGINT` : `[${ids.join(', ')}][${r}._file + 1]::BIGINT`;
  // One pass over the staged rows for both facts the load needs up front.
  const survey = await db.one<{ repeats: string; models: string[] | null }>(
    `SELECT ${REPEATS('request_id')}, list(DISTINCT model) FILTER (WHERE model IS NOT NULL) AS models FROM staged`,
  );
  const unique = Number(survey?.repeats ?? 0) === 0 ? 'staged' : firstOfEachKey('staged', 'request_id');
  const stored = await anyStored(db, 'usage');
  // Restated rows leave `usage` first; the insert below then adds them back with this file's figures.
  const spec = restates === true ? USAGE_RESTATE : restates;
  const restated =
    spec && stored
      ? await moveRestated(db, spec, unique, typeof target === 'number' ? target : { sql: fileOf }, now)
      : [];
  const fresh = notStored(stored, 'usage', 'request_id', unique);
  await buildModelMap(db, 'staged', 'model_map', survey?.models ?? []);
  const cols = [...USAGE_VALUE_COLUMNS, ...PRICED_COLUMNS];
  // Every row carries its own line, so the physical order of the rows in `usage` means nothing; letting
  // DuckDB write them in any order lets both threads compress and write row groups (about 2x faster).
  // Each thread writes a row group as soon as it is full rather than buffering five (less memory).
  // Only for this statement: staging relies on rowids following the file's order. Below a row group's
  // worth of rows there is nothing to share out: the four SET/RESET statements would only cost time.
  const manyRows = stagedRows >= ROW_GROUP_ROWS;
  if (manyRows) {
    await db.run('SET preserve_insertion_order = false');
    await db.run('SET write_buffer_row_group_count = 1');
  }
  const inserted = await db
    .all<{ Count: string }>(
      // provider, when the log leaves it out, comes from the catalog model the row was matched to.
      `INSERT INTO usage (${cols.join(', ')}, file_id, line, ingested_at)
       SELECT ${cols.map((c) => `p.${c}`).join(', ')}, ${fileOf('p')}, p.line, ?::TIMESTAMP
       FROM (${pricedSelectSql(fresh, 'model_map', { catalogProvider: true })}) p`,
      [sqlTimestamp(now)],
    )
    .finally(async () => {
      if (!manyRows) return;
      await db.run('RESET preserve_insertion_order');
      await db.run('RESET write_buffer_row_group_count');
    });
  const loaded = Number(inserted[0]?.Count ?? 0);
  // The file's usage rows are in place (usage WHERE file_id = fileId): anything derived from them goes here.
  // The rollup only adds, so rows taken out by a restatement mean building it again.
  if (restated.length) await refreshRollup(db, now);
  else if (typeof target === 'number') await applyRollupForFile(db, target);
  else await applyRollup(db, `u.file_id IN (${ids.join(', ')})`, []);

  // One pass over the files' new rows: per file, model and priced/unpriced, the count and the cost.
  // Rows served on a tier, speed or region costctl does not know are counted in the same pass.
  const groups = await db.all<{
    f: string;
    model: string;
    unpriced: boolean;
    n: string;
    total: string | null;
    odd: string;
  }>(
    `SELECT file_id::VARCHAR AS f, model, unpriced, count(*)::VARCHAR AS n, sum(total_cost)::VARCHAR AS total,
       count(*) FILTER (WHERE ${ANY_UNKNOWN_SERVED})::VARCHAR AS odd
     FROM usage WHERE file_id IN (${ids.join(', ')})
     GROUP BY file_id, model, unpriced ORDER BY count(*) DESC, model`,
  );
  const oddFiles = [...new Set(groups.filter((g) => g.odd !== '0').map((g) => Number(g.f)))];
  const unknown = oddFiles.length ? await unknownServedOf(db, oddFiles) : new Map<number, UnknownServed[]>();
  const perFile: LoadCounts['perFile'] = new Map();
  const byModel = new Map<string, number>();
  let totalCost = new Decimal(0);
  for (const g of groups) {
    const f = perFile.get(Number(g.f)) ?? {
      loaded: 0,
      unpriced: 0,
      totalCost: new Decimal(0),
      unknownServed: unknown.get(Number(g.f)) ?? [],
    };
    f.loaded += Number(g.n);
    if (g.unpriced) {
      f.unpriced += Number(g.n);
      byModel.set(g.model, (byModel.get(g.model) ?? 0) + Number(g.n));
    }
    if (g.total !== null) {
      f.totalCost = f.totalCost.plus(g.total);
      totalCost = totalCost.plus(g.total);
    }
    perFile.set(Number(g.f), f);
  }
  const unpricedModels = [...byModel].map(([model, rows]) => ({ model, rows }));
  return {
    loaded,
    duplicate: stagedRows - loaded,
    unpriced: unpricedModels.reduce((n, m) => n + m.rows, 0),
    totalCost: totalCost.toFixed(),
    unpricedModels,
    restated,
    perFile,
  };
}

const BILLING_COLUMNS = ['source', 'line_key', ...BILLING_CHARGE_COLUMNS];

export async function loadBilling(db: Db, fileId: number, stagedRows: number, now: Date): Promise<LoadCounts> {
  const unique = await uniqueStaged(db, 'line_key');
  const stored = await anyStored(db, 'billing_lines');
  // Restated lines leave billing_lines first; the insert below then adds them back with this file's amounts.
  const restated = stored ? await moveRestated(db, BILLING_RESTATE, unique, fileId, now) : [];
  const fresh = notStored(stored, 'billing_lines', 'line_key', unique);
  const inserted = await db.all<{ Count: string }>(
    `INSERT INTO billing_lines (${BILLING_COLUMNS.join(', ')}, file_id, line, ingested_at)
     SELECT ${BILLING_COLUMNS.join(', ')}, ?::BIGINT, line, ?::TIMESTAMP FROM ${fresh}`,
    [fileId, sqlTimestamp(now)],
  );
  // A restated line is loaded: the file's values for it are the ones stored now.
  const loaded = Number(inserted[0]?.Count ?? 0);
  const total = await db.one<{ total: string | null }>(
    'SELECT coalesce(sum(billed_cost), 0)::VARCHAR AS total FROM billing_lines WHERE file_id = ?',
    [fileId],
  );
  return {
    loaded,
    duplicate: stagedRows - loaded,
    unpriced: 0,
    totalCost: total?.total ?? '0',
    unpricedModels: [],
    restated,
    perFile: new Map(),
  };
}
