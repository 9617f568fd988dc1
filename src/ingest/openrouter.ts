// OpenRouter (../shared/formats/openrouter.md): the activity page's CSV export (one row per generation)
// and Generation API records (`{"data": {...}}` per generation, as JSON Lines or a JSON array).
// No real export with a citable origin exists; fixtures/openrouter/ is built from the documented columns.
//
// Prompt counts include cached prompt tokens, so input = prompt - cached and cached is priced as a cache
// read. Generation records are billed on the provider's native counts, as OpenRouter advises.
// `cost_total` / `total_cost` is OpenRouter's own charge: kept as reported_cost.
// Reasoning tokens (billed inside the completion count) are its reasoning_tokens breakdown; a generation
// record's image output tokens and the service_tier it was served at fill those columns too. Media and
// search-result counts are not mapped: they count items, not the tokens or search calls the columns hold.
import type { Db } from '../db/database.js';
import { csvHeader, openCsvSource, stageCsvUsage } from './csv-source.js';
import { JSONL_UNREADABLE, isJsonLines, jsonRecordsExtractRelation, jsonlExtractRelation } from './jsonl-source.js';
import type { Adapter, IngestFile, StageOptions, StageResult } from './types.js';
import { stageUsageRows } from './validate-usage.js';

export function looksLikeOpenRouter(file: IngestFile): boolean {
  const head = file.head.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    return /"id"\s*:\s*"gen-/.test(head) && /"(native_)?tokens_prompt"\s*:/.test(head);
  }
  const header = csvHeader(file.head).map((h) => h.toLowerCase());
  return header.includes('generation_id') && header.includes('created_at') && header.includes('cost_total');
}

const tag = (name: string, expr: string) => `struct_pack(k := '${name}', v := to_json(${expr}))`;
const tagsOf = (pairs: [string, string][]) =>
  `to_json(map_from_entries(list_filter([${pairs.map(([k, e]) => tag(k, e)).join(', ')}], e -> e.v IS NOT NULL AND e.v::VARCHAR <> 'null')))`;
const nz = (e: string) => `nullif(trim(${e}), '')`;
const bool = (e: string) => `CASE lower(trim(${e})) WHEN 'true' THEN true WHEN 'false' THEN false END`;

/** input = prompt - cached when both are counts; otherwise the prompt text as written (validation names it). */
function inputTokens(prompt: string, cached: string): string {
  return `CASE WHEN regexp_full_match(trim(${prompt}), '\\d{1,18}') THEN greatest(TRY_CAST(${prompt} AS BIGINT) - coalesce(TRY_CAST(${cached} AS BIGINT), 0), 0)::VARCHAR ELSE ${prompt} END`;
}

async function stageCsv(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const csv = await openCsvSource(db, file);
  const c = (name: string) => csv.column(name) ?? 'NULL::VARCHAR';
  return stageCsvUsage(db, file, csv, {
    from: csv.relation,
    fields: {
      request_id: c('generation_id'),
      timestamp: c('created_at'),
      model: c('model_permaslug'),
      provider: `nullif(split_part(${c('model_permaslug')}, '/', 1), ${c('model_permaslug')})`,
      input_tokens: inputTokens(c('tokens_prompt'), c('tokens_cached')),
      output_tokens: c('tokens_completion'),
      cache_read_tokens: c('tokens_cached'),
      reasoning_tokens: c('tokens_reasoning'),
      user_id: nz(c('user')),
      project: nz(c('app_name')),
      reported_cost: c('cost_total'),
      tags: tagsOf([
        ['provider_name', nz(c('provider_name'))],
        ['variant', nz(c('variant'))],
        ['api_key_name', nz(c('api_key_name'))],
        ['cancelled', bool(c('cancelled'))],
        ['streamed', bool(c('streamed'))],
        ['tokens_reasoning', `TRY_CAST(${c('tokens_reasoning')} AS BIGINT)`],
        ['cost_web_search', nz(c('cost_web_search'))],
        ['cost_cache', nz(c('cost_cache'))],
        ['byok_usage_inference', nz(c('byok_usage_inference'))],
      ]),
    },
    labels: {
      request_id: 'generation_id',
      timestamp: 'created_at',
      model: 'model_permaslug',
      input_tokens: 'tokens_prompt',
      output_tokens: 'tokens_completion',
      cache_read_tokens: 'tokens_cached',
      reasoning_tokens: 'tokens_reasoning',
      reported_cost: 'cost_total',
    },
    source: options.source,
  });
}

