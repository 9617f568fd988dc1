// Claude Code session logs (~/.claude/projects/**/*.jsonl, sub-agent files included); see
// ../shared/formats/claude-code-jsonl.md. Only lines with message.usage are requests. One API response
// is written as several lines sharing message.id + requestId with growing output_tokens: they fold into
// ONE row carrying the largest count of each kind (the final usage), timed and numbered by its first line.
// `<synthetic>` messages are generated locally, never billed, and are not rows. A progress line that carries
// a sub-agent's response (its own file absent) is a request too. Read by claude-code-batch.ts; a folder's
// files go through services/ingest/claude-code-run.ts, many per statement, reading only what is new.
import type { Db } from '../db/database.js';
import { stageClaudeCodeBatch } from './claude-code-batch.js';
import { headJsonLines, isObject } from './jsonl-source.js';
import { scanSession } from './session-scan.js';
import type { Adapter, IngestFile, StageOptions, StageResult } from './types.js';

const isClaudeCodeLine = (v: unknown) =>
  isObject(v) &&
  ((typeof v.sessionId === 'string' && 'type' in v && 'uuid' in v) ||
    (isObject(v.message) && isObject(v.message.usage) && !('model' in v)));

/**
 * One of the first 20 complete lines of the head is a Claude Code line. Lines are parsed one at a time and
 * only until one matches (usually the first): detection runs on every file of a folder at each ingest.
 */
export function looksLikeClaudeCode(file: IngestFile): boolean {
  const lines = headLines(file);
  if (lines === undefined) return file.head.trim() !== '' && headJsonLines(file.head).some(isClaudeCodeLine);
  let seen = 0;
  for (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    try {
      if (isClaudeCodeLine(JSON.parse(text))) return true;
    } catch {}
    if (++seen === 20) break;
  }
  return false;
}

/**
 * The head's complete lines, each decoded only when reached (from headBytes when the file has them);
 * undefined when the head has no newline at all.
 */
function headLines(file: IngestFile): Iterable<string> | undefined {
  const bytes = file.headBytes;
  if (bytes === undefined) {
    const head = file.head;
    if (!head.includes('\n')) return undefined;
    return head.slice(0, head.lastIndexOf('\n')).split('\n');
  }
  if (!bytes.includes(NL)) return undefined;
  return (function* () {
    for (let start = 0, end = bytes.indexOf(NL); end >= 0; start = end + 1, end = bytes.indexOf(NL, start)) {
      yield bytes.toString('utf8', start, end);
    }
  })();
}
const NL = 10;

/** One file on its own (stdin, or a forced --format): the batch reader with a single input. */
async function stage(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult> {
  const { lines } = scanSession(file.localPath, undefined, true);
  const { rowsRead } = await stageClaudeCodeBatch(db, [{ lines }], options.source);
  return { rowsRead: rowsRead.get(0) ?? 0 };
}

export const claudeCodeAdapter: Adapter = {
  format: 'claude-code',
  kind: 'usage',
  description: 'Claude Code session logs (~/.claude/projects/**/*.jsonl, sub-agents included)',
  detect: looksLikeClaudeCode,
  stage,
};
