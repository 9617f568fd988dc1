// One validation for every usage adapter, in SQL: an adapter describes how to get each native field as
// text from its source rows; this builds TEMP TABLE ingest_checked (typed values + the reason a row is
// bad) and the views `staged` / `staged_rejects` the pipeline reads. Millions of rows never touch JS.
import type { Db } from '../db/database.js';
import { NATIVE_FIELDS, type NativeField } from '../db/usage-columns.js';
import { sqlString } from '../db/sql.js';
import type { RawUsageSpec } from './usage-field-sql.js';
import {
  f,
  inRangeFrom,
  inRangeEnd,
  text,
  trimmed,
  defaultSql,
  typedExpr,
  problemExpr,
  problemTest,
  breakdownChecks,
  contentKeyExpr,
} from './usage-field-sql.js';

export type { RawUsageSpec } from './usage-field-sql.js';

export interface CheckedRows {
  rowsRead: number;
  /** Records that need staging again with every field (RawUsageSpec.recheck); 0 without a recheck. */
  recheck: number;
  /** SQL per STAGED_USAGE_COLUMNS column (without source and line): a column of ingest_checked or a constant. */
  columns: string[];
}

/**
 * Builds TEMP TABLE ingest_checked from the adapter's spec — one row per source record, in file order
 * (its rowid is its position), holding the typed values and, for a bad record only, `_reason` and
 * `_raw` — and, unless deferred, the views `staged` (good rows, in the STAGED_USAGE_COLUMNS order) and
 * `staged_rejects` (line, reason, raw).
 *
 * Only what varies is stored: a field the source does not have is a constant of the views, and the
 * reason text is built for bad records only. Millions of rows pass through here, so every expression
 * evaluated per row counts.
 */
