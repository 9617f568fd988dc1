// The SQL pricing (bulk, in DuckDB) and the TypeScript pricing function must agree on every component
// of every row, including tier, batch, cache fallbacks, non-token units, versions and unpriced models.
import { describe, expect, it } from 'vitest';
import { buildModelMap, pricedSelectSql } from '../../../src/db/pricing-sql.js';
import type { BillingUnit } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { priceRequest, requestUnits } from '../../../src/domain/pricing.js';
import { sqlTimestamp } from '../../../src/domain/time.js';
import { getModel, priceVersionAt } from '../../../src/services/prices/catalog.js';
import { insertPriceVersion } from '../../../src/services/prices/catalog-write.js';
import { addPricedModel, type PriceText, priceList } from '../../helpers/catalog.js';
import { loadNameIndex } from '../../../src/db/pricing-sql.js';
import { matchModelName, servedVariant, variantModel } from '../../../src/domain/model-names.js';
import { withTempDb } from '../../helpers/db.js';
import { addAdjustment } from '../../../src/services/prices/adjustments.js';
import { adjustmentsAt, costMultipliers, type PriceAdjustment } from '../../../src/domain/price-adjustments.js';
import { addUsageV2Columns } from '../../helpers/seed.js';
import { lcg32 as rng } from '../../helpers/random.js';

const D = (s: string) => new Decimal(s);
const NOW = new Date('2026-01-01T00:00:00Z');

/** kind, provider, model pattern, percent, from and until (days of January 2026; null: open). */
const TERMS = [
  ['discount', 'anthropic', null, '20', 10, 25],
  ['discount', 'anthropic', 'claude-tiny*', '12.5', null, null],
  ['markup', 'test', 'p*', '15', 20, null],
  ['markup', 'openai', 'odd-openai', '7.5', null, null],
  ['markup', 'anthropic', 'claude-banded', '33.3333', 20, 40],
] as const;

