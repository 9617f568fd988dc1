// Reading provider report pages (OpenAI organization Usage/Costs API, Anthropic Admin usage/cost report):
// `{ data: [ bucket… ], has_more, next_page }` with each bucket holding `results`. A file may hold one
// page, a JSON array of pages, or one page per line (JSONL, as a paging loop appends them). Numbers are
// read with parseJsonExact so amounts keep every digit; pages are small (≤ 180 buckets), so this runs in
// TypeScript and the rows are then bound into `staged` as text and cast by DuckDB.
import { createHash } from 'node:crypto';
import { DataError } from '../../errors.js';
import type { Db, SqlParam } from '../../db/database.js';
import { JsonNumber, parseJsonExact } from '../../domain/exact-json.js';
import { parseDecimal } from '../../domain/money.js';
import { parseInstant, sqlTimestamp } from '../../domain/time.js';
import type { StageResult } from '../types.js';
import { createStaging, insertRejects, insertRows } from './staging.js';

export type Json = Record<string, unknown>;

export interface PageResult {
  /** Where the result sits, for messages: `data[2].results[0]` (prefixed by `line N:` for JSONL). */
  where: string;
  /** Line of the page for JSONL; else the 1-based ordinal of the result in the file. */
  line: number;
  bucket: Json;
  result: Json;
}

export interface Reject {
  line: number;
  reason: string;
  raw: string;
}

/** A field that is wrong in one result: the result becomes a reject with this reason. */
export class RowProblem extends Error {}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

function pagesOf(doc: unknown): unknown[] {
  return Array.isArray(doc) ? doc : [doc];
}

/** Every result of every bucket of every page, plus rejects for broken lines and malformed buckets. */
export function readPages(
  text: string,
  displayPath: string,
): { results: PageResult[]; rejects: Reject[]; records: number } {
  const results: PageResult[] = [];
  const rejects: Reject[] = [];
  let records = 0;
  let ordinal = 0;
  const walk = (page: unknown, prefix: string, pageLine: number | undefined) => {
    const data = isObject(page) ? page.data : undefined;
    if (!Array.isArray(data)) {
      records++;
      rejects.push({
        line: pageLine ?? ++ordinal,
        reason: `${prefix}page has no "data" array`,
        raw: JSON.stringify(page)?.slice(0, 2000) ?? '',
      });
      return;
    }
    data.forEach((bucket, b) => {
      const results_ = isObject(bucket) ? bucket.results : undefined;
      if (!isObject(bucket) || !Array.isArray(results_)) {
        records++;
        rejects.push({
          line: pageLine ?? ++ordinal,
          reason: `${prefix}data[${b}] is not a bucket with a "results" array`,
          raw: rawText(bucket),
        });
        return;
      }
      results_.forEach((result, r) => {
        records++;
        const line = pageLine ?? ++ordinal;
        const where = `${prefix}data[${b}].results[${r}]`;
        if (!isObject(result)) rejects.push({ line, reason: `${where} is not an object`, raw: rawText(result) });
        else results.push({ where, line, bucket, result });
      });
    });
  };

  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = parseJsonExact(text);
  } catch (e) {
    wholeError = e as Error;
  }
  if (!wholeError) {
    for (const [i, page] of pagesOf(whole).entries()) walk(page, Array.isArray(whole) ? `[${i}].` : '', undefined);
    return { results, rejects, records };
  }
  // Not one document: one page per line, where a broken line is one reject and the rest still load.
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  try {
    parseJsonExact(firstLine);
  } catch {
    throw new DataError(
      `${displayPath}: not valid JSON (${wholeError.message}); fix the file or re-download the report page`,
    );
  }
  lines.forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    let page: unknown;
    try {
      page = parseJsonExact(lineText);
    } catch (e) {
      records++;
      rejects.push({ line: i + 1, reason: `broken JSON line: ${(e as Error).message}`, raw: lineText.slice(0, 2000) });
      return;
    }
    walk(page, '', i + 1);
  });
  return { results, rejects, records };
}

