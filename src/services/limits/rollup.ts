// Keeping the usage rollup (see src/db/migrations/007-rollup.ts) equal to the usage rows. Every writer
// of `usage` calls one of these inside its own transaction, so the rollup and the rows land together:
// ingest and record add the rows they just inserted (`applyRollup`); reprice, directory import and a
// consistency repair change rows already counted, so they rebuild it (`refreshRollup`). `ensureRollup`
// builds it the first time, and again when the reporting time zone or the set of quota model filters
// changes. `verifyRollup` recomputes it from the rows and counts the buckets that differ.
//
// One pass per call: rows are summed per quarter hour and scope (GROUPING SETS, one set per scope type),
// TypeScript maps the few distinct quarters to their local hour/day/week/month/year with the same
// calendar code the quota windows use, and SQL sums the quarters into those buckets.
import type { Db, SqlParam } from '../../db/database.js';
import { bucketStartsOfQuarter, GRAIN_ID, QUARTER_MS, ROLLUP_END, rollupKeySql } from '../../domain/rollup-plan.js';
import { sqlTimestamp } from '../../domain/time.js';
import { totalTokensSql } from '../../db/usage-columns.js';

const TOKENS_SQL = totalTokensSql('u');
const SCOPE_TYPES = ['user', 'account', 'department', 'organization', 'project'] as const;
/** Department, organization and project come from the row when it says, else from the directory (as quota status does). */
const SCOPE_SQL: Record<(typeof SCOPE_TYPES)[number], string> = {
  user: 'u.user_id',
  account: 'u.account_id',
  department: 'coalesce(u.department, d.department)',
  organization: 'coalesce(u.organization, d.organization)',
  project: 'coalesce(u.project, d.project)',
};
const TEMP_TABLES = ['rollup_l1', 'rollup_qmap', 'rollup_lg', 'rollup_delta', 'rollup_merged'];
const SUMS = `sum(cost) AS cost, sum(tokens) AS tokens, sum(requests) AS requests, sum(rows_) AS rows_,
  sum(unpriced_rows) AS unpriced_rows, min(min_ts) AS min_ts, max(max_ts) AS max_ts`;

export interface RollupState {
  tz: string;
  models: string[];
}

/** The rollup's time zone and tracked model filters, or undefined when it is not built. */
export async function rollupState(db: Db): Promise<RollupState | undefined> {
  const meta = await db.one<{ tz: string; models: string[] | null }>(
    'SELECT tz, (SELECT list(model ORDER BY model) FROM rollup_models) AS models FROM rollup_meta LIMIT 1',
  );
  return meta ? { tz: meta.tz, models: meta.models ?? [] } : undefined;
}

/** Thrown when a zone puts a calendar boundary off the quarter hour: the rollup is not kept for it. */
class UnsupportedZone extends Error {}

/**
 * Sums the usage rows matching `where` (over alias `u`) into temp table rollup_lg: one row per
 * (scope_type, scope_value, model filter, grain, bucket start quarter).
 */
