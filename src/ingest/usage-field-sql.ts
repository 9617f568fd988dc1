import { BREAKDOWNS, NATIVE_FIELDS, type NativeField } from '../db/usage-columns.js';
import { sqlString } from '../db/sql.js';
import { acceptedInstants, instantRangeRule, MAX_COUNT } from '../domain/ingest-bounds.js';
import { sqlTimestamp } from '../domain/time.js';

export const f = (field: NativeField) => `f_${field.name}`;
/** SQL bounds of the accepted instants (domain/ingest-bounds.ts), read when a file's SQL is built. */
export const inRangeFrom = () => `TIMESTAMP '${sqlTimestamp(acceptedInstants().from)}'`;
export const inRangeEnd = () => `TIMESTAMP '${sqlTimestamp(acceptedInstants().end)}'`;
/** The field's text trimmed, NULL when blank (n_…), computed once per row: every later test is a NULL test. */
export const text = (field: NativeField) => `n_${field.name}`;
export const blank = (field: NativeField) => `${text(field)} IS NULL`;

/**
 * trim(col), without paying for it when there is nothing to trim. DuckDB's trim() walks every character
 * through utf8proc (it strips Unicode space separators) and copies the result: ~7x the cost of these
 * byte tests, and most values have no space at either end and are plain ASCII.
 */
export function trimmed(col: string): string {
  return `CASE WHEN starts_with(${col}, ' ') OR ends_with(${col}, ' ') OR strlen(${col}) <> length(${col}) THEN trim(${col}) ELSE ${col} END`;
}

/** SQL type of a field's typed value (the `staged` / `usage` column type). */
export const SQL_TYPE: Record<NativeField['kind'], string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  count: 'BIGINT',
  decimal: 'DECIMAL(18,6)',
  'signed-decimal': 'DECIMAL(38,18)',
  'cost-type': 'VARCHAR',
  currency: 'VARCHAR',
  tags: 'JSON',
};

/** The typed value of a field that is blank or absent (the format's defaults). */
export function defaultSql(field: NativeField): string {
  switch (field.kind) {
    case 'count':
      return field.name === 'requests' ? '1::BIGINT' : field.name === 'bytes' ? 'NULL::BIGINT' : '0::BIGINT';
    case 'cost-type':
      return "'ai_api'";
    case 'currency':
      return "'USD'";
    default:
      return `NULL::${SQL_TYPE[field.kind]}`;
  }
}

/** Typed value of a field from its text column; NULL when the text is present but invalid. */
export function typedExpr(field: NativeField): string {
  const c = f(field);
  const v = text(field);
  switch (field.kind) {
    case 'id':
    case 'text':
      return v;
    case 'timestamp':
      // ISO 8601 with offset or Z (no offset = UTC, the session zone), epoch seconds, or epoch milliseconds.
      // ISO text always has a '-'; epoch text never does (the regexes run only for those). With a Z (the
      // usual form) the plain cast gives the same instant as the zone-aware one without ICU's calendar.
      return `CASE WHEN ${blank(field)} THEN NULL
        WHEN contains(${v}, '-') THEN CASE WHEN regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?\\s*([Zz]|[+-](0\\d|1[0-4])(:?[0-5]\\d)?)?')
          THEN CASE WHEN ends_with(${v}, 'Z') THEN TRY_CAST(${v} AS TIMESTAMP) ELSE TRY_CAST(${v} AS TIMESTAMPTZ)::TIMESTAMP END END
        WHEN regexp_full_match(${v}, '\\d{1,11}(\\.\\d{1,6})?') THEN make_timestamp((${v}::DECIMAL(24,6) * 1000000)::BIGINT)
        WHEN regexp_full_match(${v}, '\\d{12,15}') THEN make_timestamp(${v}::BIGINT * 1000) END`;
    case 'count': {
      const dflt = defaultSql(field);
      // Only digits (and spaces, a leading +): DuckDB's own cast would also take 1.5, 1e3, 0x10 and 1_000.
      // (A regex, not translate(): translate builds a hash map per value and costs ~6x more.)
      return `CASE WHEN ${blank(field)} THEN ${dflt}
        WHEN regexp_full_match(${c}, '[0-9 +]*') THEN CASE WHEN TRY_CAST(${c} AS UBIGINT) <= ${MAX_COUNT} THEN TRY_CAST(${c} AS BIGINT) END END`;
    }
    case 'decimal':
      return `CASE WHEN ${blank(field)} THEN NULL
        WHEN regexp_full_match(${v}, '\\+?(\\d+(\\.\\d*)?|\\.\\d+)') THEN TRY_CAST(${v} AS DECIMAL(18,6)) END`;
    case 'signed-decimal':
      return `CASE WHEN ${blank(field)} THEN NULL
        WHEN regexp_full_match(${v}, '[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?') THEN TRY_CAST(${v} AS DECIMAL(38,18)) END`;
    case 'cost-type':
      return `CASE WHEN ${blank(field)} THEN ${defaultSql(field)} WHEN ${v} IN ('ai_api', 'storage', 'bandwidth') THEN ${v} END`;
    case 'currency':
      return `CASE WHEN ${blank(field)} THEN ${defaultSql(field)} WHEN regexp_full_match(${v}, '[A-Z]{3}') THEN ${v} END`;
    case 'tags':
      return `CASE WHEN ${blank(field)} THEN NULL WHEN json_valid(${c}) AND json_type(${c}::JSON) = 'OBJECT' THEN ${c}::JSON END`;
  }
}