/** A value back as compact JSON text with numbers as written (for rejects and tags). */
export function rawText(value: unknown): string {
  const marked = JSON.stringify(value, (_k, v) => (v instanceof JsonNumber ? `\u0000N${v.text}` : v));
  return (marked ?? String(value)).replace(/"\\u0000N([^"]*)"/g, '$1').slice(0, 2000);
}

/** Optional text field: strings as is, numbers as written, booleans as true/false. */
export function text(obj: Json, key: string): string | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'boolean') return String(v);
  throw new RowProblem(`${key} must be a string (got ${rawText(v)})`);
}

const MAX_BIGINT = '9223372036854775807';
/** DECIMAL(38,18) holds 20 integer digits. */
const MONEY_LIMIT = '1e20';

/** A whole, non-negative count; `12.0` is accepted (some clients write counts as floats). Absent → 0. */
export function count(obj: Json, key: string, label = key): string {
  const v = obj[key];
  if (v === null || v === undefined) return '0';
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v.trim() : undefined;
  const d = t === undefined ? undefined : parseDecimal(t);
  if (!d?.isInteger() || d.isNegative()) throw new RowProblem(`${label} ${rawText(v)} must be a whole number ≥ 0`);
  if (d.gt(MAX_BIGINT)) throw new RowProblem(`${label} ${rawText(v)} is too large`);
  return d.toFixed(0);
}

/** An exact decimal from a JSON number or a numeric string; required unless `optional`. */
export function decimal(obj: Json, key: string, label = key, optional = false): string | null {
  const v = obj[key];
  if (v === null || v === undefined) {
    if (optional) return null;
    throw new RowProblem(`${label} is missing`);
  }
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v : undefined;
  const d = t === undefined ? undefined : parseDecimal(t);
  if (!d) throw new RowProblem(`${label} ${rawText(v)} is not a decimal number`);
  if (d.abs().gte(MONEY_LIMIT)) throw new RowProblem(`${label} ${rawText(v)} is too large`);
  return d.toFixed();
}

/** Unix seconds (OpenAI) → naive UTC TIMESTAMP text. */
export function unixSeconds(obj: Json, key: string, label: string): string {
  const v = obj[key];
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v : undefined;
  if (t === undefined || !/^\d{1,11}$/.test(t)) throw new RowProblem(`${label} ${rawText(v)} must be unix seconds`);
  return sqlTimestamp(new Date(Number(t) * 1000));
}

/** RFC 3339 text (Anthropic) → naive UTC TIMESTAMP text. */
export function rfc3339(obj: Json, key: string, label: string, optional = false): string | null {
  const v = obj[key];
  if ((v === null || v === undefined) && optional) return null;
  const d = typeof v === 'string' ? parseInstant(v) : undefined;
  if (!d) throw new RowProblem(`${label} ${rawText(v)} is not an RFC 3339 timestamp (e.g. 2026-03-01T00:00:00Z)`);
  return sqlTimestamp(d);
}

/** A stable short id for an aggregate bucket row: sha256 of its identifying parts. */
export function bucketId(parts: (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}

/**
 * Appends `:N` (the occurrence among rows with the same base key in this file) so two identical
 * aggregates in one file both load, while the same rows in an overlapping file get the same keys.
 */
export function withOccurrence(keys: string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return `${k}:${n}`;
  });
}

/** Drops null values, so tags hold only what the report grouped by. */
export function compactTags(tags: Record<string, string | null>): string | null {
  const kept = Object.fromEntries(Object.entries(tags).filter(([, v]) => v !== null && v !== undefined));
  return Object.keys(kept).length ? JSON.stringify(kept) : null;
}

export const BILLING_CASTS = [
  'VARCHAR',
  'VARCHAR',
  'TIMESTAMP',
  'TIMESTAMP',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'DECIMAL(38,9)',
  'VARCHAR',
  'DECIMAL(38,18)',
  'DECIMAL(38,18)',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'JSON',
  'BIGINT',
];

