// Claude Code session logs (~/.claude/projects/**/*.jsonl, sub-agent files included); see
// ../shared/formats/claude-code-jsonl.md. Only lines with message.usage are requests. One API response
// is written as several lines sharing message.id + requestId with growing output_tokens: they fold into
// ONE row carrying the largest count of each kind (the final usage), timed and numbered by its first line.
// `<synthetic>` messages are generated locally, never billed, and are not rows. A sub-agent's responses
// repeated in the parent's agent_progress lines are read too (PROGRESS_PATHS), stored once.
import type { Db } from '../db/database.js';
import { JSONL_UNREADABLE, headJsonLines, isObject, jsonlExtractRelation } from './jsonl-source.js';
import type { Adapter, IngestFile, StageOptions, StageResult } from './types.js';
import { stageUsageRows } from './validate-usage.js';

const PATHS = {
  timestamp: '$.timestamp',
  sessionId: '$.sessionId',
  requestId: '$.requestId',
  messageId: '$.message.id',
  model: '$.message.model',
  usage: '$.message.usage',
  input: '$.message.usage.input_tokens',
  output: '$.message.usage.output_tokens',
  cacheRead: '$.message.usage.cache_read_input_tokens',
  cacheCreation: '$.message.usage.cache_creation_input_tokens',
  cache5m: '$.message.usage.cache_creation.ephemeral_5m_input_tokens',
  cache1h: '$.message.usage.cache_creation.ephemeral_1h_input_tokens',
  cwd: '$.cwd',
  costUSD: '$.costUSD',
  isSidechain: '$.isSidechain',
  agentId: '$.agentId',
  gitBranch: '$.gitBranch',
  version: '$.version',
  serviceTier: '$.message.usage.service_tier',
  speed: '$.message.usage.speed',
  webSearch: '$.message.usage.server_tool_use.web_search_requests',
  inferenceGeo: '$.message.usage.inference_geo',
} as const;
type Key = keyof typeof PATHS;
const KEYS = Object.keys(PATHS) as Key[];

/**
 * A sub-agent's responses as the parent session's `agent_progress` lines repeat them (`data.message` is the
 * sub-agent's assistant line): the same fields one level down. Its key (message.id:requestId) is the one
 * the sub-agent's own file uses, so where both exist the request is stored once (the line fold within a
 * file, the (source, request_id) de-duplication across files); where the file is absent, the progress
 * lines are the only record of it. `isSidechain` reads the progress type: such usage is a sub-agent's.
 */
const PROGRESS_PATHS: Record<Key, string> = {
  ...PATHS,
  timestamp: '$.data.message.timestamp',
  requestId: '$.data.message.requestId',
  messageId: '$.data.message.message.id',
  model: '$.data.message.message.model',
  costUSD: '$.data.message.costUSD',
  isSidechain: '$.data.type',
  agentId: '$.data.agentId',
  ...(Object.fromEntries(
    KEYS.filter((k) => PATHS[k].startsWith('$.message.usage')).map((k) => [
      k,
      PATHS[k].replace('$.message.usage', '$.data.message.message.usage'),
    ]),
  ) as Partial<Record<Key, string>>),
};
const x = (k: Key) => `_x[${KEYS.indexOf(k) + 1}]`;

const COUNTS: Key[] = ['input', 'output', 'cacheRead', 'cacheCreation', 'cache5m', 'cache1h', 'webSearch'];

/** Largest count of a group as text; the first invalid text instead when one line's value is not a count. */
function maxCount(k: Key): string {
  const v = `v_${k}`;
  return `CASE WHEN bool_and(${v} IS NULL OR regexp_full_match(${v}, '\\d{1,18}')) THEN max(TRY_CAST(${v} AS BIGINT))::VARCHAR
    ELSE arg_min(${v}, _n) FILTER (WHERE NOT regexp_full_match(${v}, '\\d{1,18}')) END AS ${k}`;
}

export function looksLikeClaudeCode(file: IngestFile): boolean {
  return headJsonLines(file.head).some(
    (v) =>
      isObject(v) &&
      ((typeof v.sessionId === 'string' && 'type' in v && 'uuid' in v) ||
        (isObject(v.message) && isObject(v.message.usage) && !('model' in v))),
  );
}

