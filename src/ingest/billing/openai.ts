// OpenAI organization Costs API pages → billing lines (`openai-costs`) and Usage API pages → usage rows
// (`openai-usage`). Source doc: ../shared/formats/openai-usage-costs.md (openai/openai-openapi schemas
// CostsResult, UsageCompletionsResult, …). No real sample exists; fixtures/openai/ is built from the doc.
// The dashboard's CSV/TSV exports of the same data are read by openai-export.ts into the same shape.
//
// openai-costs, one result → one billing line:
//   charge period ← bucket start_time/end_time (unix s) · billed_cost ← amount.value (dollars, exact text)
//   currency ← upper(amount.currency) · sku ← line_item · quantity/unit ← quantity/quantity_unit
//   model ← the model part of line_item when it reads "<model>, <token kind>" (e.g. "gpt-4o-mini, input")
//   tags ← project_id, api_key_id · provider 'openai', service 'OpenAI API', charge_category 'Usage'
//   line_key ← bucket start + hash(project, api key, line item) + occurrence in the file
// openai-usage, one result (an aggregate of many requests) → one usage row:
//   ts ← bucket start_time · model ← model (required: export with group_by=model)
//   input_tokens ← input_uncached_tokens, else input_tokens − input_cached_tokens − input_cache_write_tokens
//   cache_read_tokens ← input_cached_tokens · cache_write_tokens ← input_cache_write_tokens
//   output_tokens ← output_tokens · requests ← num_model_requests · user_id ← user_id · project ← project_id
//   request_type ← 'batch' when batch is true, 'embedding'/'moderation' for those endpoints
//   audio_input_tokens ← input_audio_tokens, image_input_tokens ← input_image_tokens (both the UNCACHED
//   parts, per the schema, so parts of input_tokens above; cached audio/image are in input_cached_tokens)
//   audio_output_tokens ← output_audio_tokens · image_output_tokens ← output_image_tokens
//   service_tier ← 'batch' when batch is true (the Batch API's rates, whatever tier the bucket names), else
//   service_tier as given (default/flex/priority/scale; an unknown one is stored and warned about by ingest)
//   tags ← api_key_id, service_tier · request_id ← bucket start + hash of every grouping field + occurrence,
//   so re-ingesting a page (or an overlapping one) adds nothing.
import { readFileSync } from 'node:fs';
import { Decimal } from '../../domain/money.js';
import type { Db } from '../../db/database.js';
import type { Adapter, IngestFile, StageResult } from '../types.js';
import { RowProblem, readPages, type Json, type PageResult } from './pages.js';
import {
  type BillingRow,
  type UsageRow,
  checkBreakdowns,
  stageBillingResults,
  stageUsageResults,
} from './page-rows.js';
import { bucketId, compactTags, count, decimal, text, unixSeconds } from './page-fields.js';
import { dashboardExportKind, readDashboardExport, type ExportKind } from './openai-export.js';

const PAGE = /"object"\s*:\s*"page"/;
const COSTS_RESULT = /"object"\s*:\s*"organization\.costs\.result"/;
const USAGE_RESULT = /"object"\s*:\s*"organization\.usage\.[a-z_]+\.result"/;

