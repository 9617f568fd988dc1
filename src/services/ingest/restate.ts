// Restating stored rows: a later export of a row already stored (same source and key) with different
// figures replaces it. The stored row moves to the table's revisions table, with the file that restated
// it; the caller's usual insert then adds the new row like any new one (priced, counted as loaded).
// Runs inside the file's transaction.
//
// A row whose figures equal those of a row it was restated away from is an older export arriving late:
// it restates nothing, so the order files are ingested in cannot take a row back to stale figures.
import type { Db } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export interface RestateSpec {
  table: 'billing_lines' | 'usage';
  revisions: 'billing_line_revisions' | 'usage_revisions';
  /** The key column, with `source`. */
  key: 'line_key' | 'request_id';
  /** SQL: the staged row `n` carries figures different from those of the stored or superseded row `o`. */
  differ: (n: string, o: string) => string;
  /** SQL over the row `r`: the figure the report sums before and after, and what it is summed per. */
  measure: (r: string) => string;
  group: (r: string) => string;
}

/** Rows one file restated, per group (billing: currency); the measure before and after as exact strings. */
export interface Restated {
  group: string;
  rows: number;
  before: string;
  after: string;
  /** The ingest file that restated them, when a batch of files was loaded at once. */
  file?: number;
}

/** A batch of files loaded at once: the restating file of a staged row `s`, as SQL. */
export interface RestatingFile {
  sql: (s: string) => string;
}

/**
 * Billing lines: billed cost or currency, or a list cost or quantity the new export states (an export that
 * leaves them out, such as the dashboard's, does not erase them).
 */
export const BILLING_RESTATE: RestateSpec = {
  table: 'billing_lines',
  revisions: 'billing_line_revisions',
  key: 'line_key',
  differ: (n, o) => `(${n}.billed_cost <> ${o}.billed_cost OR ${n}.currency <> ${o}.currency
    OR (${n}.list_cost IS NOT NULL AND ${n}.list_cost IS DISTINCT FROM ${o}.list_cost)
    OR (${n}.quantity IS NOT NULL AND ${n}.quantity IS DISTINCT FROM ${o}.quantity))`,
  measure: (r) => `${r}.billed_cost`,
  group: (r) => `${r}.currency`,
};

/**
 * The breakdowns and per-call units the usage reports state (#15): a bucket pulled again whose audio or
 * image tokens or web searches grew is a new figure too, even when its token totals did not change.
 */
const REPORTED_PARTS = [
  'reasoning_tokens',
  'audio_input_tokens',
  'image_input_tokens',
  'audio_output_tokens',
  'image_output_tokens',
  'web_search_calls',
];

/** Usage rows of provider usage reports: any token count or breakdown, the request count, or a reported cost it states. */
export const USAGE_RESTATE: RestateSpec = {
  table: 'usage',
  revisions: 'usage_revisions',
  key: 'request_id',
  differ: (n, o) => `(${n}.input_tokens <> ${o}.input_tokens OR ${n}.output_tokens <> ${o}.output_tokens
    OR ${n}.cache_read_tokens <> ${o}.cache_read_tokens OR ${n}.cache_write_tokens <> ${o}.cache_write_tokens
    OR ${n}.cache_write_1h_tokens <> ${o}.cache_write_1h_tokens OR ${n}.requests <> ${o}.requests
    OR ${REPORTED_PARTS.map((c) => `${n}.${c} <> ${o}.${c}`).join(' OR ')}
    OR (${n}.reported_cost IS NOT NULL AND ${n}.reported_cost IS DISTINCT FROM ${o}.reported_cost))`,
  measure: (r) => `(${totalTokensSql(r)})`,
  group: () => "''",
};

/**
 * Claude Code rows: a response read while it was still being written (a session file read mid-response)
 * is completed by its later lines, which carry larger counts; a copy with no larger count is a duplicate.
 */
export const CLAUDE_CODE_RESTATE: RestateSpec = {
  ...USAGE_RESTATE,
  differ: (n, o) => `(${n}.input_tokens > ${o}.input_tokens OR ${n}.output_tokens > ${o}.output_tokens
    OR ${n}.cache_read_tokens > ${o}.cache_read_tokens OR ${n}.cache_write_tokens > ${o}.cache_write_tokens
    OR ${n}.cache_write_1h_tokens > ${o}.cache_write_1h_tokens OR ${n}.web_search_calls > ${o}.web_search_calls)`,
};

