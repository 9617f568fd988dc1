// The OpenAI and Anthropic usage reports carry what the provider bills by beyond text tokens (#15): OpenAI's
// audio and image token splits and the tier that served a bucket (batch buckets are the batch tier),
// Anthropic's service_tier, speed, inference_geo and server-side web searches. Through the real ingest into
// a DuckDB file with the bundled LiteLLM catalog; pages written by the test in the shapes the providers
// document (OpenAI's organization Usage API, Anthropic's Admin usage report). Every expected cost is computed
// here from the catalog entry's own rates (entryCost), never copied from the output.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import type { PriceField } from '../../../src/domain/catalog-types.js';
import { entryCost as cost } from '../../helpers/litellm-entry.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from '../ingest/ingest-helpers.js';

const exact = (v: string | null | undefined) => (v === null || v === undefined ? null : new Decimal(v).toFixed());

function openaiPage(results: Record<string, unknown>[]) {
  const path = join(tempDir(), 'openai-usage.json');
  const bucket = { object: 'bucket', start_time: 1772323200, end_time: 1772409600 };
  const rows = results.map((r) => ({ object: 'organization.usage.completions.result', num_model_requests: 1, ...r }));
  writeFileSync(path, JSON.stringify({ object: 'page', data: [{ ...bucket, results: rows }], has_more: false }));
  return path;
}

describe('openai-usage: audio, image and the served tier', () => {
  it('stores the splits and the tier, and prices audio, flex and batch at their own rates', async () => {
    const path = openaiPage([
      // uncached 1200 of which 400 audio (input_audio_tokens is the uncached audio); 500 out, 200 audio
      {
        model: 'gpt-4o-audio-preview',
        input_tokens: 1200,
        input_cached_tokens: 0,
        input_audio_tokens: 400,
        output_tokens: 500,
        output_audio_tokens: 200,
        service_tier: 'default',
      },
      // flex: 1000 uncached + 1000 cached (250 of them cached audio, which stay cache reads)
      {
        model: 'gpt-5-mini',
        input_tokens: 2000,
        input_cached_tokens: 1000,
        input_cached_audio_tokens: 250,
        input_uncached_tokens: 1000,
        output_tokens: 300,
        service_tier: 'flex',
      },
      // a batch bucket names the default tier; the Batch API's rates apply
      { model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, batch: true, service_tier: 'default' },
      // a tier costctl does not know: stored as written, priced at standard, warned about
      { model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, service_tier: 'turbo' },
      // bad input: the audio output is part of output_tokens, so it cannot exceed it; and a count is a count
      { model: 'gpt-4o-audio-preview', input_tokens: 10, output_tokens: 5, output_audio_tokens: 6 },
      { model: 'gpt-4o-audio-preview', input_tokens: 10, output_tokens: 5, input_audio_tokens: 'x' },
    ]);
    await withCatalogDb(async (db) => {
      const r = (await ingest(db, [path])).files[0]!;
      expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([6, 4, 2]);
      expect(r.unknownServed).toEqual([{ field: 'service_tier', value: 'turbo', rows: 1, line: 4 }]);
      const rows = await db.all<Record<string, string | null>>(
        `SELECT model, input_tokens::VARCHAR AS i, audio_input_tokens::VARCHAR AS ai, cache_read_tokens::VARCHAR AS cr,
           output_tokens::VARCHAR AS o, audio_output_tokens::VARCHAR AS ao, service_tier, total_cost::VARCHAR AS c
         FROM usage ORDER BY line`,
      );
      expect(rows.map(({ c, ...stored }) => stored)).toEqual([
        { model: 'gpt-4o-audio-preview', i: '1200', ai: '400', cr: '0', o: '500', ao: '200', service_tier: 'default' },
        { model: 'gpt-5-mini', i: '1000', ai: '0', cr: '1000', o: '300', ao: '0', service_tier: 'flex' },
        { model: 'gpt-4o', i: '1000', ai: '0', cr: '0', o: '100', ao: '0', service_tier: 'batch' },
        { model: 'gpt-4o', i: '1000', ai: '0', cr: '0', o: '100', ao: '0', service_tier: 'turbo' },
      ]);
      expect(rows.map((x) => exact(x.c))).toEqual([
        cost('gpt-4o-audio-preview', [
          [800, 'input'],
          [400, 'audioInput'],
          [300, 'output'],
          [200, 'audioOutput'],
        ]),
        cost('gpt-5-mini', [
          [1000, 'flexInput'],
          [1000, 'flexCacheRead'],
          [300, 'flexOutput'],
        ]),
        cost('gpt-4o', [
          [1000, 'batchInput'],
          [100, 'batchOutput'],
        ]),
        cost('gpt-4o', [
          [1000, 'input'],
          [100, 'output'],
        ]),
      ]);
      const rejects = await db.all<{ reason: string }>('SELECT reason FROM rejects ORDER BY line');
      expect(rejects.map((x) => x.reason)).toEqual([
        expect.stringContaining('output_audio_tokens (6) must not exceed output_tokens (5)'),
        expect.stringContaining('input_audio_tokens "x" must be a whole number ≥ 0'),
      ]);
    });
  });
});

