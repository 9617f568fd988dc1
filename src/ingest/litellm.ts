// LiteLLM proxy spend logs (../shared/formats/litellm-spend-logs.md): the LiteLLM_SpendLogs table exported
// as CSV or JSON, the same records as JSON Lines (what its logging callbacks emit), and the per-request
// StandardLoggingPayload. `spend` / `response_cost` is LiteLLM's own figure: kept as reported_cost.
//
// Tokens: prompt_tokens includes prompt-cache reads (OpenAI's prompt_tokens_details.cached_tokens,
// Anthropic's cache_read_input_tokens) and cache writes; they are split out of it so every token is
// priced once at its own rate. Times are UTC without offset (`2025-01-24 09:20:46.847371`).
//
// The usage object (LiteLLM's OpenAI-shaped Usage) also says what the provider bills beyond text tokens:
// completion_tokens_details.{reasoning,audio,image}_tokens are parts of completion_tokens;
// prompt_tokens_details.{audio,image}_tokens parts of prompt_tokens; Anthropic's server-side web searches
// sit in server_tool_use (or, as LiteLLM moves them, prompt_tokens_details).web_search_requests. The log
// states no tier, speed or region, so those columns stay empty.
import type { Db } from '../db/database.js';
import { csvHeader, openCsvSource, stageCsvUsage } from './csv-source.js';
import { JSONL_UNREADABLE, isJsonLines, jsonRecordsExtractRelation, jsonlExtractRelation } from './jsonl-source.js';
import { sqlString } from '../db/sql.js';
import type { Adapter, IngestFile, StageOptions, StageResult } from './types.js';
import { stageUsageRows } from './validate-usage.js';

/** Top-level fields read from a record (SpendLogs names; StandardLoggingPayload names as fallbacks). */
const TOP = [
  'request_id',
  'id',
  'startTime',
  'model',
  'model_group',
  'custom_llm_provider',
  'prompt_tokens',
  'completion_tokens',
  'spend',
  'response_cost',
  'user',
  'end_user',
  'team_id',
  'organization_id',
  'session_id',
  'trace_id',
  'call_type',
  'api_key',
  'cache_hit',
  'status',
  'model_id',
  'metadata',
  'request_tags',
] as const;
type Top = (typeof TOP)[number];

/** Inside `metadata` (a JSON string in SpendLogs, an object in the logging payload). */
const META = {
  cached: '$.usage_object.prompt_tokens_details.cached_tokens',
  cacheRead: '$.usage_object.cache_read_input_tokens',
  cacheWrite: '$.usage_object.cache_creation_input_tokens',
  reasoning: '$.usage_object.completion_tokens_details.reasoning_tokens',
  audioOut: '$.usage_object.completion_tokens_details.audio_tokens',
  imageOut: '$.usage_object.completion_tokens_details.image_tokens',
  audioIn: '$.usage_object.prompt_tokens_details.audio_tokens',
  imageIn: '$.usage_object.prompt_tokens_details.image_tokens',
  webSearch: '$.usage_object.server_tool_use.web_search_requests',
  webSearchInPrompt: '$.usage_object.prompt_tokens_details.web_search_requests',
  projectId: '$.user_api_key_project_id',
  orgId: '$.user_api_key_org_id',
  userId: '$.user_api_key_user_id',
  teamAlias: '$.user_api_key_team_alias',
  keyAlias: '$.user_api_key_alias',
  keyHash: '$.user_api_key_hash',
} as const;
type Meta = keyof typeof META;
const META_KEYS = Object.keys(META) as Meta[];

const HEAD_MARKERS = /"startTime"\s*:/;

export function looksLikeLiteLlm(file: IngestFile): boolean {
  const head = file.head.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    return HEAD_MARKERS.test(head) && /"(spend|response_cost|call_type)"\s*:/.test(head);
  }
  const header = csvHeader(file.head).map((h) => h.toLowerCase());
  return (
    header.includes('request_id') &&
    header.includes('starttime') &&
    (header.includes('spend') || header.includes('call_type'))
  );
}