describe('SQL pricing equals TypeScript pricing', () => {
  it('on 900 generated rows across every rule', async () => {
    await withTempDb(async (db) => {
      const model = (name: string, unit: BillingUnit, unitSize: string, p: PriceText, from?: Date, provider?: string) =>
        addPricedModel(db, name, p, { unit, unitSize, from, provider, now: NOW });
      await model('tiered', 'token', '1000', {
        input: '0.003',
        output: '0.015',
        cacheRead: '0.0003',
        cacheWrite: '0.00375',
        cacheWrite1h: '0.006',
        tierThresholdTokens: 200000n,
        tierInput: '0.006',
        tierOutput: '0.0225',
        tierCacheRead: '0.0006',
      });
      await model('plain', 'token', '1000', { input: '0.002', output: '0.008' });
      await model('batchy', 'token', '1000000', {
        input: '0.15',
        output: '0.6',
        batchInput: '0.075',
        batchOutput: '0.3',
        base: '0.0001',
      });
      // Provider rules: Anthropic cache-write multiples and batch 50 % (no batch rates, and a band);
      // Google's batch rates replaced by 50 % of the band above it; OpenAI's batch rule without batch rates.
      await model(
        'claude-banded',
        'token',
        '1000',
        {
          input: '0.003',
          output: '0.015',
          cacheRead: '0.0003',
          tierThresholdTokens: 200000n,
          tierInput: '0.006',
          tierOutput: '0.0225',
        },
        new Date(0),
        'anthropic',
      );
      await model(
        'gemini-banded',
        'token',
        '1000',
        {
          input: '0.002',
          output: '0.012',
          cacheRead: '0.0002',
          batchInput: '0.001',
          batchOutput: '0.006',
          tierThresholdTokens: 200000n,
          tierInput: '0.004',
          tierOutput: '0.018',
          tierCacheRead: '0.0004',
        },
        new Date(0),
        'gemini',
      );
      // Served variants with entries of their own (LiteLLM's fast/… and us/… keys): claude-banded has both;
      // claude-tiny has neither (fast: unpriced; us: standard prices, said in the rules).
      await model('fast/claude-banded', 'token', '1000', { input: '0.018', output: '0.09' }, new Date(0), 'anthropic');
      await model('us/claude-banded', 'token', '1000', { input: '0.0033', output: '0.0165' }, new Date(0), 'anthropic');
      await model('odd-openai', 'token', '1000000', { input: '0.333333', output: '1.111111' }, new Date(0), 'openai');
      // Rates at the 18th decimal: 1.25 ×, 2 × and 0.5 × must round the same way in both (half up).
      await model(
        'claude-tiny',
        'token',
        '1',
        { input: '0.000000000000000003', output: '0.000000000000000001' },
        new Date(0),
        'anthropic',
      );
      await model('per-request', 'request', '1', { input: '0.01', base: '0.002' });
      await model('per-minute', 'minute', '1', { input: '0.01' });
      await model('per-gb', 'gb', '1', { input: '0.023' });
      await model('late', 'token', '1000', { input: '0.001', output: '0.002' }, new Date('2026-02-01T00:00:00Z'));
      await insertPriceVersion(
        db,
        'plain',
        {
          billingUnit: 'token',
          unitSize: D('1000'),
          prices: priceList({ input: '0.0025', output: '0.01' }),
          effectiveFrom: new Date('2026-01-15T00:00:00Z'),
        },
        NOW,
      );
      await db.run("INSERT INTO model_aliases VALUES ('plain-2026', 'plain')");
      // The operator's terms, applied last: a provider-wide discount for a window, a more specific one that
      // wins over it (on 18th-decimal rates), markups alone and stacked on a discount, a window's edges.
      const day = (d: number | null) => (d === null ? null : new Date(Date.UTC(2026, 0, d)));
      const adjustments: PriceAdjustment[] = [];
      for (const [kind, provider, modelPattern, percent, from, until] of TERMS) {
        const window = { from: day(from) ?? new Date(0), until: day(until) };
        adjustments.push(
          await addAdjustment(db, { kind, provider, modelPattern, ...window, percent: D(percent), note: null }, NOW),
        );
      }

      const names = [
        'tiered',
        'plain',
        'plain-2026',
        'openai/plain',
        'batchy',
        'per-request',
        'per-minute',
        'per-gb',
        'late',
        'nope',
        'claude-banded',
        'CLAUDE-BANDED',
        'gemini-banded',
        'odd-openai',
        'claude-tiny',
      ];
      const rand = rng(42);
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
      const big = () => BigInt(Math.floor(rand() < 0.2 ? rand() * 250000 : rand() * 5000));
      const rows = Array.from({ length: 900 }, (_, i) => ({
        request_id: `r${i}`,
        ts: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 50 * 86400) * 1000),
        model: pick(names),
        input_tokens: big(),
        output_tokens: big(),
        cache_read_tokens: rand() < 0.5 ? big() : 0n,
        cache_write_tokens: rand() < 0.3 ? big() : 0n,
        cache_write_1h_tokens: rand() < 0.2 ? big() : 0n,
        requests: BigInt(1 + Math.floor(rand() * 3)),
        duration_seconds: (rand() * 600).toFixed(3),
        bytes: BigInt(Math.floor(rand() * 5e9)),
        request_type: pick(['chat', 'batch', null]),
        speed: pick([null, null, 'standard', 'fast', 'FAST', 'turbo']),
        region: pick([null, null, 'us', 'eu', 'global']),
      }));
      await db.run(`CREATE TEMP TABLE t (request_id VARCHAR, ts TIMESTAMP, model VARCHAR, provider VARCHAR, input_tokens BIGINT, output_tokens BIGINT,
        cache_read_tokens BIGINT, cache_write_tokens BIGINT, cache_write_1h_tokens BIGINT, requests BIGINT, duration_seconds DECIMAL(18,6), bytes BIGINT, request_type VARCHAR, speed VARCHAR, region VARCHAR)`);
      for (const r of rows) {
        await db.run(
          'INSERT INTO t VALUES (?, ?::TIMESTAMP, ?, NULL, ?, ?, ?, ?, ?, ?, ?::DECIMAL(18,6), ?, ?, ?, ?)',
          [
            r.request_id,
            sqlTimestamp(r.ts),
            r.model,
            r.input_tokens,
            r.output_tokens,
            r.cache_read_tokens,
            r.cache_write_tokens,
            r.cache_write_1h_tokens,
            r.requests,
            r.duration_seconds,
            r.bytes,
            r.request_type,
            r.speed,
            r.region,
          ],
        );
      }
      // Usage-log v2 columns the rows here leave at their defaults (pricing-sql-components.test.ts varies them).
      await addUsageV2Columns(db, 't');
      await buildModelMap(db, 't');
      const priced = await db.all(`SELECT * FROM (${pricedSelectSql('t')}) ORDER BY request_id`);
      const byId = new Map(priced.map((r) => [r.request_id, r]));
      const index = await loadNameIndex(db);
      let checked = 0;
      let unpriced = 0;
      let stacked = 0;
      const rulesSeen = new Set<string>();
      for (const r of rows) {
        const sql = byId.get(r.request_id)!;
        const matched = matchModelName(index, r.model);
        const variant = matched ? variantModel(index, matched, servedVariant(r.speed, r.region)) : undefined;
        const name = variant?.name;
        const version = name ? await priceVersionAt(db, (await getModel(db, name))!, r.ts) : undefined;
        if (!version) {
          expect(sql.unpriced).toBe(true);
          expect(sql.total_cost).toBeNull();
          unpriced++;
          continue;
        }
        const ts = priceRequest(
          version,
          requestUnits({
            inputTokens: r.input_tokens,
            outputTokens: r.output_tokens,
            cacheReadTokens: r.cache_read_tokens,
            cacheWriteTokens: r.cache_write_tokens,
            cacheWrite1hTokens: r.cache_write_1h_tokens,
            requests: r.requests,
            durationSeconds: D(r.duration_seconds),
            bytes: r.bytes,
            requestType: r.request_type,
          }),
          costMultipliers(adjustmentsAt(adjustments, version.provider, version.modelName, r.ts)),
        );
        expect(sql.unpriced).toBe(false);
        expect(Number(sql.price_version)).toBe(version.id);
        for (const [col, value] of [
          ['input_cost', ts.inputCost],
          ['output_cost', ts.outputCost],
          ['cache_read_cost', ts.cacheReadCost],
          ['cache_write_cost', ts.cacheWriteCost],
          ['base_cost', ts.baseCost],
          ['total_cost', ts.totalCost],
        ] as const) {
          expect(`${r.request_id} ${col} ${D(sql[col]).toFixed()}`).toBe(`${r.request_id} ${col} ${value.toFixed()}`);
        }
        const rules = [...(variant?.rule ? [variant.rule] : []), ...ts.rules];
        expect(`${r.request_id} ${sql.price_rules ?? ''}`).toBe(`${r.request_id} ${rules.join('; ')}`);
        expect(sql.priced_model).toBe(name);
        if (ts.rules.some((x) => x.startsWith('discount')) && ts.rules.some((x) => x.startsWith('markup'))) stacked++;
        for (const rule of rules)
          rulesSeen.add(rule.replace(/\b\d+(\.\d+)?\b/g, 'N').replace(/\b(us|fast)\/\S+/g, '$1/M'));
        checked++;
      }
      // Both branches were exercised: unknown model and rows before 'late' took effect are unpriced.
      expect(checked).toBeGreaterThan(400);
      expect(unpriced).toBeGreaterThan(30);
      expect(stacked).toBeGreaterThan(2);
      // Every rule was taken by some row, so each has been compared.
      expect([...rulesSeen].sort()).toEqual([
        'band above N prompt tokens',
        'batch N % (anthropic rule)',
        'batch N % (openai rule)',
        'batch N % of the band (anthropic rule)',
        'batch N % of the band (google rule)',
        'batch rates',
        'cache read at the input rate (no cache read price)',
        'cache write 1h = N × input (anthropic rule)',
        'cache write 1h at the 5m write rate (no 1h price)',
        'cache write 5m = N × input (anthropic rule)',
        'cache write at the input rate (no cache write price)',
        'discount N % (#N)',
        'fast mode: fast/M prices',
        'markup N % (#N)',
        'region us: no us/M in the catalog, standard prices',
        'region us: us/M prices',
      ]);
    });
  });
});
