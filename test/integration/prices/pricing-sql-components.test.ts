// The SQL twin and priceRequest agree on the rules of issue #15's second half: served tiers (batch, flex,
// priority, unknown), reasoning/audio/image breakdowns, per-image and per-web-search charges, and the
// parts a row leaves unpriced. Generated rows over models that have some components and lack others.
import { describe, expect, it } from 'vitest';
import { buildModelMap, loadNameIndex, pricedSelectSql } from '../../../src/db/pricing-sql.js';
import { Decimal } from '../../../src/domain/money.js';
import { matchModelName } from '../../../src/domain/model-names.js';
import { priceRequest, requestUnits } from '../../../src/domain/pricing.js';
import { sqlTimestamp } from '../../../src/domain/time.js';
import { getModel, priceVersionAt } from '../../../src/services/prices/catalog.js';
import { addPricedModel, type PriceText } from '../../helpers/catalog.js';
import { withTempDb } from '../../helpers/db.js';
import { lcg32 as rng } from '../../helpers/random.js';

const D = (s: string) => new Decimal(s);
const NOW = new Date('2026-01-01T00:00:00Z');
const COUNTS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'audio_input_tokens',
  'image_input_tokens',
  'audio_output_tokens',
  'image_output_tokens',
  'images',
  'web_search_calls',
  'requests',
] as const;

