// The OpenAI usage dashboard's CSV/TSV exports (costs and completions usage), read as if they were API
// results so one mapping (openai.ts) serves both. Source: ../shared/formats/openai-usage-costs.md,
// "Usage-dashboard export" (columns observed in real exports; no sample file exists).
//
// Quirks handled, as that doc lists them: tab or comma separated (taken from the header line); counts
// written as floats (`59200.0`, read as whole numbers); `batch` as TRUE/FALSE; ISO bounds with `+00:00`;
// days without activity present as rows with only the four time columns and a different number of
// trailing separators — those rows are no charge and no usage, so they are skipped, not rejected.
// csv-parse reads these small files (one row per day and group) with relaxed column counts.
import { parse } from 'csv-parse/sync';
import { JsonNumber } from '../../domain/exact-json.js';
import { parseInstant } from '../../domain/time.js';
import type { Json, PageResult, Reject } from './pages.js';

const COSTS_HEADERS = ['start_time', 'end_time', 'amount_value', 'amount_currency', 'line_item'];
const USAGE_HEADERS = [
  'start_time',
  'end_time',
  'num_model_requests',
  'model',
  'input_tokens',
  'output_tokens',
  'input_cached_tokens',
];

export type ExportKind = 'costs' | 'usage';

function headerLine(head: string): { cells: string[]; delimiter: string } {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = first.includes('\t') ? '\t' : ',';
  return { cells: first.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1')), delimiter };
}

/** Which dashboard export this is, from its header line (exact, case-sensitive column names). */
export function dashboardExportKind(head: string): ExportKind | undefined {
  const cells = new Set(headerLine(head).cells);
  if (COSTS_HEADERS.every((h) => cells.has(h))) return 'costs';
  if (USAGE_HEADERS.every((h) => cells.has(h))) return 'usage';
  return undefined;
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

/** The bucket start as unix seconds: `start_time` when numeric (`1730419200` or `1730419200.0`), else the ISO copy. */
function bucketOf(row: Record<string, string>): Json {
  const numeric = /^(\d{1,11})(\.0+)?$/.exec(row.start_time?.trim() ?? '');
  const iso = (key: string) => {
    const d = parseInstant(row[key] ?? '');
    return d ? new JsonNumber(String(Math.floor(d.getTime() / 1000))) : row[key];
  };
  const endNumeric = /^(\d{1,11})(\.0+)?$/.exec(row.end_time?.trim() ?? '');
  return {
    start_time: numeric ? new JsonNumber(numeric[1]!) : iso('start_time_iso'),
    end_time: endNumeric ? new JsonNumber(endNumeric[1]!) : blank(row.end_time_iso) ? null : iso('end_time_iso'),
  };
}

const orNull = (v: string | undefined) => (blank(v) ? null : v!.trim());

function costResult(row: Record<string, string>): Json {
  return {
    object: 'organization.costs.result',
    amount: { value: orNull(row.amount_value), currency: orNull(row.amount_currency) },
    line_item: orNull(row.line_item),
    project_id: orNull(row.project_id),
    api_key_id: orNull(row.api_key_id),
  };
}

const COUNT_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'input_cached_tokens',
  'input_uncached_tokens',
  'input_cache_write_tokens',
  'num_model_requests',
  'input_audio_tokens',
  'input_image_tokens',
  'output_audio_tokens',
  'output_image_tokens',
];

function usageResult(row: Record<string, string>): Json {
  const result: Json = { object: 'organization.usage.completions.result' };
  for (const c of COUNT_COLUMNS) if (!blank(row[c])) result[c] = row[c]!.trim();
  for (const c of ['project_id', 'user_id', 'api_key_id', 'model', 'service_tier']) result[c] = orNull(row[c]);
  const batch = row.batch?.trim().toUpperCase();
  result.batch = batch === 'TRUE' ? true : batch === 'FALSE' ? false : null;
  return result;
}

/** Rows of a dashboard export as page results (line = the file line of the row). */
export function readDashboardExport(
  text: string,
  kind: ExportKind,
): { results: PageResult[]; rejects: Reject[]; records: number } {
  const { delimiter } = headerLine(text);
  const results: PageResult[] = [];
  const rejects: Reject[] = [];
  let records = 0;
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: true,
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    });
  } catch (e) {
    // A quoting error stops csv-parse; what it names is the one broken place.
    const line = Number((e as { lines?: number }).lines ?? 0);
    return { results, rejects: [{ line, reason: `unreadable CSV: ${(e as Error).message}`, raw: '' }], records: 1 };
  }
  for (const { record, info } of rows) {
    const activity =
      kind === 'costs'
        ? !blank(record.amount_value) || !blank(record.line_item)
        : !blank(record.model) || !blank(record.num_model_requests);
    if (!activity) continue;
    records++;
    results.push({
      where: `line ${info.lines}`,
      line: info.lines,
      bucket: bucketOf(record),
      result: kind === 'costs' ? costResult(record) : usageResult(record),
    });
  }
  return { results, rejects, records };
}