const same = (spec: RestateSpec, a: string, b: string) =>
  `${a}.source = ${b}.source AND ${a}.${spec.key} = ${b}.${spec.key}`;

/** Moves the stored rows that `relation` (unique staged rows) restates into the revisions table. */
export async function moveRestated(
  db: Db,
  spec: RestateSpec,
  relation: string,
  fileId: number | RestatingFile,
  now: Date,
): Promise<Restated[]> {
  const by = typeof fileId === 'number' ? `${fileId}::BIGINT` : fileId.sql('s');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE restated_keys AS
     SELECT s.source, s.${spec.key}, ${spec.group('s')} AS grp, ${spec.measure('t')} AS before, ${spec.measure('s')} AS after,
       ${by} AS by_file
     FROM ${relation} s JOIN ${spec.table} t ON ${same(spec, 't', 's')}
     WHERE ${spec.differ('s', 't')}
       AND NOT EXISTS (SELECT 1 FROM ${spec.revisions} r WHERE ${same(spec, 'r', 's')} AND NOT ${spec.differ('s', 'r')})`,
  );
  try {
    const summary = await db.all<{ grp: string; n: string; before: string; after: string; f: string }>(
      `SELECT grp::VARCHAR AS grp, count(*)::VARCHAR AS n, sum(before)::VARCHAR AS before, sum(after)::VARCHAR AS after,
         by_file::VARCHAR AS f
       FROM restated_keys GROUP BY grp, by_file ORDER BY by_file, grp`,
    );
    if (summary.length === 0) return [];
    const restated = `EXISTS (SELECT 1 FROM restated_keys k WHERE ${same(spec, 'k', 't')})`;
    await db.run(
      `INSERT INTO ${spec.revisions} BY NAME
       SELECT t.*, (SELECT k.by_file FROM restated_keys k WHERE ${same(spec, 'k', 't')}) AS restated_by_file,
         ?::TIMESTAMP AS restated_at FROM ${spec.table} t WHERE ${restated}`,
      [sqlTimestamp(now)],
    );
    await db.run(`DELETE FROM ${spec.table} t WHERE ${restated}`);
    return summary.map((r) => ({
      group: r.grp,
      rows: Number(r.n),
      before: r.before,
      after: r.after,
      ...(typeof fileId === 'number' ? {} : { file: Number(r.f) }),
    }));
  } finally {
    await db.run('DROP TABLE IF EXISTS temp.restated_keys');
  }
}

/**
 * SQL of every restatement of `spec.table`'s rows matching `where` (over the revision's own columns):
 * `select` (over the revision, alias-free) plus, for each of `figures`, `<figure>_before` (the revision)
 * and `<figure>_after` (the next revision of the row, or the row as stored now), and the file the earlier
 * figures came from, the file that restated them and when. Oldest first per row; `order` sorts the rows.
 */
export function restatementsSql(
  spec: RestateSpec,
  select: string,
  figures: readonly string[],
  where: string,
  order: string,
): string {
  // The last revision of a row was replaced by the row as stored now: one join for every figure.
  const next = (col: string) => `coalesce(lead(r.${col}) OVER w, c.${col})`;
  return `SELECT ${select}, ${figures.map((f) => `${f}::VARCHAR AS ${f}_before, _next_${f}::VARCHAR AS ${f}_after`).join(', ')},
       (SELECT path FROM ingest_files f WHERE f.id = file_id) AS file_before,
       (SELECT path FROM ingest_files f WHERE f.id = restated_by_file) AS restated_by,
       strftime(restated_at, '%Y-%m-%dT%H:%M:%SZ') AS restated_at
     FROM (SELECT r.*, ${figures.map((f) => `${next(f)} AS _next_${f}`).join(', ')}
           FROM ${spec.revisions} r LEFT JOIN ${spec.table} c ON ${same(spec, 'c', 'r')} WINDOW w AS (PARTITION BY r.source, r.${spec.key} ORDER BY r.restated_by_file))
     ${where} ORDER BY ${order}, restated_by_file`;
}
