// LiteLLM's newer encoding (#15): `"provider_specific_entry": {"us": 1.1, "fast": 6.0}` on the model's entry
// becomes the `us/…`, `fast/…` and `fast/us/…` entries the older separate keys were, every per-token rate times
// the multiplier (both: the product), exactly; the per-call web search price is kept. Priced the same by
// estimate (TypeScript), ingest (the bulk SQL) and record (the row pricer). The fixture's entries are copied
// unchanged from LiteLLM (fixtures/pricing/README.md); every figure below is worked by hand from them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { ROOT } from '../../helpers/cli.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest } from '../ingest/ingest-helpers.js';

const FILE = join(ROOT, 'fixtures', 'pricing', 'litellm-provider-specific-entry.json');
const AT = new Date('2026-03-02T09:00:00Z');

async function imported<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return withTempDb(async (db) => {
    await importCatalog(db, FILE, 'litellm', readFileSync(FILE, 'utf8'), { now: new Date('2026-01-01T00:00:00Z') });
    return fn(db);
  });
}

/** The prices per 1K tokens (per call for web search) of a model's version, as stored. */
async function prices(db: Db, model: string) {
  return db.one<Record<string, string | null>>(
    `SELECT input_price::VARCHAR AS input, output_price::VARCHAR AS output, cache_read_price::VARCHAR AS cache_read,
       cache_write_price::VARCHAR AS cache_write, cache_write_1h_price::VARCHAR AS cache_write_1h,
       web_search_price::VARCHAR AS web_search
     FROM model_prices WHERE model_name = ?`,
    [model],
  );
}
/** A price written by hand, at the stored scale (18 decimals). */
const d = (x: string) => new Decimal(x).toFixed(18);
/** Two amounts equal as exact decimals (the stored 18 decimals against the hand figure); null for unpriced. */
const exact = (x: string | null | undefined) => (x == null ? null : new Decimal(x).toFixed());