describe('SQL pricing equals TypeScript pricing on tiers and components', () => {
  it('on 1,200 generated rows', async () => {
    await withTempDb(async (db) => {
      const model = (name: string, provider: string, p: PriceText) =>
        addPricedModel(db, name, p, { unitSize: '1000000', provider, now: NOW });
      // gpt-5-like: flex and priority rates; gpt-4o-2024-05-13-like: priority without a cached price.
      await model('tiers', 'openai', {
        input: '1.25',
        output: '10',
        cacheRead: '0.125',
        flexInput: '0.625',
        flexOutput: '5',
        flexCacheRead: '0.0625',
        priorityInput: '2.5',
        priorityOutput: '20',
      });
      // gpt-4o-audio-like, with a reasoning rate and per-call web search (OpenAI medium context).
      await model('audio', 'openai', {
        input: '2.5',
        output: '10',
        audioInput: '40',
        audioOutput: '80',
        reasoning: '12',
        webSearch: '0.035',
      });
      // gemini-2.5-flash-image-like: image tokens, a per-image price, batch rule, a band.
      await model('imagey', 'gemini', {
        input: '0.3',
        output: '2.5',
        imageOutput: '30',
        imageInput: '0.3',
        perImage: '0.039',
        reasoning: '2.5',
        tierThresholdTokens: 200000n,
        tierInput: '0.6',
        tierOutput: '5',
      });
      // A Claude model: no web search price (Anthropic's $0.01 rule), no audio (unpriced part), batch rule.
      await model('claude-x', 'anthropic', { input: '3', output: '15', cacheRead: '0.3' });
      // No provider rule: batch rates, nothing else.
      await model('other', 'test', { input: '1', output: '2', batchInput: '0.4', batchOutput: '0.9' });

      const names = ['tiers', 'audio', 'imagey', 'claude-x', 'other'];
      const rand = rng(1515);
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
      const n = (max: number) => BigInt(Math.floor(rand() * max));
      const part = (total: bigint) => (rand() < 0.4 ? BigInt(Math.floor(Number(total) * rand() * 0.5)) : 0n);
      const rows = Array.from({ length: 1200 }, (_, i) => {
        const input = rand() < 0.1 ? n(260000) : n(8000);
        const output = n(4000);
        return {
          request_id: `c${i}`,
          ts: new Date(Date.UTC(2026, 0, 1) + i * 60000),
          model: pick(names),
          input_tokens: input,
          output_tokens: output,
          cache_read_tokens: rand() < 0.4 ? n(5000) : 0n,
          cache_write_tokens: rand() < 0.2 ? n(3000) : 0n,
          cache_write_1h_tokens: rand() < 0.1 ? n(3000) : 0n,
          reasoning_tokens: part(output) / 2n,
          audio_input_tokens: part(input) / 2n,
          image_input_tokens: part(input) / 2n,
          audio_output_tokens: part(output) / 4n,
          image_output_tokens: rand() < 0.5 ? 0n : part(output) / 4n,
          images: rand() < 0.3 ? n(3) : 0n,
          web_search_calls: rand() < 0.3 ? n(4) : 0n,
          requests: 1n,
          request_type: pick([null, null, 'chat', 'batch']),
          service_tier: pick([null, 'standard', 'default', 'flex', 'priority', 'Priority', 'batch', 'scale']),
        };
      });
      await db.run(`CREATE TEMP TABLE t (request_id VARCHAR, ts TIMESTAMP, model VARCHAR, provider VARCHAR,
        ${COUNTS.map((c) => `${c} BIGINT`).join(', ')}, duration_seconds DECIMAL(18,6), bytes BIGINT,
        request_type VARCHAR, service_tier VARCHAR, speed VARCHAR, region VARCHAR)`);
      const one = `(?, ?::TIMESTAMP, ?, NULL, ${COUNTS.map(() => '?').join(', ')}, NULL, NULL, ?, ?, NULL, NULL)`;
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        await db.run(
          `INSERT INTO t VALUES ${chunk.map(() => one).join(', ')}`,
          chunk.flatMap((r) => [
            r.request_id,
            sqlTimestamp(r.ts),
            r.model,
            ...COUNTS.map((c) => r[c]),
            r.request_type,
            r.service_tier,
          ]),
        );
      }
      await buildModelMap(db, 't');
      const priced = new Map(
        (await db.all(`SELECT * FROM (${pricedSelectSql('t')})`)).map((r) => [r.request_id as string, r]),
      );
      const index = await loadNameIndex(db);
      const seen = { rules: new Set<string>(), parts: new Set<string>(), unpriced: 0, partly: 0 };
      for (const r of rows) {
        const sql = priced.get(r.request_id)!;
        const version = (await priceVersionAt(db, (await getModel(db, matchModelName(index, r.model)!))!, r.ts))!;
        const ts = priceRequest(
          version,
          requestUnits({
            inputTokens: r.input_tokens,
            outputTokens: r.output_tokens,
            cacheReadTokens: r.cache_read_tokens,
            cacheWriteTokens: r.cache_write_tokens,
            cacheWrite1hTokens: r.cache_write_1h_tokens,
            reasoningTokens: r.reasoning_tokens,
            audioInputTokens: r.audio_input_tokens,
            imageInputTokens: r.image_input_tokens,
            audioOutputTokens: r.audio_output_tokens,
            imageOutputTokens: r.image_output_tokens,
            images: r.images,
            webSearchCalls: r.web_search_calls,
            requestType: r.request_type,
            serviceTier: r.service_tier,
          }),
        );
        if (ts.unpriced !== null) {
          expect(`${r.request_id} ${sql.unpriced} ${sql.total_cost} ${sql.price_rules}`).toBe(
            `${r.request_id} true null ${ts.unpriced}`,
          );
          seen.rules.add(ts.unpriced);
          seen.unpriced++;
          continue;
        }
        const got = ['input_cost', 'output_cost', 'cache_read_cost', 'cache_write_cost', 'base_cost', 'total_cost'].map(
          (c) => `${c}=${D(sql[c]).toFixed()}`,
        );
        const want = [ts.inputCost, ts.outputCost, ts.cacheReadCost, ts.cacheWriteCost, ts.baseCost, ts.totalCost];
        expect(`${r.request_id} ${got.join(' ')}`).toBe(
          `${r.request_id} ${got.map((g, i) => `${g.split('=')[0]}=${want[i]!.toFixed()}`).join(' ')}`,
        );
        expect(`${r.request_id} ${sql.price_rules ?? ''}`).toBe(`${r.request_id} ${ts.rules.join('; ')}`);
        expect(`${r.request_id} ${sql.unpriced_parts ?? ''}`).toBe(`${r.request_id} ${ts.unpricedParts.join(', ')}`);
        expect(sql.unpriced).toBe(false);
        for (const rule of ts.rules) seen.rules.add(rule.replace(/\b\d+(\.\d+)?\b/g, 'N'));
        for (const p of ts.unpricedParts) seen.parts.add(p);
        if (ts.unpricedParts.length) seen.partly++;
      }
      // Every new rule and every kind of unpriced part was compared on some row.
      expect([...seen.rules].sort()).toEqual([
        'band above N prompt tokens',
        'batch N % (anthropic rule)',
        'batch N % (google rule)',
        'batch N % (openai rule)',
        'batch N % of the band (google rule)',
        'batch rates',
        'cache read at the input rate (no cache read price)',
        'cache write 1h = N × input (anthropic rule)',
        'cache write 1h at the 5m write rate (no 1h price)',
        'cache write 5m = N × input (anthropic rule)',
        'cache write at the input rate (no cache write price)',
        'service tier "scale": not a priced tier, standard prices',
        'service tier flex: flex prices',
        'service tier flex: no flex price in the catalog',
        'service tier priority: no priority price in the catalog',
        'service tier priority: priority prices',
        'web search $N per call (anthropic rule)',
      ]);
      expect([...seen.parts].sort()).toEqual([
        'audio input tokens',
        'audio output tokens',
        'cache read tokens',
        'image output tokens',
        'images',
        'web search calls',
      ]);
      expect(seen.unpriced).toBeGreaterThan(50);
      expect(seen.partly).toBeGreaterThan(100);
    });
  });
});
