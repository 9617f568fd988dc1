// Langfuse's model prices and LiteLLM's newer encoding (provider_specific_entry multipliers, as variant entries), imported and
// checked against the files' own numbers; what today's price fields cannot hold is counted, not dropped silently.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { detectCatalogFormat, importCatalog } from '../../../src/services/prices/import/apply.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { ROOT } from '../../helpers/cli.js';
import { withTempDb } from '../../helpers/db.js';
import type { Db } from '../../../src/db/database.js';

const LANGFUSE_FILE = join(ROOT, 'fixtures', 'pricing', 'langfuse-default-model-prices.json');
const LANGFUSE = readFileSync(LANGFUSE_FILE, 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');

async function current(db: Db, model: string) {
  return db.one<Record<string, string | null>>(
    `SELECT input_price::VARCHAR AS input, output_price::VARCHAR AS output, cache_read_price::VARCHAR AS cache_read,
       cache_write_price::VARCHAR AS cache_write, cache_write_1h_price::VARCHAR AS cache_write_1h,
       tier_threshold_tokens::VARCHAR AS threshold, tier_input_price::VARCHAR AS tier_input, source
     FROM model_prices WHERE model_name = ? ORDER BY effective_from DESC LIMIT 1`,
    [model],
  );
}
/** A per-token price as the file writes it, per 1K tokens by hand. */
const perK = (text: string) => new Decimal(text).times(1000).toFixed(18);

describe('Langfuse import', () => {
  it('detects the format and takes the default tier, a prompt-size tier, and counts the others', async () => {
    expect(detectCatalogFormat(LANGFUSE_FILE, LANGFUSE)).toBe('langfuse');
    await withTempDb(async (db) => {
      const report = await importCatalog(db, LANGFUSE_FILE, 'langfuse', LANGFUSE, {
        now: NOW,
        catalogDate: '2026-08-22',
      });
      expect(report.added.length).toBe((JSON.parse(LANGFUSE) as unknown[]).length - report.skipped.length);
      // The file: input 8e-07, output 4e-06, input_cache_read 8e-08, 5-minute write 1e-06, 1-hour write 1.6e-06.
      expect(await current(db, 'claude-3-5-haiku-20241022')).toEqual({
        input: perK('8e-07'),
        output: perK('4e-06'),
        cache_read: perK('8e-08'),
        cache_write: perK('1e-06'),
        cache_write_1h: perK('1.6e-06'),
        threshold: null,
        tier_input: null,
        source: 'langfuse 2026-08-22',
      });
      // "Large Context": (input|prompt|cached) gt 200000 → input 2.5e-06 instead of 1.25e-06.
      expect(await current(db, 'gemini-2.5-pro')).toMatchObject({
        input: perK('1.25e-06'),
        threshold: '200000',
        tier_input: perK('2.5e-06'),
      });
      const long = await estimateRequest(db, 'gemini-2.5-pro', requestUnits({ inputTokens: 200_001n }), NOW);
      expect(new Decimal(long.total_cost!).eq(new Decimal('2.5e-06').times(200_001))).toBe(true);
      expect(report.unrepresentable['conditional tier "Fast mode"']).toBeGreaterThan(0);
      const again = await importCatalog(db, LANGFUSE_FILE, 'langfuse', LANGFUSE, { now: NOW });
      expect([again.added.length, again.changed.length]).toEqual([0, 0]);
    });
  });

  it('refuses a negative price, naming the model', async () => {
    await withTempDb(async (db) => {
      const bad = '[{"modelName":"m","pricingTiers":[{"isDefault":true,"conditions":[],"prices":{"input":-1}}]}]';
      await expect(importCatalog(db, 'lf.json', 'langfuse', bad, { now: NOW })).rejects.toThrow(
        /lf\.json: model 1 "m": price "input" must be a non-negative number, got -1$/,
      );
    });
  });
});

describe("LiteLLM's newer encoding", () => {
  // Hand-made in the mid-2026 shape: variants as multipliers of the entry's prices.
  const newer = JSON.stringify({
    'claude-opus-4-6': {
      litellm_provider: 'anthropic',
      mode: 'chat',
      input_cost_per_token: 5e-6,
      output_cost_per_token: 2.5e-5,
      provider_specific_entry: { fast: 2.0, us: 1.1 },
    },
    'gpt-5.4': {
      litellm_provider: 'openai',
      mode: 'chat',
      input_cost_per_token: 1.25e-6,
      output_cost_per_token: 1e-5,
      provider_specific_entry: { us: 1.1 },
    },
  });

  it('imports the base prices and each multiplier as a variant entry (litellm-variants.test.ts prices them)', async () => {
    await withTempDb(async (db) => {
      const report = await importCatalog(db, 'new.json', 'litellm', newer, { now: NOW });
      expect([...report.added].sort()).toEqual([
        'claude-opus-4-6',
        'fast/claude-opus-4-6',
        'fast/us/claude-opus-4-6',
        'gpt-5.4',
        'us/claude-opus-4-6',
        'us/gpt-5.4',
      ]);
      expect(report.unrepresentable).toEqual({});
      expect(await current(db, 'claude-opus-4-6')).toMatchObject({ input: perK('5e-6'), output: perK('2.5e-5') });
      // fast × 2: 5e-6 × 2 = 1e-5 per token; us × 1.1: 1.25e-6 × 1.1 = 1.375e-6
      expect(await current(db, 'fast/claude-opus-4-6')).toMatchObject({ input: perK('1e-5'), output: perK('5e-5') });
      expect(await current(db, 'us/gpt-5.4')).toMatchObject({ input: perK('1.375e-6'), output: perK('1.1e-5') });
    });
  });

  it('a key the catalog states itself wins over the multiplier; other facts are counted, not read as multipliers', async () => {
    await withTempDb(async (db) => {
      const both = JSON.stringify({
        ...JSON.parse(newer),
        'fast/claude-opus-4-6': {
          litellm_provider: 'anthropic',
          mode: 'chat',
          input_cost_per_token: 3e-5,
          output_cost_per_token: 1.5e-4,
        },
        'MiniMax-H3': {
          litellm_provider: 'minimax',
          mode: 'chat',
          input_cost_per_token: 1e-6,
          output_cost_per_token: 2e-6,
          provider_specific_entry: { minimax_free_input_images: 3 },
        },
      });
      const report = await importCatalog(db, 'new.json', 'litellm', both, { now: NOW });
      expect(report.unrepresentable).toEqual({ 'provider_specific_entry "minimax_free_input_images"': 1 });
      expect(report.added).not.toContain('fast/MiniMax-H3');
      // The stated key: 3e-5 per token, not the multiplier's 5e-6 × 2 = 1e-5.
      expect(await current(db, 'fast/claude-opus-4-6')).toMatchObject({ input: perK('3e-5'), output: perK('1.5e-4') });
    });
  });

  it('refuses a multiplier that is not a number', async () => {
    await withTempDb(async (db) => {
      const bad = newer.replace('"fast":2', '"fast":"2x"');
      await expect(importCatalog(db, 'new.json', 'litellm', bad, { now: NOW })).rejects.toThrow(
        /provider_specific_entry.*"2x"/,
      );
      expect((await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM models'))!.n).toBe('0');
    });
  });
});