export const RULE: Record<NativeField['kind'], string> = {
  id: '',
  text: '',
  timestamp: 'is not an ISO 8601 timestamp (2026-03-02T09:15:03Z) or epoch seconds/milliseconds',
  count: `must be a whole number from 0 to ${MAX_COUNT}`,
  decimal: 'must be a decimal number ≥ 0',
  'signed-decimal': 'must be a decimal number such as 0.0123',
  'cost-type': 'must be one of ai_api, storage, bandwidth',
  currency: 'must be a 3-letter currency code such as USD',
  tags: 'must be a JSON object',
};

/** The reason a field makes its row invalid, or NULL. `label` is the field as the source names it. */
export function problemExpr(field: NativeField, label = field.name): string {
  const parts: string[] = [];
  if (field.required) parts.push(`WHEN ${blank(field)} THEN ${sqlString(`${label} is missing`)}`);
  if (field.kind === 'timestamp') {
    parts.push(
      `WHEN p_${field.name} IS NOT NULL AND v_${field.name} IS NULL THEN ${sqlString(`${label} "`)} || left(${f(field)}, 80) || ${sqlString(`" ${instantRangeRule()}`)}`,
    );
  }
  if (RULE[field.kind]) {
    parts.push(
      `WHEN NOT ${blank(field)} AND v_${field.name} IS NULL THEN ${sqlString(`${label} "`)} || left(${f(field)}, 80) || ${sqlString(`" ${RULE[field.kind]}`)}`,
    );
  }
  return parts.length ? `CASE ${parts.join(' ')} END` : 'NULL';
}

/** True when the field makes its row invalid (exactly when problemExpr is not NULL), without building text. */
export function problemTest(field: NativeField): string | undefined {
  const tests: string[] = [];
  if (field.required) tests.push(blank(field));
  if (RULE[field.kind]) tests.push(`(v_${field.name} IS NULL AND NOT ${blank(field)})`);
  return tests.length ? tests.join(' OR ') : undefined;
}

/**
 * Breakdowns larger than their total (reasoning_tokens > output_tokens): a test and a reason per total whose
 * parts the source has. A part or total that is itself invalid is reported by its own field test instead.
 */
export function breakdownChecks(spec: RawUsageSpec): { test: string; problem: string }[] {
  const label = (name: string) => spec.labels?.[name] ?? name;
  return BREAKDOWNS.flatMap(({ total, parts }) => {
    const present = parts.filter((p) => spec.fields[p] !== undefined);
    if (present.length === 0) return [];
    const sum = present.map((p) => `v_${p}`).join(' + ');
    const test = `coalesce(${sum} > v_${total}, false)`;
    const names = present.map(label).join(' + ');
    return [
      {
        test,
        problem: `CASE WHEN ${test} THEN ${sqlString(`${names} (`)} || (${sum}) || ${sqlString(`) must not exceed ${label(total)} (`)} || v_${total} || ${sqlString('): a breakdown is part of its total')} END`,
      },
    ];
  });
}

/** Content key for a row without request_id: equal rows (from any encoding) hash equal. */
export function contentKeyExpr(): string {
  const cols = NATIVE_FIELDS.filter((x) => x.name !== 'request_id').map((x) => `coalesce(v_${x.name}::VARCHAR, '')`);
  return `'sha256:' || sha256(concat_ws('|', ${cols.join(', ')}))`;
}

/** What stageUsageRows built: the rows read, and how each `staged` column reads from ingest_checked. */

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
  /**
   * BOOLEAN expression over `from`: the record carries a field the spec left out, so the file must be
   * staged again with every field (CheckedRows.recheck counts them). Native JSONL stages the keys its head
   * shows and sets this for a record with any other native key.
   */
  recheck?: string;
}
