// Reading one field of a report bucket as text the database casts exactly: counts, money, instants, ids.
// A bad value throws RowProblem with the field's name, so the bucket becomes a reject naming it.
import { createHash } from 'node:crypto';
import { JsonNumber } from '../../domain/exact-json.js';
import { parseDecimal } from '../../domain/money.js';
import { COUNT_RULE, instantInRange, instantRangeRule, MAX_COUNT } from '../../domain/ingest-bounds.js';
import { parseInstant, sqlTimestamp } from '../../domain/time.js';
import { type Json, RowProblem, rawText } from './pages.js';

/** Optional text field: strings as is, numbers as written, booleans as true/false. */
export function text(obj: Json, key: string): string | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'boolean') return String(v);
  throw new RowProblem(`${key} must be a string (got ${rawText(v)})`);
}

/** DECIMAL(38,18) holds 20 integer digits. */
const MONEY_LIMIT = '1e20';

/** A whole, non-negative count; `12.0` is accepted (some clients write counts as floats). Absent → 0. */
export function count(obj: Json, key: string, label = key): string {
  const v = obj[key];
  if (v === null || v === undefined) return '0';
  const t = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v.trim() : undefined;
  const d = t === undefined ? undefined : parseDecimal(t);
  if (!d?.isInteger() || d.isNegative()) throw new RowProblem(`${label} ${rawText(v)} must be a whole number ≥ 0`);
  if (d.gt(MAX_COUNT.toString())) throw new RowProblem(`${label} ${rawText(v)} ${COUNT_RULE}`);
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
  return inRange(new Date(Number(t) * 1000), v, label);
}

/** The instant as naive UTC TIMESTAMP text, if inside the accepted range. */
function inRange(d: Date, v: unknown, label: string): string {
  if (!instantInRange(d)) throw new RowProblem(`${label} ${rawText(v)} ${instantRangeRule()}`);
  return sqlTimestamp(d);
}

/** RFC 3339 text (Anthropic) → naive UTC TIMESTAMP text. */
export function rfc3339(obj: Json, key: string, label: string, optional = false): string | null {
  const v = obj[key];
  if ((v === null || v === undefined) && optional) return null;
  const d = typeof v === 'string' ? parseInstant(v) : undefined;
  if (!d) throw new RowProblem(`${label} ${rawText(v)} is not an RFC 3339 timestamp (e.g. 2026-03-01T00:00:00Z)`);
  return inRange(d, v, label);
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
