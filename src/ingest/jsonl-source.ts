// Reading JSON Lines for an adapter: DuckDB reads each physical line as one text cell (blank lines stay,
// so the row number is the line number), and the fields an adapter wants are pulled out with a single
// JSON parse per line. A line that is not JSON becomes a reject with its line number, not a failed file.
import type { IngestFile } from './types.js';
import { sqlString } from '../db/sql.js';

// trim() walks every character of its input through utf8proc: on whole JSON lines that is the single most
// expensive expression of an ingest. A line that starts with `{` is neither blank nor needs trimming to be
// recognised as an object, so only the other lines (rare) pay for trim(). JSON's whitespace is space, tab,
// CR and LF (a line has no LF): a line of spaces and tabs is blank, not broken JSON.
const WS = `E' \\t\\r'`;
const BLANK = `CASE WHEN l IS NULL THEN true WHEN starts_with(l, '{') THEN false ELSE trim(l, ${WS}) = '' END`;
const OBJECT = `CASE WHEN starts_with(l, '{') THEN true ELSE starts_with(ltrim(l, ${WS}), '{') END`;

/**
 * read_csv over a file's physical lines, each line one VARCHAR cell `l` (NULL when empty). Lines may be
 * up to 16 MiB; the read buffer is set to twice that, because DuckDB's default for such a line limit is
 * far larger (reading 10M lines took ~600 MB of memory instead of ~200 MB, and was slower).
 */
function readLines(file: IngestFile): string {
  return `read_csv(${sqlString(file.localPath)}, columns = {'l': 'VARCHAR'}, header = false, auto_detect = false,
      delim = E'\\x01', quote = '', escape = '', strict_mode = false, max_line_size = 16777216, buffer_size = 33554432)`;
}

/** The text of every line: `_n` (physical line, 1-based) and `l` (the line, NULL when blank). */
export function jsonlLinesRelation(file: IngestFile): string {
  return `(SELECT row_number() OVER () AS _n, l FROM ${readLines(file)})`;
}

/**
 * A relation over the file's non-blank lines with `_n`, `l`, `_x` (the values at `paths` as text, or
 * NULL when the line is not valid JSON) and `_obj` (the line is a JSON object).
 */
export function jsonlExtractRelation(file: IngestFile, paths: string[], where?: string): string {
  return `(SELECT _n, l, TRY(json_extract_string(l, [${paths.map(sqlString).join(', ')}])) AS _x,
      ${OBJECT} AS _obj
    FROM ${jsonlLinesRelation(file)} WHERE NOT (${BLANK})${where ? ` AND (${where})` : ''})`;
}

export const JSONL_UNREADABLE = `CASE WHEN _x IS NULL THEN 'broken JSON line (not valid JSON)'
  WHEN NOT _obj THEN 'line is not a JSON object' END`;

/** The first `count` complete, non-blank lines of the head, parsed (undefined where not JSON). */
export function headJsonLines(head: string, count = 20): unknown[] {
  const lines = head.split('\n');
  if (lines.length > 1) lines.pop(); // the last piece may be cut at the 64 KiB boundary
  const out: unknown[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (!t) continue;
    try {
      out.push(JSON.parse(t));
    } catch {
      out.push(undefined);
    }
    if (out.length >= count) break;
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A JSON document (one object, or an array of objects) as records: `_n` is the record number (1-based;
 * such files have no meaningful line per record) and `l` the record's JSON text. A document that is not
 * JSON at all fails when read, naming the file.
 */
export function jsonRecordsRelation(file: IngestFile): string {
  return `(SELECT row_number() OVER () AS _n, json::VARCHAR AS l FROM read_json_objects(${sqlString(file.localPath)}, format = 'auto', maximum_object_size = 268435456))`;
}

/**
 * Every physical line in file order, blank ones included (so the staged rowid + 1 is the line number and
 * the reader stays parallel), with `l`, `_x`, `_obj` as in jsonlExtractRelation and `_blank`.
 */
export function jsonlLinesExtractRelation(file: IngestFile, paths: string[]): string {
  return `(SELECT l, _blank, TRY(json_extract_string(l, [${paths.map(sqlString).join(', ')}])) AS _x, _obj FROM ${jsonlLinesBase(file)})`;
}

/** Every physical line in file order with `l`, `_blank` and `_obj` (the line is a JSON object, by its first character). */
function jsonlLinesBase(file: IngestFile): string {
  return `(SELECT l, ${BLANK} AS _blank, ${OBJECT} AS _obj FROM ${readLines(file)})`;
}

/** Like jsonlExtractRelation over jsonRecordsRelation. */
export function jsonRecordsExtractRelation(file: IngestFile, paths: string[]): string {
  return `(SELECT _n, l, TRY(json_extract_string(l, [${paths.map(sqlString).join(', ')}])) AS _x, ${OBJECT} AS _obj
    FROM ${jsonRecordsRelation(file)})`;
}

/**
 * The records of a JSON Lines file (every physical line, as jsonlLinesExtractRelation) or of a JSON document
 * (as jsonRecordsExtractRelation), with the top-level `keys` read in ONE parse into `_s`, a STRUCT of
 * VARCHAR fields (strings unescaped, numbers, objects and arrays as their JSON text, like
 * json_extract_string). `_s` is NULL when the record is not a JSON object or not valid JSON; see
 * JSON_STRUCT_UNREADABLE. One from_json() costs ~40% less than json_extract_string() with a list of paths.
 */
export function jsonStructRelation(file: IngestFile, keys: string[], lines: boolean): string {
  const struct = `{${keys.map((k) => `${JSON.stringify(k)}: "VARCHAR"`).join(', ')}}`;
  const base = lines ? jsonlLinesBase(file) : `(SELECT _n, l, ${OBJECT} AS _obj FROM ${jsonRecordsRelation(file)})`;
  return `(SELECT *, CASE WHEN _obj THEN TRY(from_json(l, ${sqlString(struct)})) END AS _s FROM ${base})`;
}

/** Why a record of jsonStructRelation cannot be read at all, else NULL (blank lines are skipped, not read). */
export const JSON_STRUCT_UNREADABLE = `CASE WHEN _s IS NOT NULL THEN NULL
  WHEN _obj OR NOT json_valid(l) THEN 'broken JSON line (not valid JSON)' ELSE 'line is not a JSON object' END`;

/**
 * JSON Lines (one object per line) rather than one JSON document spread over lines: a document starts
 * with `[` or is an object whose first line does not close (`{` alone, pretty-printed). A first line
 * that is broken JSON still means JSON Lines, so the break becomes one reject, not a failed file.
 */
export function isJsonLines(head: string): boolean {
  const lines = head
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0];
  if (!first || first.startsWith('[')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    // Another whole object on a later line means JSON Lines; otherwise it is a multi-line document.
    return lines.slice(1, 20).some((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return isObject(v);
      } catch {
        return false;
      }
    });
  }
}
