// Claude Code session logs, many files per statement (issue #20). The pass that hashes each file
// (session-scan.ts) keeps only the lines that can be billed: those that mention "usage" (assistant lines,
// and progress lines that carry a sub-agent's response when its own file is absent), plus any line not
// shaped like an object, which is checked and rejected when it is not JSON. Those lines of every input are
// spooled to one file, numbered in a second one, and read by one DuckDB statement; the other ~80% of the
// bytes are read once, by the hash. See claude-code.ts for the row rules: lines
// of one response (message.id + requestId) fold into one row with the largest count of each kind, timed
// and numbered by its first line; `<synthetic>` messages are not rows.
//
// Builds TEMP TABLE ingest_checked (via stageUsageRows) and the views `staged` (plus `_file`, the index of
// the input a row's first line came from) and `staged_rejects` (plus `_file`).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { sqlString } from '../db/sql.js';
import { UNSTATED_INFERENCE_GEOS } from '../domain/model-names.js';
import type { SessionLine } from './session-scan.js';
import { stageUsageRows } from './validate-usage.js';

/** One input of a batch: the lines of a file (or of its new tail) that must be parsed, in order. */
export interface BatchInput {
  lines: SessionLine[];
}

/** ordinal = input index × ORD + line: one BIGINT orders rows by (input, line) and carries both. */
export const ORD = 10_000_000_000;

// The same fields on an assistant line ($.message…) and on a progress line that carries a sub-agent's
// response ($.data.message.message…).
const FIELDS = {
  timestamp: ['$.timestamp', '$.data.message.timestamp'],
  requestId: ['$.requestId', '$.data.message.requestId'],
  messageId: ['$.message.id', '$.data.message.message.id'],
  model: ['$.message.model', '$.data.message.message.model'],
  usage: ['$.message.usage', '$.data.message.message.usage'],
  input: ['$.message.usage.input_tokens', '$.data.message.message.usage.input_tokens'],
  output: ['$.message.usage.output_tokens', '$.data.message.message.usage.output_tokens'],
  cacheRead: ['$.message.usage.cache_read_input_tokens', '$.data.message.message.usage.cache_read_input_tokens'],
  cacheCreation: [
    '$.message.usage.cache_creation_input_tokens',
    '$.data.message.message.usage.cache_creation_input_tokens',
  ],
  cache5m: [
    '$.message.usage.cache_creation.ephemeral_5m_input_tokens',
    '$.data.message.message.usage.cache_creation.ephemeral_5m_input_tokens',
  ],
  cache1h: [
    '$.message.usage.cache_creation.ephemeral_1h_input_tokens',
    '$.data.message.message.usage.cache_creation.ephemeral_1h_input_tokens',
  ],
  serviceTier: ['$.message.usage.service_tier', '$.data.message.message.usage.service_tier'],
  speed: ['$.message.usage.speed', '$.data.message.message.usage.speed'],
  webSearch: [
    '$.message.usage.server_tool_use.web_search_requests',
    '$.data.message.message.usage.server_tool_use.web_search_requests',
  ],
  inferenceGeo: ['$.message.usage.inference_geo', '$.data.message.message.usage.inference_geo'],
  agentId: ['$.agentId', '$.data.agentId'],
  // Line-level fields, the same on both kinds of line.
  sessionId: ['$.sessionId'],
  cwd: ['$.cwd'],
  costUSD: ['$.costUSD'],
  isSidechain: ['$.isSidechain'],
  gitBranch: ['$.gitBranch'],
  version: ['$.version'],
  type: ['$.type'],
} as const;
type Key = keyof typeof FIELDS;
const KEYS = Object.keys(FIELDS) as Key[];
const PATHS: string[] = [];
const AT: Record<string, number[]> = {};
for (const k of KEYS) AT[k] = FIELDS[k].map((p) => PATHS.push(p));

/** A field's value as text: the progress line's nested value on a progress line, else the line's own. */
function field(k: Key): string {
  const [own, nested] = AT[k]!;
  if (nested === undefined) return `_x[${own}]`;
  return `CASE WHEN _progress THEN _x[${nested}] ELSE _x[${own}] END`;
}

