// One validation for every usage adapter, in SQL: an adapter describes how to get each native field as
// text from its source rows; this builds TEMP TABLE ingest_checked (typed values + the reason a row is
// bad) and the views `staged` / `staged_rejects` the pipeline reads. Millions of rows never touch JS.
import type { Db } from '../db/database.js';
import { NATIVE_FIELDS, sqlString, type NativeField } from './native-fields.js';

export interface RawUsageSpec {
  /** FROM clause producing one row per source record. */
  from: string;
  /** Optional WHERE over `from` (e.g. skip blank lines). */
  where?: string;
  /**
   * BIGINT expression numbering the record (its physical line, or an ordinal mapped by `lineOf`).
   * Omitted: the record's position in `from` (ingest_checked.rowid + 1), which needs no window function
   * and so keeps DuckDB's reader parallel; `from` must then keep every record in file order (no WHERE).
   */
  ordinal?: string;
  /** BOOLEAN expression: the record is not a row at all (a blank line); kept only to hold positions. */
  skip?: string;
  /** VARCHAR expression per native field name; fields left out are NULL. */
  fields: Partial<Record<string, string>>;
  /** VARCHAR expression: why the record cannot be read at all (broken JSON), else NULL. */
  unreadable?: string;
  /** JSON expression: source keys with no native field, kept in tags (else NULL). */
  extraTags?: string;
  /** VARCHAR expression over the columns of `from` for a rejected row's raw text (evaluated only for those). */
  raw: string;
  /** SQL mapping `_ord` to the physical line (default: `_ord`). */
  lineOf?: (ord: string) => string;
  /** Source name for the `source` column. */
  source: string;
  /** How the source names a native field, for reject reasons (default: the native name). */
  labels?: Partial<Record<string, string>>;
  /** Source records behind one row (an adapter that folds repeated lines into one row); default 1. */
  weight?: string;
  /** The caller defines the views itself (defineStagedViews) once it knows the line mapping. */
  deferViews?: boolean;
}

const f = (field: NativeField) => `f_${field.name}`;
const blank = (col: string) => `(${col} IS NULL OR trim(${col}) = '')`;

/** Typed value of a field from its text column; NULL when the text is present but invalid. */
function typedExpr(field: NativeField): string {
  const c = f(field);
  switch (field.kind) {
    case 'id':
    case 'text':
      return `nullif(trim(${c}), '')`;
    case 'timestamp':
      // ISO 8601 with offset or Z (no offset = UTC, the session zone), epoch seconds, or epoch milliseconds.
      // ISO text always has a '-'; epoch text never does (the regexes run only for those).
      return `CASE WHEN ${blank(c)} THEN NULL
        WHEN contains(${c}, '-') THEN CASE WHEN regexp_full_match(trim(${c}), '\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?\\s*([Zz]|[+-]\\d{2}(:?\\d{2})?)?')
          THEN TRY_CAST(trim(${c}) AS TIMESTAMPTZ)::TIMESTAMP END
        WHEN regexp_full_match(trim(${c}), '\\d{1,11}(\\.\\d{1,6})?') THEN make_timestamp((trim(${c})::DECIMAL(24,6) * 1000000)::BIGINT)
        WHEN regexp_full_match(trim(${c}), '\\d{12,15}') THEN make_timestamp(trim(${c})::BIGINT * 1000) END`;
    case 'count': {
      const dflt = field.name === 'requests' ? '1' : field.name === 'bytes' ? 'NULL' : '0';
      // Only digits (and spaces, a leading +): DuckDB's own cast would also take 1.5, 1e3, 0x10 and 1_000.
      return `CASE WHEN ${blank(c)} THEN ${dflt}
        WHEN translate(${c}, '0123456789 +', '') = '' THEN TRY_CAST(TRY_CAST(${c} AS UBIGINT) AS BIGINT) END`;
    }
    case 'decimal':
      return `CASE WHEN ${blank(c)} THEN NULL
        WHEN regexp_full_match(trim(${c}), '\\+?(\\d+(\\.\\d*)?|\\.\\d+)') THEN TRY_CAST(trim(${c}) AS DECIMAL(18,6)) END`;
    case 'signed-decimal':
      return `CASE WHEN ${blank(c)} THEN NULL
        WHEN regexp_full_match(trim(${c}), '[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?') THEN TRY_CAST(trim(${c}) AS DECIMAL(38,18)) END`;
    case 'cost-type':
      return `CASE WHEN ${blank(c)} THEN 'ai_api' WHEN trim(${c}) IN ('ai_api', 'storage', 'bandwidth') THEN trim(${c}) END`;
    case 'currency':
      return `CASE WHEN ${blank(c)} THEN 'USD' WHEN regexp_full_match(trim(${c}), '[A-Z]{3}') THEN trim(${c}) END`;
    case 'tags':
      return `CASE WHEN ${blank(c)} THEN NULL WHEN json_valid(${c}) AND json_type(${c}::JSON) = 'OBJECT' THEN ${c}::JSON END`;
  }
}

const RULE: Record<NativeField['kind'], string> = {
  id: '',
  text: '',
  timestamp: 'is not an ISO 8601 timestamp (2026-03-02T09:15:03Z) or epoch seconds/milliseconds',
  count: 'must be a whole number ≥ 0',
  decimal: 'must be a decimal number ≥ 0',
  'signed-decimal': 'must be a decimal number such as 0.0123',
  'cost-type': 'must be one of ai_api, storage, bandwidth',
  currency: 'must be a 3-letter currency code such as USD',
  tags: 'must be a JSON object',
};