export async function stageUsageRows(db: Db, spec: RawUsageSpec): Promise<CheckedRows> {
  const has = (x: NativeField) => spec.fields[x.name] !== undefined;
  const fieldCols = NATIVE_FIELDS.map((x) => `${spec.fields[x.name] ?? 'NULL::VARCHAR'} AS ${f(x)}`);
  const trimmedCols = NATIVE_FIELDS.map(
    (x) => `${has(x) ? `nullif(${trimmed(`${f(x)}::VARCHAR`)}, '')` : 'NULL::VARCHAR'} AS ${text(x)}`,
  );
  const typedCols = NATIVE_FIELDS.map((x) =>
    // An instant is parsed (p_), then kept only inside the accepted range, so the reject says which.
    x.kind === 'timestamp'
      ? `${typedExpr(x)} AS p_${x.name}, CASE WHEN p_${x.name} >= ${inRangeFrom()} AND p_${x.name} < ${inRangeEnd()} THEN p_${x.name} END AS v_${x.name}`
      : `${typedExpr(x)} AS v_${x.name}`,
  );
  const problems = NATIVE_FIELDS.map((x) => problemExpr(x, spec.labels?.[x.name])).filter((p) => p !== 'NULL');
  const tests = NATIVE_FIELDS.map(problemTest).filter((test): test is string => test !== undefined);
  for (const check of breakdownChecks(spec)) {
    tests.push(check.test);
    problems.push(check.problem);
  }
  const extra = spec.extraTags ?? 'NULL::JSON';
  const hasTags = has(NATIVE_FIELDS.find((x) => x.kind === 'tags')!) || spec.extraTags !== undefined;
  const stored: string[] = [];
  if (spec.ordinal) stored.push('_ord');
  if (spec.skip) stored.push('_skip');
  if (spec.weight) stored.push(`${spec.weight} AS _weight`);
  if (spec.recheck) stored.push('_recheck');
  stored.push(
    // The reason is text built from every field: only a bad record pays for it.
    `CASE WHEN _bad THEN coalesce(_unreadable, nullif(concat_ws('; ', ${problems.join(', ')}), '')) END AS _reason`,
    `CASE WHEN _bad THEN ${spec.raw} END AS _raw`,
  );
  const columns: string[] = [];
  for (const x of NATIVE_FIELDS) {
    if (x.name === 'request_id') {
      stored.push(`CASE WHEN NOT _bad THEN coalesce(v_request_id, ${contentKeyExpr()}) END AS request_id`);
      columns.push('ingest_checked.request_id');
    } else if (x.kind === 'tags') {
      if (hasTags) {
        stored.push(
          `CASE WHEN _extra IS NULL THEN v_tags WHEN v_tags IS NULL THEN _extra ELSE json_merge_patch(_extra, v_tags) END AS tags`,
        );
        columns.push('ingest_checked.tags');
      } else columns.push(`${defaultSql(x)} AS tags`);
    } else if (has(x)) {
      stored.push(`v_${x.name} AS ${x.column}`);
      columns.push(`ingest_checked.${x.column}`);
    } else {
      columns.push(`${defaultSql(x)} AS ${x.column}`);
    }
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_checked AS
WITH src AS (
  SELECT *, ${spec.recheck ? `coalesce(${spec.recheck}, false) AS _recheck, ` : ''}${spec.ordinal ?? 'NULL::BIGINT'} AS _ord, coalesce(${spec.skip ?? 'false'}, false) AS _skip, ${spec.unreadable ?? 'NULL::VARCHAR'} AS _unreadable, ${extra} AS _extra,
    ${fieldCols.join(', ')}
  FROM ${spec.from} ${spec.where ? `WHERE ${spec.where}` : ''}
), trimmed AS (
  SELECT *, ${trimmedCols.join(', ')} FROM src
), typed AS (
  SELECT *, ${typedCols.join(', ')} FROM trimmed
), judged AS (
  SELECT *, (NOT _skip AND (_unreadable IS NOT NULL${tests.map((test) => ` OR ${test}`).join('')})) AS _bad
  FROM typed
)
SELECT ${stored.join(',\n  ')}
FROM judged`);
  const checked = { rowsRead: 0, recheck: 0, columns };
  const weight = spec.weight ? '_weight' : '1';
  const n = await db.one<{ n: string; r: string }>(
    `SELECT coalesce(sum(${weight})${spec.skip ? ' FILTER (WHERE NOT _skip)' : ''}, 0)::VARCHAR AS n,
       ${spec.recheck ? 'count(*) FILTER (WHERE _recheck)' : '0'}::VARCHAR AS r FROM ingest_checked`,
  );
  checked.rowsRead = Number(n?.n ?? 0);
  checked.recheck = Number(n?.r ?? 0);
  // Staged again by the caller: no views over rows that will be replaced.
  if (!spec.deferViews && checked.recheck === 0) await defineStagedViews(db, checked, spec.source, spec.lineOf);
  return checked;
}

// A table's rowids are consecutive in insertion (= file) order; inside a transaction they start at a large
// provisional base, so position = rowid - first rowid + 1 either way.
async function ordinalSql(db: Db, hasOrdinal: boolean): Promise<string> {
  if (hasOrdinal) return 'ingest_checked._ord';
  const base = await db.one<{ b: string | null }>('SELECT min(rowid)::VARCHAR AS b FROM ingest_checked');
  return `(ingest_checked.rowid - ${base?.b ?? '0'} + 1)`;
}

/**
 * `staged` and `staged_rejects` over ingest_checked. `extraRejects` is a SELECT of (line, reason, raw)
 * for records the reader itself refused (wrong column count), unioned in.
 */
export async function defineStagedViews(
  db: Db,
  checked: Pick<CheckedRows, 'columns'>,
  source: string,
  lineOf: (ord: string) => string = (o) => o,
  extraRejects?: string,
  joinOn?: (ord: string) => string,
): Promise<void> {
  const cols = await db.all<{ name: string }>("SELECT name FROM pragma_table_info('ingest_checked')");
  const has = (name: string) => cols.some((c) => c.name === name);
  const ORD = await ordinalSql(db, has('_ord'));
  const notSkipped = has('_skip') ? ' AND NOT ingest_checked._skip' : '';
  const join = joinOn?.(ORD) ?? '';
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged AS SELECT ${sqlString(source)} AS source, ${checked.columns.join(', ')}, ${lineOf(ORD)}::BIGINT AS line
     FROM ingest_checked ${join} WHERE ingest_checked._reason IS NULL${notSkipped}`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged_rejects AS SELECT ${lineOf(ORD)}::BIGINT AS line, _reason AS reason, _raw AS raw
     FROM ingest_checked ${join} WHERE ingest_checked._reason IS NOT NULL${
       extraRejects ? ` UNION ALL ${extraRejects}` : ''
     }`,
  );
}