async function stage(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  // Progress lines are most of a session (hook and bash progress too): only agent progress carrying
  // usage is read a second time, with its own paths; every line's own fields are read once as before.
  const progress = jsonlExtractRelation(
    file,
    KEYS.map((k) => PROGRESS_PATHS[k]),
    `contains(l, '"agent_progress"') AND contains(l, '"usage"')`,
  );
  const lines = `(SELECT * FROM ${jsonlExtractRelation(
    file,
    KEYS.map((k) => PATHS[k]),
  )} UNION ALL SELECT * FROM ${progress} WHERE _x IS NOT NULL AND _obj)`;
  const perLine = `(SELECT _n, l, _x IS NULL OR NOT _obj AS _broken,
      CASE WHEN _x IS NOT NULL AND ${x('messageId')} IS NOT NULL THEN ${x('messageId')} || ':' || coalesce(${x('requestId')}, '') ELSE 'line:' || _n END AS _key,
      ${KEYS.map((k) => `${x(k)} AS v_${k}`).join(', ')}
    FROM ${lines}
    WHERE _x IS NULL OR NOT _obj OR (${x('usage')} IS NOT NULL AND coalesce(${x('model')}, '') <> '<synthetic>'))`;
  const grouped = `(SELECT min(_n) AS _n, arg_min(l, _n) AS l, bool_or(_broken) AS _broken, count(*) AS _lines,
      ${KEYS.filter((k) => !COUNTS.includes(k))
        .map((k) => `arg_min(v_${k}, _n) AS ${k}`)
        .join(', ')},
      ${COUNTS.map(maxCount).join(', ')}
    FROM ${perLine} GROUP BY _key)`;
  // 5-minute writes are the split's 5m part, or the whole creation count when the log has no split.
  const cache5m = `CASE WHEN cache5m IS NOT NULL THEN cache5m
    WHEN TRY_CAST(cacheCreation AS BIGINT) IS NOT NULL THEN (TRY_CAST(cacheCreation AS BIGINT) - coalesce(TRY_CAST(cache1h AS BIGINT), 0))::VARCHAR
    ELSE cacheCreation END`;
  const tag = (name: string, expr: string) => `struct_pack(k := '${name}', v := to_json(${expr}))`;
  const tags = `to_json(map_from_entries(list_filter([
      ${tag('agent_id', 'agentId')}, ${tag('sidechain', "isSidechain IN ('true', 'agent_progress')")}, ${tag('git_branch', 'gitBranch')},
      ${tag('claude_code_version', 'version')}, ${tag('service_tier', 'serviceTier')}, ${tag('speed', 'speed')},
      ${tag('web_search_requests', 'TRY_CAST(webSearch AS BIGINT)')}, ${tag('lines', '_lines')}
    ], e -> e.v IS NOT NULL AND e.v::VARCHAR <> 'null')))`;
  const { rowsRead } = await stageUsageRows(db, {
    from: grouped,
    ordinal: '_n',
    weight: '_lines',
    unreadable: `CASE WHEN _broken THEN 'broken JSON line (not valid JSON or not an object)' END`,
    fields: {
      request_id: `CASE WHEN messageId IS NOT NULL THEN messageId || CASE WHEN requestId IS NOT NULL THEN ':' || requestId ELSE '' END END`,
      timestamp: 'timestamp',
      model: 'model',
      provider: "'anthropic'",
      input_tokens: 'input',
      output_tokens: 'output',
      cache_read_tokens: 'cacheRead',
      cache_write_tokens: cache5m,
      cache_write_1h_tokens: 'cache1h',
      user_id: `nullif(regexp_extract(cwd, '^/(?:home|Users)/([^/]+)', 1), '')`,
      project: `nullif(regexp_extract(cwd, '([^/]+)/?$', 1), '')`,
      session_id: 'sessionId',
      request_type: "'claude-code'",
      reported_cost: 'costUSD',
      tags: tags,
      // What Anthropic bills by beyond tokens: searches per call, the tier and speed that served the
      // request, and US-only inference (`inference_geo: us`). `not_available` or empty: not stated.
      web_search_calls: 'webSearch',
      service_tier: 'serviceTier',
      speed: 'speed',
      region: `CASE WHEN inferenceGeo NOT IN ('', 'not_available') THEN inferenceGeo END`,
    },
    labels: {
      timestamp: 'timestamp',
      model: 'message.model',
      input_tokens: 'message.usage.input_tokens',
      output_tokens: 'message.usage.output_tokens',
      cache_read_tokens: 'message.usage.cache_read_input_tokens',
      cache_write_tokens: 'message.usage.cache_creation (5m)',
      cache_write_1h_tokens: 'message.usage.cache_creation.ephemeral_1h_input_tokens',
      reported_cost: 'costUSD',
      web_search_calls: 'message.usage.server_tool_use.web_search_requests',
    },
    raw: 'l',
    source: options.source,
  });
  return { rowsRead };
}

export const claudeCodeAdapter: Adapter = {
  format: 'claude-code',
  kind: 'usage',
  description: 'Claude Code session logs (~/.claude/projects/**/*.jsonl, sub-agents included)',
  detect: looksLikeClaudeCode,
  stage,
};
void JSONL_UNREADABLE;