const COUNTS: Key[] = ['input', 'output', 'cacheRead', 'cacheCreation', 'cache5m', 'cache1h', 'webSearch'];

/** Largest count of a group as text; the first invalid text instead when one line's value is not a count. */
function maxCount(k: Key): string {
  const v = `v_${k}`;
  return `CASE WHEN bool_and(${v} IS NULL OR regexp_full_match(${v}, '\\d{1,18}')) THEN max(TRY_CAST(${v} AS BIGINT))::VARCHAR
    ELSE arg_min(${v}, _n) FILTER (WHERE NOT regexp_full_match(${v}, '\\d{1,18}')) END AS ${k}`;
}

/**
 * TEMP TABLE cc_lines: one row per line to parse, with `_n` = input index × ORD + line and the parsed
 * fields. The lines go through one spool file, each as `_n` \x01 text, read by DuckDB's CSV reader (many
 * threads). That reader also ends a line at a carriage return, so a CR inside a line is written as a space:
 * in JSON a raw CR can only be whitespace between tokens, so the value read is the same (only the raw text
 * of a broken line shows the space). A \x01 inside a line ends its text there, as it always did.
 */
async function readInputs(db: Db, inputs: BatchInput[]): Promise<void> {
  if (inputs.every((input) => input.lines.length === 0)) {
    await db.run('CREATE OR REPLACE TEMP TABLE cc_lines (_n BIGINT, l VARCHAR, _x VARCHAR[], _obj BOOLEAN)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'costctl-lines-'));
  try {
    const path = join(dir, 'lines.txt');
    writeSpool(path, inputs);
    await db.run(`CREATE OR REPLACE TEMP TABLE cc_lines AS
      SELECT _n, l, TRY(json_extract_string(l, [${PATHS.map(sqlString).join(', ')}])) AS _x, starts_with(ltrim(l), '{') AS _obj
      FROM read_csv(${sqlString(path)}, columns = {'_n': 'BIGINT', 'l': 'VARCHAR'}, header = false, auto_detect = false,
        delim = E'\\x01', quote = '', escape = '', strict_mode = false, max_line_size = 16777216,
        buffer_size = 33554432, filename = false)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The spool, written a block at a time: each line's number and text go through one reused buffer (no
 * copy of the whole batch's lines, ~25 MB for a 127 MB folder, and no small buffer per line).
 */
function writeSpool(path: string, inputs: BatchInput[]): void {
  const fd = openSync(path, 'w');
  const block = Buffer.allocUnsafe(SPOOL_BLOCK);
  let used = 0;
  const flush = () => {
    writeAll(fd, block.subarray(0, used));
    used = 0;
  };
  try {
    inputs.forEach((input, i) => {
      for (const l of input.lines) {
        const need = 21 + l.text.length; // up to 19 digits of ordinal, \x01 and \n
        if (used + need > SPOOL_BLOCK) flush();
        if (need > SPOOL_BLOCK) {
          writeAll(fd, Buffer.from(`${i * ORD + l.line}\x01`));
          writeAll(fd, withoutCr(Buffer.from(l.text)));
          writeAll(fd, NEWLINE);
          continue;
        }
        used += block.write(`${i * ORD + l.line}\x01`, used, 'latin1');
        const start = used;
        used += l.text.copy(block, used);
        withoutCr(block.subarray(start, used));
        block[used++] = NL;
      }
    });
    flush();
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
}

/** The bytes with each carriage return made a space (see readInputs), in place. */
function withoutCr(b: Buffer): Buffer {
  for (let i = b.indexOf(CR); i >= 0; i = b.indexOf(CR, i + 1)) b[i] = SPACE;
  return b;
}
const SPOOL_BLOCK = 4 << 20;
const NEWLINE = Buffer.from('\n');
const NL = 10;
const CR = 13;
const SPACE = 32;

export async function stageClaudeCodeBatch(
  db: Db,
  inputs: BatchInput[],
  source: string,
): Promise<{ rowsRead: Map<number, number> }> {
  await readInputs(db, inputs);
  // Per line only what the fold needs: the key, the counts (largest per key) and the line's values.
  const perLine = `(SELECT _n, l, _x IS NULL OR NOT _obj AS _broken, _x, _progress,
      CASE WHEN _x IS NOT NULL AND ${field('messageId')} IS NOT NULL THEN ${field('messageId')} || ':' || coalesce(${field('requestId')}, '') ELSE 'line:' || _n END AS _key,
      ${COUNTS.map((k) => `${field(k)} AS v_${k}`).join(', ')}
    FROM (SELECT *, _x IS NOT NULL AND _x[${AT.type![0]}] = 'progress' AND _x[${AT.usage![1]}] IS NOT NULL AS _progress
          FROM cc_lines)
    WHERE _x IS NULL OR NOT _obj OR (${field('usage')} IS NOT NULL AND coalesce(${field('model')}, '') <> '<synthetic>'))`;
  // The first line's text and parsed fields are joined back by its number rather than carried through the
  // fold with arg_min (which copied every line's text and 46-field list into the aggregate states).
  const folded = `(SELECT f.*, c.l, c._x FROM (SELECT min(_n) AS _n, bool_or(_broken) AS _broken, count(*) AS _lines,
      arg_min(_progress, _n) AS _progress, ${COUNTS.map(maxCount).join(', ')}
    FROM ${perLine} GROUP BY _key) f JOIN cc_lines c ON c._n = f._n)`;
  // The first line's values of the other fields (a progress line's nested ones on a progress line).
  const grouped = `(SELECT *, ${KEYS.filter((k) => !COUNTS.includes(k))
    .map((k) => `${k === 'isSidechain' ? `CASE WHEN _progress THEN 'true' ELSE ${field(k)} END` : field(k)} AS ${k}`)
    .join(', ')} FROM ${folded})`;
  // 5-minute writes are the split's 5m part, or the whole creation count when the log has no split.
  const cache5m = `CASE WHEN cache5m IS NOT NULL THEN cache5m
    WHEN TRY_CAST(cacheCreation AS BIGINT) IS NOT NULL THEN (TRY_CAST(cacheCreation AS BIGINT) - coalesce(TRY_CAST(cache1h AS BIGINT), 0))::VARCHAR
    ELSE cacheCreation END`;
  const tag = (name: string, expr: string) => `struct_pack(k := '${name}', v := to_json(${expr}))`;
  const tags = `to_json(map_from_entries(list_filter([
      ${tag('agent_id', 'agentId')}, ${tag('sidechain', "isSidechain = 'true'")}, ${tag('git_branch', 'gitBranch')},
      ${tag('claude_code_version', 'version')}, ${tag('service_tier', 'serviceTier')}, ${tag('speed', 'speed')},
      ${tag('web_search_requests', 'TRY_CAST(webSearch AS BIGINT)')}, ${tag('lines', '_lines')}
    ], e -> e.v IS NOT NULL AND e.v::VARCHAR <> 'null')))`;
  const checked = await stageUsageRows(db, {
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
      // request, and US-only inference (`inference_geo: us`); regionOfInferenceGeo's rule, in SQL.
      web_search_calls: 'webSearch',
      service_tier: 'serviceTier',
      speed: 'speed',
      region: `CASE WHEN inferenceGeo NOT IN (${UNSTATED_INFERENCE_GEOS.map(sqlString).join(', ')}) THEN inferenceGeo END`,
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
    source,
    deferViews: true,
  });
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged AS SELECT ${sqlString(source)} AS source, ${checked.columns.join(', ')},
       (_ord % ${ORD})::BIGINT AS line, (_ord // ${ORD})::BIGINT AS _file
     FROM ingest_checked WHERE _reason IS NULL`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP VIEW staged_rejects AS SELECT (_ord % ${ORD})::BIGINT AS line, _reason AS reason, _raw AS raw,
       (_ord // ${ORD})::BIGINT AS _file
     FROM ingest_checked WHERE _reason IS NOT NULL`,
  );
  const read = await db.all<{ f: string; n: string }>(
    `SELECT (_ord // ${ORD})::VARCHAR AS f, sum(_weight)::VARCHAR AS n FROM ingest_checked GROUP BY 1`,
  );
  // ingest_checked holds everything the views read (the raw text of bad rows included).
  await db.run('DROP TABLE IF EXISTS temp.cc_lines');
  return { rowsRead: new Map(read.map((r) => [Number(r.f), Number(r.n)])) };
}