async function aggregate(db: Db, where: string, params: SqlParam[], tz: string): Promise<void> {
  const scopeType = SCOPE_TYPES.map((t) => `WHEN grouping(${t}) = 0 THEN '${t}'`).join(' ');
  const scopeValue = SCOPE_TYPES.map((t) => `WHEN grouping(${t}) = 0 THEN ${t}`).join(' ');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE rollup_l1 AS
     WITH r AS (
       SELECT epoch_ms(u.ts) // ${QUARTER_MS} AS q, ${SCOPE_TYPES.map((t) => `${SCOPE_SQL[t]} AS ${t}`).join(', ')},
         u.model, u.priced_model, u.total_cost, ${TOKENS_SQL} AS tokens, u.requests, u.unpriced, u.ts
       FROM usage u LEFT JOIN directory d ON d.user_id = u.user_id
       WHERE (${where}) AND u.ts >= TIMESTAMP '1970-01-01' AND u.ts < ?::TIMESTAMP
     ),
     e AS (
       SELECT *, '' AS m FROM r
       UNION ALL
       SELECT r.*, t.model AS m FROM r JOIN rollup_models t ON t.model = r.model OR t.model = r.priced_model
     )
     SELECT * FROM (
       SELECT q, m, CASE ${scopeType} ELSE 'global' END AS scope_type, CASE ${scopeValue} ELSE '' END AS scope_value,
         coalesce(sum(total_cost), 0) AS cost, sum(tokens) AS tokens, sum(requests) AS requests, count(*) AS rows_,
         count(*) FILTER (WHERE unpriced) AS unpriced_rows, min(ts) AS min_ts, max(ts) AS max_ts
       FROM e
       GROUP BY GROUPING SETS (${SCOPE_TYPES.map((t) => `(q, m, ${t})`).join(', ')}, (q, m))
     ) WHERE scope_value IS NOT NULL`,
    [...params, sqlTimestamp(ROLLUP_END)],
  );
  // The local buckets of each distinct quarter, from the calendar code the quota windows use.
  const quarters = await db.all<{ q: string }>('SELECT DISTINCT q::VARCHAR AS q FROM rollup_l1');
  await db.run('CREATE OR REPLACE TEMP TABLE rollup_qmap (q BIGINT, grain TINYINT, sq BIGINT)');
  const values: string[] = [];
  for (const { q } of quarters) {
    const starts = bucketStartsOfQuarter(Number(q), tz);
    if (!starts) throw new UnsupportedZone(tz);
    starts.forEach((sq, grain) => {
      values.push(`(${q}, ${grain}, ${sq})`);
    });
  }
  // Integers only, so inlining them is safe; batches keep each statement small.
  for (let i = 0; i < values.length; i += 5000)
    await db.run(`INSERT INTO rollup_qmap VALUES ${values.slice(i, i + 5000).join(', ')}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE rollup_lg AS
     SELECT l.scope_type, l.scope_value, l.m AS model, x.grain, x.sq, ${SUMS}
     FROM rollup_l1 l JOIN rollup_qmap x ON x.q = l.q GROUP BY ALL
     UNION ALL
     SELECT scope_type, scope_value, m AS model, ${GRAIN_ID.all}::TINYINT AS grain, 0::BIGINT AS sq, ${SUMS}
     FROM rollup_l1 GROUP BY ALL`,
  );
}

const KEY_SQL = rollupKeySql('s.scope_id', 'g.grain', 'g.sq');

/** Adds rollup_lg to the stored rollup. */
async function addAggregate(db: Db): Promise<void> {
  await db.run(
    `INSERT INTO rollup_scopes (scope_type, scope_value, model)
     SELECT DISTINCT scope_type, scope_value, model FROM rollup_lg g
     WHERE NOT EXISTS (SELECT 1 FROM rollup_scopes s WHERE s.scope_type = g.scope_type AND s.scope_value = g.scope_value AND s.model = g.model)`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE rollup_delta AS
     SELECT ${KEY_SQL} AS k, g.cost, g.tokens, g.requests, g.rows_, g.unpriced_rows, g.min_ts, g.max_ts
     FROM rollup_lg g JOIN rollup_scopes s ON s.scope_type = g.scope_type AND s.scope_value = g.scope_value AND s.model = g.model`,
  );
  // Merge by delete + insert, not UPDATE / ON CONFLICT: DuckDB updates 128-bit columns in place slowly
  // (36 buckets: ~60 ms by upsert, ~7 ms this way). A record's few keys go in as literals, which the
  // index serves; a file's many keys as a semi-join.
  const few = await db.all<{ k: string }>('SELECT k::VARCHAR AS k FROM rollup_delta LIMIT 1001');
  const keys = few.length <= 1000 ? few.map((r) => r.k).join(', ') || 'NULL' : 'SELECT k FROM rollup_delta';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE rollup_merged AS
     SELECT k, ${SUMS} FROM (SELECT * FROM usage_rollup WHERE k IN (${keys}) UNION ALL SELECT * FROM rollup_delta) GROUP BY k`,
  );
  await db.run(`DELETE FROM usage_rollup WHERE k IN (${keys})`);
  await db.run('INSERT INTO usage_rollup SELECT * FROM rollup_merged');
}

async function dropTemps(db: Db): Promise<void> {
  for (const t of TEMP_TABLES) await db.run(`DROP TABLE IF EXISTS ${t}`);
}

/** Adds the usage rows matching `where` (alias `u`), just inserted, to the rollup, if it is built. */
export async function applyRollup(db: Db, where: string, params: SqlParam[]): Promise<void> {
  const state = await rollupState(db);
  if (!state) return;
  await db.transaction(async () => {
    try {
      await aggregate(db, where, params, state.tz);
      await addAggregate(db);
    } catch (e) {
      // Rows from before 1972 in a zone whose old offsets were off the quarter hour: stop keeping the
      // rollup (checks then read the rows) rather than refuse the rows.
      if (!(e instanceof UnsupportedZone)) throw e;
      await db.run('DELETE FROM rollup_meta');
    } finally {
      await dropTemps(db);
    }
  });
}

/** The rows one ingested file added (called inside that file's transaction). */
export function applyRollupForFile(db: Db, fileId: number): Promise<void> {
  return applyRollup(db, 'u.file_id = ?', [fileId]);
}

/** Recomputes the rollup from every usage row, in zone `tz`, for the quota model filters in force. */
export async function rebuildRollup(db: Db, tz: string, now: Date): Promise<{ built: boolean }> {
  return db.transaction(async () => {
    for (const t of ['usage_rollup', 'rollup_scopes', 'rollup_models', 'rollup_meta']) await db.run(`DELETE FROM ${t}`);
    await db.run('INSERT INTO rollup_models SELECT DISTINCT model FROM quotas WHERE model IS NOT NULL');
    try {
      await aggregate(db, 'true', [], tz);
    } catch (e) {
      // Not built: checks read the rows, which is slower but exact.
      if (e instanceof UnsupportedZone) return { built: false };
      throw e;
    } finally {
      await db.run('DROP TABLE IF EXISTS rollup_l1');
      await db.run('DROP TABLE IF EXISTS rollup_qmap');
    }
    try {
      await addAggregate(db);
    } finally {
      await dropTemps(db);
    }
    await db.run("INSERT INTO rollup_meta VALUES (?, ?::TIMESTAMP, nextval('rollup_generation'))", [
      tz,
      sqlTimestamp(now),
    ]);
    return { built: true };
  });
}

/**
 * Builds the rollup unless it is built for zone `tz` and every quota model filter. Returns whether it
 * built. Only checks read it, so a database without quotas or budgets does not keep one: ingest there
 * pays nothing for it, and the first quota or budget builds it.
 */
export async function ensureRollup(db: Db, tz: string, now: Date): Promise<boolean> {
  const state = await rollupState(db);
  if (!state && !(await db.one('SELECT 1 AS x FROM quotas UNION ALL SELECT 1 FROM budgets LIMIT 1'))) return false;
  if (state?.tz === tz) {
    const missing = await db.one(
      'SELECT 1 AS x FROM quotas q WHERE q.model IS NOT NULL AND q.model NOT IN (SELECT model FROM rollup_models) LIMIT 1',
    );
    if (!missing) return false;
  }
  return (await rebuildRollup(db, tz, now)).built;
}

/** After rows already counted changed (reprice, directory, repair): rebuild, if the rollup is built. */
export async function refreshRollup(db: Db, now: Date = new Date()): Promise<void> {
  const state = await rollupState(db);
  if (state) await rebuildRollup(db, state.tz, now);
}

/** Buckets where the stored rollup differs from a fresh aggregation of the rows (0 = in step), or null if not built. */
export async function verifyRollup(db: Db): Promise<number | null> {
  const state = await rollupState(db);
  if (!state) return null;
  try {
    await aggregate(db, 'true', [], state.tz);
    const row = await db.one<{ n: string }>(
      `WITH fresh AS (
         SELECT ${KEY_SQL} AS k, g.* FROM rollup_lg g
         LEFT JOIN rollup_scopes s ON s.scope_type = g.scope_type AND s.scope_value = g.scope_value AND s.model = g.model
       )
       SELECT count(*)::VARCHAR AS n FROM fresh f FULL OUTER JOIN usage_rollup r ON r.k = f.k
       WHERE f.k IS NULL OR r.k IS NULL OR f.cost <> r.cost OR f.tokens <> r.tokens OR f.requests <> r.requests
         OR f.rows_ <> r.rows_ OR f.unpriced_rows <> r.unpriced_rows OR f.min_ts <> r.min_ts OR f.max_ts <> r.max_ts`,
    );
    return Number(row?.n ?? 0);
  } finally {
    await dropTemps(db);
  }
}