export interface BillingRow {
  lineKey: string;
  start: string;
  end: string | null;
  provider: string;
  service: string | null;
  model: string | null;
  sku: string | null;
  chargeCategory: string;
  quantity: string | null;
  unit: string | null;
  billed: string;
  list: string | null;
  currency: string;
  tags: string | null;
  line: number;
}

export function billingParams(source: string, r: BillingRow): SqlParam[] {
  return [
    source,
    r.lineKey,
    r.start,
    r.end,
    r.provider,
    r.service,
    r.model,
    r.sku,
    r.chargeCategory,
    r.quantity,
    r.unit,
    r.billed,
    r.list,
    r.currency,
    null,
    null,
    r.tags,
    r.line,
  ];
}

export const USAGE_CASTS = [
  'VARCHAR',
  'VARCHAR',
  'TIMESTAMP',
  'VARCHAR',
  'VARCHAR',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'DECIMAL(18,6)',
  'BIGINT',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'DECIMAL(38,18)',
  'VARCHAR',
  'JSON',
  'BIGINT',
];

export interface UsageRow {
  requestId: string;
  ts: string;
  model: string;
  provider: string;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  cacheWrite1h: string;
  requests: string;
  userId: string | null;
  project: string | null;
  requestType: string | null;
  tags: string | null;
  line: number;
}

export function usageParams(source: string, r: UsageRow): SqlParam[] {
  return [
    source,
    r.requestId,
    r.ts,
    r.model,
    r.provider,
    r.input,
    r.output,
    r.cacheRead,
    r.cacheWrite,
    r.cacheWrite1h,
    r.requests,
    null,
    null,
    'ai_api',
    r.userId,
    null,
    null,
    r.project,
    null,
    null,
    null,
    r.requestType,
    null,
    'USD',
    r.tags,
    r.line,
  ];
}

/**
 * Maps every result with `map`; a RowProblem becomes a reject naming the result's place. Returns the
 * mapped rows; rejects (including the reader's) are written to staged_rejects.
 */
export async function mapResults<T>(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[] },
  map: (p: PageResult) => T,
): Promise<T[]> {
  const rows: T[] = [];
  const rejects = [...read.rejects];
  for (const p of read.results) {
    try {
      rows.push(map(p));
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      rejects.push({ line: p.line, reason: `${p.where}: ${e.message}`, raw: rawText(p.result) });
    }
  }
  await insertRejects(
    db,
    rejects.sort((a, b) => a.line - b.line),
  );
  return rows;
}

export async function insertStaged(db: Db, casts: string[], rows: SqlParam[][]): Promise<void> {
  await insertRows(db, 'staged', casts, rows);
}

/** Stages report results as billing lines: map each result, key repeats apart, insert. */
export async function stageBillingResults(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[]; records: number },
  map: (p: PageResult) => BillingRow,
  source: string,
): Promise<StageResult> {
  await createStaging(db, 'billing');
  const rows = await mapResults(db, read, map);
  const keys = withOccurrence(rows.map((r) => r.lineKey));
  await insertStaged(
    db,
    BILLING_CASTS,
    rows.map((r, i) => billingParams(source, { ...r, lineKey: keys[i]! })),
  );
  return { rowsRead: read.records };
}

/** Stages report results as usage rows (one per bucket and group), with repeat-safe request ids. */
export async function stageUsageResults(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[]; records: number },
  map: (p: PageResult) => UsageRow,
  source: string,
): Promise<StageResult> {
  await createStaging(db, 'usage');
  const rows = await mapResults(db, read, map);
  const ids = withOccurrence(rows.map((r) => r.requestId));
  await insertStaged(
    db,
    USAGE_CASTS,
    rows.map((r, i) => usageParams(source, { ...r, requestId: ids[i]! })),
  );
  return { rowsRead: read.records };
}
