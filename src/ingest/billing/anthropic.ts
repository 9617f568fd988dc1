// Anthropic Admin API cost report → billing lines (`anthropic-cost`) and messages usage report → usage rows
// (`anthropic-usage`). Source doc: ../shared/formats/anthropic-admin-usage-cost.md (API reference pages
// cost_report/retrieve and usage_report/retrieve_messages). No real sample exists anywhere public;
// fixtures/anthropic/ is built from the documented shape.
//
// anthropic-cost, one result → one billing line:
//   billed_cost ← amount, a decimal STRING in cents: "123.45" → $1.2345, shifted exactly (centsToDollars)
//   charge period ← bucket starting_at/ending_at · currency ← currency · sku ← description · model ← model
//   service 'Claude API' · provider 'anthropic' · charge_category 'Usage'
//   tags ← workspace_id, cost_type, token_type, service_tier, context_window
//   line_key ← bucket start + hash of every grouping field + occurrence in the file
// anthropic-usage, one result (an aggregate) → one usage row:
//   ts ← bucket starting_at · model ← model (required: group_by[]=model)
//   input_tokens ← uncached_input_tokens · cache_read_tokens ← cache_read_input_tokens
//   cache_write_tokens ← cache_creation.ephemeral_5m_input_tokens
//   cache_write_1h_tokens ← cache_creation.ephemeral_1h_input_tokens · output_tokens ← output_tokens
//   requests ← 0: the report has no request count
//   web_search_calls ← server_tool_use.web_search_requests (also kept in tags.web_search_requests)
//   service_tier ← service_tier · speed ← speed (`fast` is priced by the fast/ entries)
//   region ← inference_geo, as every Anthropic adapter reads it (regionOfInferenceGeo: not_available → none)
//   (present only when the report was grouped by them; an unknown value is stored and warned about by ingest)
//   (the newer Analytics API's items, `{group, usage}` rather than `results`, are not read by this adapter)
//   user_id ← account_id · project ← workspace_id · request_type 'batch' when service_tier is batch
//   tags ← api_key_id, service_account_id, service_tier, context_window, inference_geo, speed
//   request_id ← bucket start + hash of every grouping field + occurrence, so re-ingest adds nothing.
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/database.js';
import { JsonNumber } from '../../domain/exact-json.js';
import { Decimal, parseDecimal } from '../../domain/money.js';
import { regionOfInferenceGeo } from '../../domain/model-names.js';
import type { Adapter, IngestFile, StageResult } from '../types.js';
import { RowProblem, readPages, type Json, type PageResult } from './pages.js';
import { type BillingRow, type UsageRow, stageBillingResults, stageUsageResults } from './page-rows.js';
import { bucketId, compactTags, count, rfc3339, text } from './page-fields.js';
import { rawText } from './pages.js';

const BUCKETS = /"starting_at"\s*:/;
const RESULTS = /"results"\s*:/;
const COST_RESULT = /"amount"\s*:/;
const USAGE_RESULT = /"uncached_input_tokens"\s*:/;

/** Cents as decimal text → dollars, by an exact decimal shift ("123.45" → "1.2345"). */
export function centsToDollars(cents: string): string | undefined {
  const d = parseDecimal(cents);
  return d ? d.times(new Decimal('0.01')).toFixed() : undefined;
}

function costRow(p: PageResult): BillingRow {
  const { bucket, result } = p;
  const start = rfc3339(bucket, 'starting_at', 'bucket starting_at')!;
  const end = rfc3339(bucket, 'ending_at', 'bucket ending_at', true);
  const amount = result.amount;
  const amountText = typeof amount === 'string' ? amount : amount instanceof JsonNumber ? amount.text : undefined;
  if (amount === undefined || amount === null) throw new RowProblem('amount is missing');
  const billed = amountText === undefined ? undefined : centsToDollars(amountText);
  if (billed === undefined)
    throw new RowProblem(`amount ${rawText(amount)} is not a decimal number of cents such as "123.45"`);
  const g = {
    workspace_id: text(result, 'workspace_id'),
    description: text(result, 'description'),
    cost_type: text(result, 'cost_type'),
    token_type: text(result, 'token_type'),
    model: text(result, 'model'),
    service_tier: text(result, 'service_tier'),
    context_window: text(result, 'context_window'),
  };
  return {
    lineKey: `anthropic-cost:${start.slice(0, 10)}:${bucketId([start, ...Object.values(g)])}`,
    start,
    end,
    provider: 'anthropic',
    service: 'Claude API',
    model: g.model,
    sku: g.description,
    chargeCategory: 'Usage',
    quantity: null,
    unit: null,
    billed,
    list: null,
    currency: (text(result, 'currency') ?? 'USD').toUpperCase(),
    tags: compactTags({
      workspace_id: g.workspace_id,
      cost_type: g.cost_type,
      token_type: g.token_type,
      service_tier: g.service_tier,
      context_window: g.context_window,
    }),
    line: p.line,
  };
}

