// Claude Code lines carry what Anthropic bills by beyond tokens (the Claude Code JSONL format notes):
// speed, service_tier, inference_geo and server-side web searches land in the usage-log v2 columns.
// Lines shaped like the real transcripts (fixtures/samples/claude-code/spotter), written by the test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

function line(id: string, usage: Record<string, unknown>, model = 'claude-sonnet-4-6') {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/alice/work/bot',
    sessionId: 'sess-1',
    version: '2.1.39',
    type: 'assistant',
    uuid: `u-${id}-${JSON.stringify(usage).length}`,
    timestamp: '2026-02-12T16:02:51.467Z',
    requestId: `req_${id}`,
    message: { model, id: `msg_${id}`, type: 'message', role: 'assistant', usage },
  });
}

describe('ingest: Claude Code v2 fields', () => {
  it('speed, tier, region and web searches (the final line of a response counts)', async () => {
    const path = join(tempDir(), 'sess-1.jsonl');
    writeFileSync(
      path,
      [
        // one response written twice: output and searches grow, the final usage counts
        line('A', {
          input_tokens: 10,
          output_tokens: 5,
          service_tier: 'priority',
          inference_geo: 'us',
          server_tool_use: { web_search_requests: 1 },
        }),
        line('A', {
          input_tokens: 10,
          output_tokens: 90,
          service_tier: 'priority',
          inference_geo: 'us',
          server_tool_use: { web_search_requests: 3 },
        }),
        line(
          'B',
          { input_tokens: 7, output_tokens: 8, speed: 'fast', inference_geo: 'not_available' },
          'claude-opus-4-6',
        ),
        line('C', {
          input_tokens: 1,
          output_tokens: 2,
          service_tier: 'standard',
          inference_geo: 'global',
          server_tool_use: { web_search_requests: 2 },
        }),
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [path]);
      expect(r.files[0]!.rows_loaded).toBe(3);
      const rows = await db.all<Record<string, string | null>>(
        `SELECT request_id, output_tokens::VARCHAR AS o, web_search_calls::VARCHAR AS w, service_tier, speed, region
         FROM usage ORDER BY request_id`,
      );
      expect(rows).toEqual([
        { request_id: 'msg_A:req_A', o: '90', w: '3', service_tier: 'priority', speed: null, region: 'us' },
        { request_id: 'msg_B:req_B', o: '8', w: '0', service_tier: null, speed: 'fast', region: null },
        { request_id: 'msg_C:req_C', o: '2', w: '2', service_tier: 'standard', speed: null, region: 'global' },
      ]);
      // Priced by the served variant's own catalog entry (hand computations from the LiteLLM entries):
      // A us/claude-sonnet-4-6 on Anthropic's Priority Tier, which the catalog has no price for (a commitment):
      // unpriced, never the standard price; B fast/claude-opus-4-6: 7 × 0.00003 + 8 × 0.00015;
      // C claude-sonnet-4-6 (global is the standard price): 1 × 0.000003 + 2 × 0.000015 + 2 searches × $0.01
      // (the entry's search_context_cost_per_query).
      const priced = await db.all<Record<string, string | null>>(
        'SELECT request_id, priced_model, total_cost::VARCHAR AS c, price_rules FROM usage ORDER BY request_id',
      );
      expect(priced).toEqual([
        {
          request_id: 'msg_A:req_A',
          priced_model: 'us/claude-sonnet-4-6',
          c: null,
          price_rules: 'service tier priority: no priority price in the catalog',
        },
        {
          request_id: 'msg_B:req_B',
          priced_model: 'fast/claude-opus-4-6',
          c: '0.001410000000000000',
          price_rules: 'fast mode: fast/claude-opus-4-6 prices',
        },
        { request_id: 'msg_C:req_C', priced_model: 'claude-sonnet-4-6', c: '0.020033000000000000', price_rules: null },
      ]);
    });
  });
});