describe('LiteLLM provider_specific_entry multipliers', () => {
  it('import: each multiplier is a variant entry, every token price times it, the search price kept', async () => {
    await imported(async (db) => {
      const names = (
        await db.all<{ name: string; provider: string }>('SELECT name, provider FROM models ORDER BY name')
      ).map((r) => `${r.name} ${r.provider}`);
      expect(names).toEqual([
        'claude-fable-5 anthropic',
        'claude-opus-4-6 anthropic',
        'claude-opus-4-8 anthropic',
        'fast/claude-opus-4-6 anthropic',
        'fast/claude-opus-4-8 anthropic',
        'fast/us/claude-opus-4-6 anthropic',
        'fast/us/claude-opus-4-8 anthropic',
        'us/claude-fable-5 anthropic',
        'us/claude-opus-4-6 anthropic',
        'us/claude-opus-4-8 anthropic',
      ]);
      // claude-opus-4-6 per 1K: input 5e-06 × 1000 = 0.005, output 0.025, cache read 0.0005, 5m write 0.00625,
      // 1h write 0.01; web search 0.01 per call.
      expect(await prices(db, 'claude-opus-4-6')).toEqual({
        input: d('0.005'),
        output: d('0.025'),
        cache_read: d('0.0005'),
        cache_write: d('0.00625'),
        cache_write_1h: d('0.01'),
        web_search: d('0.01'),
      });
      // us (× 1.1): 0.0055, 0.0275, 0.00055, 0.006875, 0.011; search 0.01
      expect(await prices(db, 'us/claude-opus-4-6')).toEqual({
        input: d('0.0055'),
        output: d('0.0275'),
        cache_read: d('0.00055'),
        cache_write: d('0.006875'),
        cache_write_1h: d('0.011'),
        web_search: d('0.01'),
      });
      // fast (× 6): 0.03, 0.15, 0.003, 0.0375, 0.06
      expect(await prices(db, 'fast/claude-opus-4-6')).toEqual({
        input: d('0.03'),
        output: d('0.15'),
        cache_read: d('0.003'),
        cache_write: d('0.0375'),
        cache_write_1h: d('0.06'),
        web_search: d('0.01'),
      });
      // fast in region us (× 6 × 1.1 = × 6.6): 0.033, 0.165, 0.0033, 0.04125, 0.066
      expect(await prices(db, 'fast/us/claude-opus-4-6')).toEqual({
        input: d('0.033'),
        output: d('0.165'),
        cache_read: d('0.0033'),
        cache_write: d('0.04125'),
        cache_write_1h: d('0.066'),
        web_search: d('0.01'),
      });
      // claude-opus-4-8 fast (× 2): input 0.01, output 0.05
      expect(await prices(db, 'fast/claude-opus-4-8')).toMatchObject({ input: d('0.01'), output: d('0.05') });
    });
  });

  // One request: 1000 input, 100 output, 2000 cache read, 400 5-minute and 100 1-hour cache writes, 1 search.
  const units = {
    inputTokens: 1000n,
    outputTokens: 100n,
    cacheReadTokens: 2000n,
    cacheWriteTokens: 400n,
    cacheWrite1hTokens: 100n,
    webSearchCalls: 1n,
  };
  const CASES: [string, string | undefined, string | undefined, string | null][] = [
    // 1000 × 0.000005 + 100 × 0.000025 + 2000 × 0.0000005 + 400 × 0.00000625 + 100 × 0.00001 + 0.01
    //   = 0.005 + 0.0025 + 0.001 + 0.0025 + 0.001 + 0.01 = 0.022
    ['claude-opus-4-6', undefined, undefined, '0.022'],
    // × 6 on every token price: 0.03 + 0.015 + 0.006 + 0.015 + 0.006 + 0.01 = 0.082
    ['claude-opus-4-6', 'fast', undefined, '0.082'],
    // × 1.1: 0.0055 + 0.00275 + 0.0011 + 0.00275 + 0.0011 + 0.01 = 0.0232
    ['claude-opus-4-6', undefined, 'us', '0.0232'],
    // × 6.6: 0.033 + 0.0165 + 0.0066 + 0.0165 + 0.0066 + 0.01 = 0.0892
    ['claude-opus-4-6', 'fast', 'us', '0.0892'],
    // claude-opus-4-8 × 2: 0.01 + 0.005 + 0.002 + 0.005 + 0.002 + 0.01 = 0.034
    ['claude-opus-4-8', 'fast', undefined, '0.034'],
    // claude-fable-5 × 1.1: 1000 × 0.000011 + 100 × 0.000055 + 2000 × 0.0000011 + 400 × 0.00001375
    //   + 100 × 0.000022 + 0.01 = 0.011 + 0.0055 + 0.0022 + 0.0055 + 0.0022 + 0.01 = 0.0364
    ['claude-fable-5', undefined, 'us', '0.0364'],
    // claude-fable-5 states no fast multiplier: fast mode is unpriced, never standard
    ['claude-fable-5', 'fast', undefined, null],
  ];

  it('estimate, ingest and record price each variant the same, as worked by hand', async () => {
    await imported(async (db) => {
      const dir = tempDir('costctl-variants-');
      const file = join(dir, 'usage.jsonl');
      writeFileSync(
        file,
        `${CASES.map(([model, speed, region], i) =>
          JSON.stringify({
            request_id: `r${i}`,
            timestamp: AT.toISOString(),
            model,
            input_tokens: 1000,
            output_tokens: 100,
            cache_read_tokens: 2000,
            cache_write_tokens: 400,
            cache_write_1h_tokens: 100,
            web_search_calls: 1,
            speed,
            region,
          }),
        ).join('\n')}\n`,
      );
      await ingest(db, [file]);
      const stored = new Map(
        (
          await db.all<{ request_id: string; total: string | null }>(
            'SELECT request_id, total_cost::VARCHAR AS total FROM usage',
          )
        ).map((r) => [r.request_id, r.total]),
      );
      for (const [i, [model, speed, region, total]] of CASES.entries()) {
        const estimate = await estimateRequest(db, model, requestUnits({ ...units, speed, region }), AT);
        const recorded = await recordUsage(db, { timestamp: AT, model, speed, region, ...units }, AT);
        expect([model, speed, region, exact(estimate.total_cost)]).toEqual([model, speed, region, exact(total)]);
        expect(exact(stored.get(`r${i}`))).toBe(exact(total));
        expect(exact(recorded.total_cost)).toBe(exact(total));
      }
    });
  });
});
