import { DataError } from '../../errors.js';
import { JsonNumber, parseJsonExact } from '../../domain/exact-json.js';

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