describe('openai-usage: the dashboard export', () => {
  it('reads the audio and image columns (written as floats) like the API fields', async () => {
    const path = join(tempDir(), 'usage.tsv');
    const head = [
      'start_time',
      'end_time',
      'num_model_requests',
      'model',
      'batch',
      'service_tier',
      'input_tokens',
      'output_tokens',
      'input_cached_tokens',
      'input_uncached_tokens',
      'input_audio_tokens',
      'input_image_tokens',
      'output_audio_tokens',
      'output_image_tokens',
    ];
    const row = ['1772323200', '1772409600', '1.0', 'gpt-4o-audio-preview', 'FALSE', 'flex'];
    const counts = ['1200.0', '500.0', '0.0', '1200.0', '400.0', '0.0', '200.0', '0.0'];
    writeFileSync(path, `${head.join('\t')}\n${[...row, ...counts].join('\t')}\n`);
    await withCatalogDb(async (db) => {
      const r = (await ingest(db, [path])).files[0]!;
      expect([r.format, r.rows_loaded]).toEqual(['openai-usage', 1]);
      const stored = await db.one<Record<string, string | null>>(
        'SELECT audio_input_tokens::VARCHAR AS ai, audio_output_tokens::VARCHAR AS ao, service_tier FROM usage',
      );
      expect(stored).toEqual({ ai: '400', ao: '200', service_tier: 'flex' });
    });
  });
});

function anthropicReport(results: Record<string, unknown>[]) {
  const path = join(tempDir(), 'anthropic-usage.json');
  const rows = results.map((r) => ({
    uncached_input_tokens: 1000,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    cache_read_input_tokens: 0,
    output_tokens: 100,
    ...r,
  }));
  const bucket = { starting_at: '2026-03-01T00:00:00Z', ending_at: '2026-03-02T00:00:00Z', results: rows };
  writeFileSync(path, JSON.stringify({ data: [bucket], has_more: false, next_page: null }));
  return path;
}

describe('anthropic-usage: service tier, speed, inference_geo and web searches', () => {
  it('stores them in their columns and prices the served variant and the searches', async () => {
    const path = anthropicReport([
      { model: 'claude-opus-4-6', speed: 'fast', inference_geo: 'us', service_tier: 'standard' },
      { model: 'claude-sonnet-4-6', inference_geo: 'us', server_tool_use: { web_search_requests: 3 } },
      { model: 'claude-sonnet-4-6', inference_geo: 'not_available', service_tier: 'batch' },
      // an Analytics API tier costctl has no rule for: stored, priced at standard, warned about
      { model: 'claude-sonnet-4-6', inference_geo: 'global', service_tier: 'flex_discount' },
      { model: 'claude-sonnet-4-6', server_tool_use: { web_search_requests: -1 } },
    ]);
    await withCatalogDb(async (db) => {
      const r = (await ingest(db, [path])).files[0]!;
      expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([5, 4, 1]);
      expect(r.unknownServed).toEqual([{ field: 'service_tier', value: 'flex_discount', rows: 1, line: 4 }]);
      const rows = await db.all<Record<string, string | null>>(
        `SELECT model, service_tier, speed, region, web_search_calls::VARCHAR AS w, priced_model, total_cost::VARCHAR AS c
         FROM usage ORDER BY line`,
      );
      expect(rows.map(({ c, ...stored }) => stored)).toEqual([
        {
          model: 'claude-opus-4-6',
          service_tier: 'standard',
          speed: 'fast',
          region: 'us',
          w: '0',
          priced_model: 'fast/us/claude-opus-4-6',
        },
        {
          model: 'claude-sonnet-4-6',
          service_tier: null,
          speed: null,
          region: 'us',
          w: '3',
          priced_model: 'us/claude-sonnet-4-6',
        },
        // not_available states no region (as the Claude Code adapter reads it)
        {
          model: 'claude-sonnet-4-6',
          service_tier: 'batch',
          speed: null,
          region: null,
          w: '0',
          priced_model: 'claude-sonnet-4-6',
        },
        {
          model: 'claude-sonnet-4-6',
          service_tier: 'flex_discount',
          speed: null,
          region: 'global',
          w: '0',
          priced_model: 'claude-sonnet-4-6',
        },
      ]);
      const standard: [number, PriceField][] = [
        [1000, 'input'],
        [100, 'output'],
      ];
      expect(rows.map((x) => exact(x.c))).toEqual([
        cost('fast/us/claude-opus-4-6', standard),
        cost('us/claude-sonnet-4-6', [...standard, [3, 'webSearch']]),
        // Anthropic's Message Batches: 50 % of the standard rates (the provider rule)
        cost('claude-sonnet-4-6', standard, '0.5'),
        cost('claude-sonnet-4-6', standard),
      ]);
      const rejects = await db.all<{ reason: string }>('SELECT reason FROM rejects ORDER BY line');
      expect(rejects.map((x) => x.reason)).toEqual([
        expect.stringContaining('server_tool_use.web_search_requests -1 must be a whole number ≥ 0'),
      ]);
    });
  });
});
