// Sub-agent usage in a Claude Code session's agent_progress lines (data.message is the sub-agent's
// assistant line) is read, and stored once beside the sub-agent's own file: the real spotter session
// 4d5611e5 repeats 11 of its sub-agent a2898e3's 12 responses in 33 progress lines. Hand-checked with a
// fold of the same files (max per message.id:requestId): the sub-agent's 12 responses total 53 input,
// 136 output, 604,156 cache-read and 71,257 cache-write tokens.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, ingest, withCatalogDb } from './ingest-helpers.js';

const SESSION = join(SAMPLES, 'claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569');

describe('ingest: Claude Code sub-agent usage in progress lines', () => {
  it('is read from the session and counted once when the sub-agent file comes too', async () => {
    await withCatalogDb(async (db) => {
      const parent = await ingest(db, [`${SESSION}.jsonl`]);
      // 139 responses of the session itself + the 11 sub-agent responses its progress lines carry.
      expect([parent.files[0]!.rows_read, parent.files[0]!.rows_loaded]).toEqual([254 + 33, 139 + 11]);
      const agent = await ingest(db, [join(SESSION, 'subagents', 'agent-a2898e3.jsonl')]);
      // Only the response the progress lines did not carry is new; the other 11 (39 lines) are duplicates.
      expect([agent.files[0]!.rows_loaded, agent.files[0]!.rows_duplicate]).toEqual([1, 39]);
      const sub = await db.one<Record<string, string>>(
        `SELECT count(*)::VARCHAR AS n, sum(input_tokens)::VARCHAR AS i, sum(output_tokens)::VARCHAR AS o,
           sum(cache_read_tokens)::VARCHAR AS r, sum(cache_write_tokens + cache_write_1h_tokens)::VARCHAR AS w
         FROM usage WHERE tags->>'sidechain' = 'true'`,
      );
      expect(sub).toEqual({ n: '12', i: '53', o: '136', r: '604156', w: '71257' });
    });
  });
});