/** "gpt-4o-mini, input" → gpt-4o-mini; free text such as "Web search tool calls" → null. */
export function modelFromLineItem(lineItem: string | null): string | null {
  const m = lineItem ? /^([A-Za-z0-9][\w.:/-]*),\s*\S/.exec(lineItem.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}

function costRow(p: PageResult): BillingRow {
  const { bucket, result } = p;
  const start = unixSeconds(bucket, 'start_time', 'bucket start_time');
  const end =
    bucket.end_time === undefined || bucket.end_time === null
      ? null
      : unixSeconds(bucket, 'end_time', 'bucket end_time');
  const amount = result.amount;
  if (typeof amount !== 'object' || amount === null) throw new RowProblem('amount is missing');
  const billed = decimal(amount as Json, 'value', 'amount.value')!;
  const currency = (text(amount as Json, 'currency') ?? 'usd').toUpperCase();
  const lineItem = text(result, 'line_item');
  const project = text(result, 'project_id');
  const apiKey = text(result, 'api_key_id');
  return {
    lineKey: `openai-costs:${start.slice(0, 10)}:${bucketId([start, project, apiKey, lineItem])}`,
    start,
    end,
    provider: 'openai',
    service: 'OpenAI API',
    model: modelFromLineItem(lineItem),
    sku: lineItem,
    chargeCategory: 'Usage',
    quantity: decimal(result, 'quantity', 'quantity', true),
    unit: text(result, 'quantity_unit'),
    billed,
    list: null,
    currency,
    tags: compactTags({ project_id: project, api_key_id: apiKey }),
    line: p.line,
  };
}

const USAGE_KINDS: Record<string, string | null> = {
  'organization.usage.completions.result': null,
  'organization.usage.embeddings.result': 'embedding',
  'organization.usage.moderations.result': 'moderation',
};

function usageRow(p: PageResult): UsageRow {
  const { bucket, result } = p;
  const kind = text(result, 'object') ?? '';
  if (!(kind in USAGE_KINDS)) {
    throw new RowProblem(
      `"${kind}" is not token usage (only completions, embeddings and moderations results load as usage rows)`,
    );
  }
  const ts = unixSeconds(bucket, 'start_time', 'bucket start_time');
  const model = text(result, 'model');
  if (!model) throw new RowProblem('model is missing (request the usage report with group_by=model)');
  const total = count(result, 'input_tokens');
  const cached = count(result, 'input_cached_tokens');
  const cacheWrite = count(result, 'input_cache_write_tokens');
  let input: string;
  const uncachedGiven = result.input_uncached_tokens !== undefined && result.input_uncached_tokens !== null;
  if (uncachedGiven) {
    input = count(result, 'input_uncached_tokens');
  } else {
    const uncached = new Decimal(total).minus(cached).minus(cacheWrite);
    if (uncached.isNegative())
      throw new RowProblem(`input_cached_tokens + input_cache_write_tokens exceed input_tokens ${total}`);
    input = uncached.toFixed(0);
  }
  const batch = result.batch === true ? true : result.batch === false ? false : null;
  const fields = {
    project_id: text(result, 'project_id'),
    user_id: text(result, 'user_id'),
    api_key_id: text(result, 'api_key_id'),
    service_tier: text(result, 'service_tier'),
  };
  const output = count(result, 'output_tokens');
  const served = {
    audioInput: count(result, 'input_audio_tokens'),
    imageInput: count(result, 'input_image_tokens'),
    audioOutput: count(result, 'output_audio_tokens'),
    imageOutput: count(result, 'output_image_tokens'),
    serviceTier: batch ? 'batch' : fields.service_tier,
  };
  checkBreakdowns(
    { input, output, served },
    {
      inputTokens: uncachedGiven ? 'input_uncached_tokens' : 'uncached input_tokens',
      outputTokens: 'output_tokens',
      audioInputTokens: 'input_audio_tokens',
      imageInputTokens: 'input_image_tokens',
      audioOutputTokens: 'output_audio_tokens',
      imageOutputTokens: 'output_image_tokens',
    },
  );
  return {
    requestId: `openai-usage:${ts.slice(0, 10)}:${bucketId([kind, ts, model, fields.project_id, fields.user_id, fields.api_key_id, String(batch), fields.service_tier])}`,
    ts,
    model,
    provider: 'openai',
    input,
    output,
    cacheRead: cached,
    cacheWrite,
    cacheWrite1h: '0',
    requests: count(result, 'num_model_requests'),
    userId: fields.user_id,
    project: fields.project_id,
    requestType: USAGE_KINDS[kind] ?? (batch ? 'batch' : null),
    tags: compactTags({ api_key_id: fields.api_key_id, service_tier: fields.service_tier }),
    line: p.line,
    served,
  };
}

/** API pages (JSON/JSONL) or the dashboard's CSV/TSV export of the same data. */
function readReport(file: IngestFile, kind: ExportKind) {
  const text = readFileSync(file.localPath, 'utf8');
  return dashboardExportKind(file.head) === kind ? readDashboardExport(text, kind) : readPages(text, file.displayPath);
}

async function stageCosts(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  return stageBillingResults(db, readReport(file, 'costs'), costRow, source);
}

async function stageUsage(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  return stageUsageResults(db, readReport(file, 'usage'), usageRow, source);
}

export const openaiCostsAdapter: Adapter = {
  format: 'openai-costs',
  kind: 'billing',
  description: 'OpenAI organization Costs API pages (JSON) or the dashboard costs export (CSV/TSV) → billing lines',
  detect: (file) =>
    (PAGE.test(file.head) && COSTS_RESULT.test(file.head)) || dashboardExportKind(file.head) === 'costs',
  stage: (db, file, options) => stageCosts(db, file, options.source),
};

export const openaiUsageAdapter: Adapter = {
  format: 'openai-usage',
  kind: 'usage',
  restatesUsage: true,
  description: 'OpenAI organization Usage API pages (JSON) or the dashboard completions export (CSV/TSV) → usage rows',
  detect: (file) =>
    (PAGE.test(file.head) && USAGE_RESULT.test(file.head) && !COSTS_RESULT.test(file.head)) ||
    dashboardExportKind(file.head) === 'usage',
  stage: (db, file, options) => stageUsage(db, file, options.source),
};