const nested = (obj: Json, key: string): Json => {
  const v = obj[key];
  return typeof v === 'object' && v !== null && !(v instanceof JsonNumber) && !Array.isArray(v) ? (v as Json) : {};
};

function usageRow(p: PageResult): UsageRow {
  const { bucket, result } = p;
  const ts = rfc3339(bucket, 'starting_at', 'bucket starting_at')!;
  const model = text(result, 'model');
  if (!model) throw new RowProblem('model is missing (request the usage report with group_by[]=model)');
  const cache = nested(result, 'cache_creation');
  const tools = nested(result, 'server_tool_use');
  const g = {
    api_key_id: text(result, 'api_key_id'),
    workspace_id: text(result, 'workspace_id'),
    account_id: text(result, 'account_id'),
    service_account_id: text(result, 'service_account_id'),
    service_tier: text(result, 'service_tier'),
    context_window: text(result, 'context_window'),
    inference_geo: text(result, 'inference_geo'),
    speed: text(result, 'speed'),
  };
  const webSearches = count(tools, 'web_search_requests', 'server_tool_use.web_search_requests');
  return {
    requestId: `anthropic-usage:${ts.slice(0, 10)}:${bucketId([ts, model, ...Object.values(g)])}`,
    ts,
    model,
    provider: 'anthropic',
    input: count(result, 'uncached_input_tokens'),
    output: count(result, 'output_tokens'),
    cacheRead: count(result, 'cache_read_input_tokens'),
    cacheWrite: count(cache, 'ephemeral_5m_input_tokens', 'cache_creation.ephemeral_5m_input_tokens'),
    cacheWrite1h: count(cache, 'ephemeral_1h_input_tokens', 'cache_creation.ephemeral_1h_input_tokens'),
    requests: '0',
    userId: g.account_id,
    project: g.workspace_id,
    requestType: g.service_tier === 'batch' ? 'batch' : null,
    tags: compactTags({
      api_key_id: g.api_key_id,
      service_account_id: g.service_account_id,
      service_tier: g.service_tier,
      context_window: g.context_window,
      inference_geo: g.inference_geo,
      speed: g.speed,
      web_search_requests: webSearches === '0' ? null : webSearches,
    }),
    line: p.line,
    served: {
      webSearchCalls: webSearches,
      serviceTier: g.service_tier,
      speed: g.speed,
      region: regionOfInferenceGeo(g.inference_geo),
    },
  };
}

async function stageCost(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  return stageBillingResults(db, readPages(readFileSync(file.localPath, 'utf8'), file.displayPath), costRow, source);
}

async function stageUsage(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  return stageUsageResults(db, readPages(readFileSync(file.localPath, 'utf8'), file.displayPath), usageRow, source);
}

export const anthropicCostAdapter: Adapter = {
  format: 'anthropic-cost',
  kind: 'billing',
  description: 'Anthropic Admin API cost report pages (JSON, amounts in cents) → billing lines',
  detect: (file) =>
    BUCKETS.test(file.head) && RESULTS.test(file.head) && COST_RESULT.test(file.head) && !USAGE_RESULT.test(file.head),
  stage: (db, file, options) => stageCost(db, file, options.source),
};

export const anthropicUsageAdapter: Adapter = {
  format: 'anthropic-usage',
  kind: 'usage',
  restatesUsage: true,
  description: 'Anthropic Admin API messages usage report pages (JSON) → usage rows (one per bucket and group)',
  detect: (file) => BUCKETS.test(file.head) && RESULTS.test(file.head) && USAGE_RESULT.test(file.head),
  stage: (db, file, options) => stageUsage(db, file, options.source),
};
