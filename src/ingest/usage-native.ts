// costctl's native usage log, JSONL and CSV, exactly as ../shared/formats/usage-log.md defines it.
import { DataError } from '../errors.js';
import type { Db } from '../db/database.js';
import { csvHeader, openCsvSource, stageCsvUsage } from './csv-source.js';
import { JSON_STRUCT_UNREADABLE, headJsonLines, isJsonLines, isObject, jsonStructRelation } from './jsonl-source.js';
import { NATIVE_FIELDS, NATIVE_FIELD_NAMES } from '../db/usage-columns.js';
import { sqlIdent, sqlString } from '../db/sql.js';
import type { Adapter, IngestFile, StageOptions, StageResult } from './types.js';
import { stageUsageRows } from './validate-usage.js';
import { PRICED_COLUMNS } from '../db/usage-columns.js';

/** JSON Lines whose objects carry the native `timestamp` and `model` keys. */
export function looksLikeNativeJsonl(file: IngestFile): boolean {
  const head = file.head.trimStart();
  // A JSON array of records (what `records export --format json` writes).
  if (head.startsWith('[')) return /^\[\s*\{/.test(head) && /"timestamp"\s*:/.test(head) && /"model"\s*:/.test(head);
  if (!head.startsWith('{')) return false;
  return headJsonLines(file.head).some((v) => isObject(v) && 'model' in v && 'timestamp' in v);
}

/** A CSV whose header names at least `timestamp` and `model`. */
export function looksLikeNativeCsv(file: IngestFile): boolean {
  if (file.head.trimStart().startsWith('{') || file.head.trimStart().startsWith('[')) return false;
  const header = csvHeader(file.head).map((h) => h.toLowerCase());
  return header.includes('timestamp') && header.includes('model');
}

// Columns `records export` writes after the native fields: derived by costctl, so not source labels.
const DERIVED = ['source', ...PRICED_COLUMNS];

// Decimal fields are read from the line's own text so a long decimal never passes through a double.
const EXACT_DECIMALS = new Set(['reported_cost', 'duration_seconds']);

/**
 * The field's number exactly as written in the line. The parsed value (`value`, text of a double) tells
 * which occurrence of `"name": <number>` is the top-level one (a nested object may use the same key);
 * a value written as a JSON string has no such occurrence and is used as it is. Only records that have
 * the field search the line (doing it for every line cost ~10% of the staging).
 */
function exactNumber(name: string, value: string): string {
  const written = `regexp_extract_all(l, '"${name}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)', 1)`;
  return `CASE WHEN ${value} IS NOT NULL THEN coalesce(list_filter(${written}, x -> TRY_CAST(x AS DOUBLE) = TRY_CAST(${value} AS DOUBLE))[1], ${value}) END`;
}

/**
 * The native fields the file's head uses (the keys of its first complete lines), or every field when the
 * head shows none or the file is one JSON document. Parsing only these is ~30 % cheaper than parsing all 38
 * (1M rows of 12 keys: from_json 0.85–0.90 s against 1.24–1.39 s); a record with another native key sends
 * the file through again with every field (stageJsonl), so nothing is ever left out.
 */
function headFields(file: IngestFile, lines: boolean): Set<string> {
  const all = new Set(NATIVE_FIELD_NAMES);
  if (!lines) return all;
  const seen = new Set<string>();
  for (const v of headJsonLines(file.head, Number.POSITIVE_INFINITY)) {
    if (isObject(v)) for (const k of Object.keys(v)) if (all.has(k)) seen.add(k);
  }
  return seen.has('timestamp') && seen.has('model') ? seen : all;
}

async function stageJsonlFields(
  db: Db,
  file: IngestFile,
  options: StageOptions,
  lines: boolean,
  staged: Set<string>,
): Promise<{ rowsRead: number; recheck: number }> {
  const stagedFields = NATIVE_FIELDS.filter((f) => staged.has(f.name));
  const left = NATIVE_FIELD_NAMES.filter((name) => !staged.has(name));
  const known = `[${[...NATIVE_FIELD_NAMES, ...DERIVED].map(sqlString).join(', ')}]`;
  const fields: Record<string, string> = {};
  for (const f of stagedFields) {
    const value = `_s.${sqlIdent(f.name)}`;
    fields[f.name] = EXACT_DECIMALS.has(f.name) ? exactNumber(f.name, value) : value;
  }
  const present = `(${stagedFields.map((f) => `(_s.${sqlIdent(f.name)} IS NOT NULL)::INTEGER`).join(' + ')})`;
  // Filtering keys with a lambda is slow; only records with more keys than known values present take it
  // (a known key written as null also takes it, harmlessly). json_keys parses the line a second time
  // (~10% of staging a file): an object of K keys has at least K - 1 commas, so a line with no more
  // commas than its present values less one has no other key, and skips that parse. A record with a native
  // key that was not staged has more keys than values present, so it is always among those looked at.
  // The pieces between commas (commas + 1) are counted with string_split: counting through replace()
  // copied every line and cost 493 ms per 1M bench lines against 96 ms (in memory, 2 threads).
  const keysAtMost = "len(string_split(l, ','))";
  const from = `(SELECT *, CASE WHEN len(_keys) > ${present} THEN list_filter(_keys, k -> NOT list_contains(${known}, k)) END AS _extra_keys
    FROM (SELECT *, CASE WHEN _s IS NOT NULL AND ${keysAtMost} > ${present} THEN json_keys(l) END AS _keys
      FROM ${jsonStructRelation(
        file,
        stagedFields.map((f) => f.name),
        lines,
      )}))`;
  return stageUsageRows(db, {
    from,
    ordinal: lines ? undefined : '_n',
    skip: lines ? '_blank' : undefined,
    fields,
    unreadable: JSON_STRUCT_UNREADABLE,
    extraTags: `CASE WHEN len(_extra_keys) > 0 THEN to_json(map_from_entries(list_transform(_extra_keys,
      k -> struct_pack(k := k, v := json_extract(l, '/' || replace(replace(k, '~', '~0'), '/', '~1')))))) END`,
    raw: 'l',
    source: options.source,
    recheck: left.length ? `list_has_any(_keys, [${left.map(sqlString).join(', ')}])` : undefined,
  });
}

async function stageJsonl(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const lines = isJsonLines(file.head);
  const staged = headFields(file, lines);
  let checked = await stageJsonlFields(db, file, options, lines, staged);
  // A native key the head did not show: staged again with every field (rare; the first pass is discarded).
  if (checked.recheck > 0) checked = await stageJsonlFields(db, file, options, lines, new Set(NATIVE_FIELD_NAMES));
  return { rowsRead: checked.rowsRead };
}

async function stageCsv(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const csv = await openCsvSource(db, file);
  for (const required of ['timestamp', 'model']) {
    if (!csv.column(required)) {
      throw new DataError(
        `${file.displayPath}:1: the header has no "${required}" column (the native usage CSV needs timestamp and model)`,
      );
    }
  }
  const fields: Record<string, string> = {};
  for (const f of NATIVE_FIELDS) {
    const c = csv.column(f.name);
    if (c) fields[f.name] = c;
  }
  const extras = csv.header.filter((h) => ![...NATIVE_FIELD_NAMES, ...DERIVED].includes(h.toLowerCase()) && h !== '');
  const extraTags = extras.length
    ? `CASE WHEN coalesce(${extras.map((h) => csv.column(h)).join(', ')}) IS NOT NULL THEN json_object(${extras
        .map((h) => `${sqlString(h)}, ${csv.column(h)}`)
        .join(', ')}) END`
    : undefined;
  return stageCsvUsage(db, file, csv, {
    from: csv.relation,
    fields,
    extraTags,
    source: options.source,
  });
}

export const nativeUsageAdapter: Adapter = {
  format: 'usage',
  kind: 'usage',
  description: "costctl's native usage log (JSONL, CSV, or a JSON array as records export writes)",
  detect: (file) => looksLikeNativeJsonl(file) || looksLikeNativeCsv(file),
  stage: (db, file, options) =>
    /^\s*[[{]/.test(file.head) ? stageJsonl(db, file, options) : stageCsv(db, file, options),
};