const GENERATION_FIELDS = [
  'id',
  'created_at',
  'model',
  'total_cost',
  'native_tokens_prompt',
  'native_tokens_completion',
  'native_tokens_cached',
  'native_tokens_reasoning',
  'native_tokens_completion_images',
  'service_tier',
  'tokens_prompt',
  'tokens_completion',
  'provider_name',
  'external_user',
  'app_id',
  'origin',
  'streamed',
  'cancelled',
  'is_byok',
  'upstream_inference_cost',
  'cache_discount',
  'api_type',
] as const;
type GenField = (typeof GENERATION_FIELDS)[number];

async function stageJson(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  // Each record is either the API response `{"data": {...}}` or the bare generation object.
  const paths = GENERATION_FIELDS.flatMap((f) => [`$.data.${f}`, `$.${f}`]);
  const records = isJsonLines(file.head) ? jsonlExtractRelation(file, paths) : jsonRecordsExtractRelation(file, paths);
  const g = (f: GenField) => {
    const i = GENERATION_FIELDS.indexOf(f) * 2;
    return `coalesce(_x[${i + 1}], _x[${i + 2}])`;
  };
  const { rowsRead } = await stageUsageRows(db, {
    from: records,
    ordinal: '_n',
    unreadable: JSONL_UNREADABLE,
    fields: {
      request_id: g('id'),
      timestamp: g('created_at'),
      model: g('model'),
      provider: `nullif(split_part(${g('model')}, '/', 1), ${g('model')})`,
      input_tokens: inputTokens(
        `coalesce(${g('native_tokens_prompt')}, ${g('tokens_prompt')})`,
        g('native_tokens_cached'),
      ),
      output_tokens: `coalesce(${g('native_tokens_completion')}, ${g('tokens_completion')})`,
      cache_read_tokens: g('native_tokens_cached'),
      reasoning_tokens: g('native_tokens_reasoning'),
      image_output_tokens: g('native_tokens_completion_images'),
      service_tier: g('service_tier'),
      user_id: nz(g('external_user')),
      project: nz(g('origin')),
      reported_cost: g('total_cost'),
      tags: tagsOf([
        ['provider_name', nz(g('provider_name'))],
        ['app_id', nz(g('app_id'))],
        ['api_type', nz(g('api_type'))],
        ['is_byok', bool(g('is_byok'))],
        ['streamed', bool(g('streamed'))],
        ['cancelled', bool(g('cancelled'))],
        ['native_tokens_reasoning', `TRY_CAST(${g('native_tokens_reasoning')} AS BIGINT)`],
        ['upstream_inference_cost', nz(g('upstream_inference_cost'))],
        ['cache_discount', nz(g('cache_discount'))],
      ]),
    },
    labels: {
      timestamp: 'created_at',
      input_tokens: 'native_tokens_prompt',
      output_tokens: 'native_tokens_completion',
      cache_read_tokens: 'native_tokens_cached',
      reasoning_tokens: 'native_tokens_reasoning',
      image_output_tokens: 'native_tokens_completion_images',
      reported_cost: 'total_cost',
    },
    raw: 'l',
    source: options.source,
  });
  return { rowsRead };
}

export const openRouterAdapter: Adapter = {
  format: 'openrouter',
  kind: 'usage',
  description: 'OpenRouter activity CSV export or Generation API records',
  detect: looksLikeOpenRouter,
  stage: (db, file, options) =>
    /^\s*[[{]/.test(file.head) ? stageJson(db, file, options) : stageCsv(db, file, options),
};