/** The reason a field makes its row invalid, or NULL. `label` is the field as the source names it. */
function problemExpr(field: NativeField, label = field.name): string {
  const parts: string[] = [];
  if (field.required) parts.push(`WHEN ${blank(f(field))} THEN ${sqlString(`${label} is missing`)}`);
  if (RULE[field.kind]) {
    parts.push(
      `WHEN NOT ${blank(f(field))} AND v_${field.name} IS NULL THEN ${sqlString(`${label} "`)} || left(${f(field)}, 80) || ${sqlString(`" ${RULE[field.kind]}`)}`,
    );
  }
  return parts.length ? `CASE ${parts.join(' ')} END` : 'NULL';
}

/** Content key for a row without request_id: equal rows (from any encoding) hash equal. */
function contentKeyExpr(): string {
  const cols = NATIVE_FIELDS.filter((x) => x.name !== 'request_id').map((x) => `coalesce(v_${x.name}::VARCHAR, '')`);
  return `'sha256:' || sha256(concat_ws('|', ${cols.join(', ')}))`;
}

/**
 * Builds ingest_checked from the adapter's spec and defines the views `staged` (good rows, in the
 * STAGED_USAGE_COLUMNS order) and `staged_rejects` (line, reason, raw). Returns the rows read.
 */
export async function stageUsageRows(db: Db, spec: RawUsageSpec): Promise<number> {
  const fieldCols = NATIVE_FIELDS.map((x) => `${spec.fields[x.name] ?? 'NULL::VARCHAR'} AS ${f(x)}`);
  const typedCols = NATIVE_FIELDS.map((x) => `${typedExpr(x)} AS v_${x.name}`);
  const problems = NATIVE_FIELDS.map((x) => problemExpr(x, spec.labels?.[x.name])).filter((p) => p !== 'NULL');
  const extra = spec.extraTags ?? 'NULL::JSON';
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_checked AS
WITH src AS (
  SELECT *, ${spec.ordinal ?? 'NULL::BIGINT'} AS _ord, coalesce(${spec.skip ?? 'false'}, false) AS _skip, ${spec.unreadable ?? 'NULL::VARCHAR'} AS _unreadable, ${extra} AS _extra,
    ${fieldCols.join(', ')}
  FROM ${spec.from} ${spec.where ? `WHERE ${spec.where}` : ''}
), typed AS (
  SELECT *, ${typedCols.join(', ')} FROM src
), judged AS (
  SELECT *, CASE WHEN _skip THEN NULL WHEN _unreadable IS NOT NULL THEN _unreadable
    ELSE nullif(concat_ws('; ', ${problems.join(', ')}), '') END AS _reason
  FROM typed
)
SELECT _ord, _skip, _reason, ${spec.weight ?? '1'} AS _weight,
  CASE WHEN _reason IS NOT NULL THEN ${spec.raw} END AS _raw,
  ${NATIVE_FIELDS.filter((x) => x.name !== 'request_id' && x.name !== 'tags')
    .map((x) => `CASE WHEN _reason IS NULL THEN v_${x.name} END AS ${x.column}`)
    .join(', ')},
  CASE WHEN _reason IS NULL THEN coalesce(v_request_id, ${contentKeyExpr()}) END AS request_id,
  CASE WHEN _reason IS NULL THEN
    CASE WHEN _extra IS NULL THEN v_tags WHEN v_tags IS NULL THEN _extra ELSE json_merge_patch(_extra, v_tags) END
  END AS tags
FROM judged`);
  if (!spec.deferViews) await defineStagedViews(db, spec.source, spec.lineOf);
  const n = await db.one<{ n: string }>('SELECT coalesce(sum(_weight) FILTER (WHERE NOT _skip), 0)::VARCHAR AS n FROM ingest_checked');
  return Number(n?.n ?? 0);
}

// Inside the ingest transaction a new table's rowids start at a large provisional base; they are
// consecutive in insertion (= file) order, so position = rowid - first rowid + 1.
async function ordinalSql(db: Db): Promise<string> {
  const base = await db.one<{ b: string | null }>('SELECT min(rowid)::VARCHAR AS b FROM ingest_checked');
  return `coalesce(ingest_checked._ord, ingest_checked.rowid - ${base?.b ?? '0'} + 1)`;
}

/**
 * `staged` and `staged_rejects` over ingest_checked. `extraRejects` is a SELECT of (line, reason, raw)
 * for records the reader itself refused (wrong column count), unioned in.
 */
export async function defineStagedViews(
  db: Db,
  source: string,
  lineOf: (ord: string) => string = (o) => o,
  extraRejects?: string,
  join = '',
): Promise<void> {
  const cols = NATIVE_FIELDS.map((x) => `ingest_checked.${x.column}`);
  const ORD = await ordinalSql(db);
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged AS SELECT ${sqlString(source)} AS source, ${cols.join(', ')}, ${lineOf(ORD)}::BIGINT AS line
     FROM ingest_checked ${join} WHERE ingest_checked._reason IS NULL AND NOT ingest_checked._skip`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged_rejects AS SELECT ${lineOf(ORD)}::BIGINT AS line, _reason AS reason, _raw AS raw
     FROM ingest_checked ${join} WHERE ingest_checked._reason IS NOT NULL${
      extraRejects ? ` UNION ALL ${extraRejects}` : ''
    }`,
  );
}