/** Native fields from `get(top-level name)` (text SQL) and `_m[i]` (metadata values). */
function fieldsFrom(get: (name: Top) => string): Record<string, string> {
  const m = (k: Meta) => `_m[${META_KEYS.indexOf(k) + 1}]`;
  const nz = (e: string) => `nullif(trim(${e}), '')`;
  const n = (e: string) => `coalesce(TRY_CAST(${e} AS BIGINT), 0)`;
  const cacheRead = `coalesce(TRY_CAST(${m('cacheRead')} AS BIGINT), TRY_CAST(${m('cached')} AS BIGINT), 0)`;
  const cacheWrite = `coalesce(TRY_CAST(${m('cacheWrite')} AS BIGINT), 0)`;
  const prompt = get('prompt_tokens');
  // A prompt count that is not a whole number stays as written, so validation rejects the row by name.
  const input = `CASE WHEN regexp_full_match(trim(${prompt}), '\\d{1,18}') THEN greatest(${n(prompt)} - ${cacheRead} - ${cacheWrite}, 0)::VARCHAR ELSE ${prompt} END`;
  // prompt_tokens_details counts the prompt's audio/image tokens, cached ones possibly among them, and those
  // are already cache reads: the uncached part is at most the input, so a row with cached audio is not
  // rejected as a breakdown above its total. A value that is not a count stays as written for validation.
  const inputPart = (e: string) =>
    `CASE WHEN regexp_full_match(trim(${e}), '\\d{1,18}') AND TRY_CAST(${input} AS BIGINT) IS NOT NULL THEN least(TRY_CAST(${e} AS BIGINT), TRY_CAST(${input} AS BIGINT))::VARCHAR ELSE ${e} END`;
  const tag = (name: string, expr: string) => `struct_pack(k := '${name}', v := to_json(${expr}))`;
  return {
    request_id: `coalesce(${nz(get('request_id'))}, ${nz(get('id'))})`,
    timestamp: get('startTime'),
    model: `coalesce(${nz(get('model'))}, ${nz(get('model_group'))})`,
    provider: nz(get('custom_llm_provider')),
    input_tokens: input,
    output_tokens: get('completion_tokens'),
    cache_read_tokens: `${cacheRead}::VARCHAR`,
    cache_write_tokens: `${cacheWrite}::VARCHAR`,
    reasoning_tokens: m('reasoning'),
    audio_output_tokens: m('audioOut'),
    image_output_tokens: m('imageOut'),
    audio_input_tokens: inputPart(m('audioIn')),
    image_input_tokens: inputPart(m('imageIn')),
    web_search_calls: `coalesce(${m('webSearch')}, ${m('webSearchInPrompt')})`,
    user_id: `coalesce(${nz(get('user'))}, ${nz(get('end_user'))}, ${nz(m('userId'))})`,
    department: `coalesce(${nz(m('teamAlias'))}, ${nz(get('team_id'))})`,
    organization: `coalesce(${nz(get('organization_id'))}, ${nz(m('orgId'))})`,
    project: nz(m('projectId')),
    session_id: `coalesce(${nz(get('session_id'))}, ${nz(get('trace_id'))})`,
    request_type: nz(get('call_type')),
    reported_cost: `coalesce(${nz(get('spend'))}, ${nz(get('response_cost'))})`,
    tags: `to_json(map_from_entries(list_filter([
        ${tag('api_key_hash', `coalesce(${nz(get('api_key'))}, ${nz(m('keyHash'))})`)}, ${tag('key_alias', nz(m('keyAlias')))},
        ${tag('model_group', nz(get('model_group')))}, ${tag('model_id', nz(get('model_id')))},
        ${tag('cache_hit', `CASE WHEN ${get('cache_hit')} IN ('True', 'true') THEN true END`)}, ${tag('status', nz(get('status')))},
        ${tag('team_id', nz(get('team_id')))}, ${tag('request_tags', `CASE WHEN ${get('request_tags')} NOT IN ('[]', '') THEN ${get('request_tags')} END`)}
      ], e -> e.v IS NOT NULL AND e.v::VARCHAR <> 'null')))`,
  };
}

const LABELS = {
  timestamp: 'startTime',
  input_tokens: 'prompt_tokens',
  output_tokens: 'completion_tokens',
  reported_cost: 'spend',
  reasoning_tokens: 'completion_tokens_details.reasoning_tokens',
  audio_output_tokens: 'completion_tokens_details.audio_tokens',
  image_output_tokens: 'completion_tokens_details.image_tokens',
  audio_input_tokens: 'prompt_tokens_details.audio_tokens',
  image_input_tokens: 'prompt_tokens_details.image_tokens',
  web_search_calls: 'server_tool_use.web_search_requests',
};

const metaList = (metaText: string) =>
  `TRY(json_extract_string(CASE WHEN starts_with(ltrim(${metaText}), '{') THEN ${metaText} END, [${META_KEYS.map((k) => sqlString(META[k])).join(', ')}]))`;

async function stageJson(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const paths = TOP.map((t) => `$.${t}`);
  const records = isJsonLines(file.head) ? jsonlExtractRelation(file, paths) : jsonRecordsExtractRelation(file, paths);
  const x = (t: Top) => `_x[${TOP.indexOf(t) + 1}]`;
  const { rowsRead } = await stageUsageRows(db, {
    from: `(SELECT *, ${metaList(x('metadata'))} AS _m FROM ${records})`,
    ordinal: '_n',
    unreadable: JSONL_UNREADABLE,
    fields: fieldsFrom(x),
    labels: LABELS,
    raw: 'l',
    source: options.source,
  });
  return { rowsRead };
}

async function stageCsv(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const csv = await openCsvSource(db, file);
  const get = (t: Top) => csv.column(t) ?? 'NULL::VARCHAR';
  return stageCsvUsage(db, file, csv, {
    from: `(SELECT *, ${metaList(get('metadata'))} AS _m FROM ${csv.relation})`,
    fields: fieldsFrom(get),
    labels: LABELS,
    source: options.source,
  });
}

export const liteLlmAdapter: Adapter = {
  format: 'litellm',
  kind: 'usage',
  description: 'LiteLLM spend logs: SpendLogs table as CSV/JSON/JSONL, or StandardLoggingPayload records',
  detect: looksLikeLiteLlm,
  stage: (db, file, options) =>
    /^\s*[[{]/.test(file.head) ? stageJson(db, file, options) : stageCsv(db, file, options),
};
