// LiteLLM spend logs carry what the provider billed beyond text tokens in metadata.usage_object (LiteLLM's
// OpenAI-shaped Usage): reasoning, audio and image splits and Anthropic's server-side web searches land in
// the usage-log v2 columns (#15). Records shaped like fixtures/samples/litellm-spend-logs (metadata as a
// JSON string), written by the test; expected costs computed from the catalog entries' own rates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { entryCost } from '../../helpers/litellm-entry.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

function record(id: string, model: string, prompt: number, completion: number, usage: Record<string, unknown>) {
  return JSON.stringify({
    request_id: id,
    call_type: 'acompletion',
    startTime: '2026-03-03 10:00:00.000000',
    model,
    prompt_tokens: prompt,
    completion_tokens: completion,
    spend: 0,
    metadata: JSON.stringify({
      usage_object: { prompt_tokens: prompt, completion_tokens: completion, ...usage },
    }),
  });
}

describe('ingest: LiteLLM usage object breakdowns', () => {
  it('stores reasoning, audio, image and web searches; prices them at their own rates; rejects bad ones', async () => {
    const path = join(tempDir(), 'spend.jsonl');
    writeFileSync(
      path,
      [
        record('r1', 'gpt-4o-audio-preview', 1000, 300, {
          prompt_tokens_details: { audio_tokens: 400, cached_tokens: 0 },
          completion_tokens_details: { audio_tokens: 200, reasoning_tokens: 0 },
        }),
        record('r2', 'gemini-2.5-flash', 1000, 600, { completion_tokens_details: { reasoning_tokens: 400 } }),
        record('r3', 'claude-sonnet-4-6', 1000, 100, { server_tool_use: { web_search_requests: 2 } }),
        // 800 of the prompt were cache reads: of the 500 audio tokens at most 200 can be uncached input
        record('r4', 'gpt-4o-audio-preview', 1000, 10, {
          prompt_tokens_details: { audio_tokens: 500, cached_tokens: 800 },
        }),
        record('r5', 'gemini-2.5-flash', 1000, 600, { completion_tokens_details: { reasoning_tokens: 700 } }),
        record('r6', 'gpt-4o-audio-preview', 1000, 10, { prompt_tokens_details: { audio_tokens: 'lots' } }),
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      const r = (await ingest(db, [path])).files[0]!;
      expect([r.format, r.rows_loaded, r.rows_rejected]).toEqual(['litellm', 4, 2]);
      const rows = await db.all<Record<string, string | null>>(
        `SELECT request_id AS id, input_tokens::VARCHAR AS i, audio_input_tokens::VARCHAR AS ai,
           reasoning_tokens::VARCHAR AS re, audio_output_tokens::VARCHAR AS ao, web_search_calls::VARCHAR AS w,
           total_cost::VARCHAR AS c
         FROM usage ORDER BY request_id`,
      );
      expect(rows.map(({ c, ...stored }) => stored)).toEqual([
        { id: 'r1', i: '1000', ai: '400', re: '0', ao: '200', w: '0' },
        { id: 'r2', i: '1000', ai: '0', re: '400', ao: '0', w: '0' },
        { id: 'r3', i: '1000', ai: '0', re: '0', ao: '0', w: '2' },
        { id: 'r4', i: '200', ai: '200', re: '0', ao: '0', w: '0' },
      ]);
      expect(rows.slice(0, 3).map((x) => x.c && new Decimal(x.c).toFixed())).toEqual([
        entryCost('gpt-4o-audio-preview', [
          [600, 'input'],
          [400, 'audioInput'],
          [100, 'output'],
          [200, 'audioOutput'],
        ]),
        entryCost('gemini-2.5-flash', [
          [1000, 'input'],
          [200, 'output'],
          [400, 'reasoning'],
        ]),
        entryCost('claude-sonnet-4-6', [
          [1000, 'input'],
          [100, 'output'],
          [2, 'webSearch'],
        ]),
      ]);
      const rejects = await db.all<{ reason: string }>('SELECT reason FROM rejects ORDER BY line');
      expect(rejects.map((x) => x.reason)).toEqual([
        // the reason names every part the source has, in its words
        'completion_tokens_details.reasoning_tokens + completion_tokens_details.audio_tokens + completion_tokens_details.image_tokens (700) must not exceed completion_tokens (600): a breakdown is part of its total',
        expect.stringContaining('prompt_tokens_details.audio_tokens "lots" must be a whole number'),
      ]);
    });
  });
});
