// Records are priced in TypeScript (row-pricer.ts), appended, and added to the rollup from the rows in
// hand (rollup-add.ts). Both must give exactly what the bulk paths give: every priced column equal to
// the SQL pricing of the same rows, and the rollup equal to a fresh aggregation (verifyRollup), with
// directory attribution, a quota model filter, served variants, versions, aliases, unknown models,
// repeats, and a zone on the quarter hour (Asia/Kathmandu).
import { describe, expect, it } from 'vitest';
import { buildModelMap, pricedSelectSql } from '../../../src/db/pricing-sql.js';
import type { BillingUnit } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { addQuota, QUOTA_DEFAULTS } from '../../../src/services/limits/quotas.js';
import { rebuildRollup, verifyRollup } from '../../../src/services/limits/rollup.js';
import { addAdjustment } from '../../../src/services/prices/adjustments.js';
import { insertPriceVersion } from '../../../src/services/prices/catalog-write.js';
import { addPricedModel, type PriceText, priceList } from '../../helpers/catalog.js';
import { recordUsageBatch, type RecordInput } from '../../../src/services/usage/record-request.js';
import { withTempDb } from '../../helpers/db.js';
import { lcg32 } from '../../helpers/random.js';

const D = (s: string) => new Decimal(s);
const NOW = new Date('2026-03-01T00:00:00Z');
const PRICED = ['priced_model', 'price_version', 'unpriced', 'input_cost', 'output_cost', 'cache_read_cost'];
const PRICED_MORE = ['cache_write_cost', 'base_cost', 'total_cost', 'price_rules', 'unpriced_parts', 'provider'];

describe('recording a batch', () => {
  it('prices as the bulk SQL does and keeps the rollup equal to the rows', async () => {
    await withTempDb(async (db) => {
      const model = (name: string, unit: BillingUnit, unitSize: string, p: PriceText, from?: Date, provider?: string) =>
        addPricedModel(db, name, p, { unit, unitSize, from, provider, now: NOW });
      await model('plain', 'token', '1000', { input: '0.002', output: '0.008' });
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
      const claude = {
        input: '0.003',
        output: '0.015',
        cacheRead: '0.0003',
        tierThresholdTokens: 200000n,
        tierInput: '0.006',
        tierOutput: '0.0225',
      };
      await model('claude-banded', 'token', '1000', claude, new Date(0), 'anthropic');
      await model('fast/claude-banded', 'token', '1000', { input: '0.018', output: '0.09' }, new Date(0), 'anthropic');
      await model('us/claude-banded', 'token', '1000', { input: '0.0033', output: '0.0165' }, new Date(0), 'anthropic');
      await model(
        'batchy',
        'token',
        '1000000',
        { input: '0.15', output: '0.6', batchInput: '0.075', batchOutput: '0.3', base: '0.0001' },
        new Date(0),
        'openai',
      );
      await model('per-minute', 'minute', '1', { input: '0.01' });
      await model('per-request', 'request', '1', { input: '0.01', base: '0.002' });
      await model('late', 'token', '1000', { input: '0.001', output: '0.002' }, new Date('2026-02-01T00:00:00Z'));
      // Components and served tiers (#15): reasoning and audio at their own rates, searches per call, flex
      // rates but no priority ones (a priority row is unpriced, with the reason); no image price (partly
      // unpriced). And the operator's terms (#16): 20 % off this provider from mid-January, a 10 % markup.
      await model(
        'modal',
        'token',
        '1000000',
        {
          input: '1.25',
          output: '10',
          cacheRead: '0.125',
          reasoning: '12',
          audioInput: '40',
          audioOutput: '80',
          webSearch: '0.01',
          flexInput: '0.625',
          flexOutput: '5',
        },
        new Date(0),
        'modalco',
      );
      const term = { provider: 'modalco', modelPattern: null, until: null, note: null };
      await addAdjustment(db, { ...term, kind: 'discount', percent: D('20'), from: new Date('2026-01-15') }, NOW);
      await addAdjustment(db, { ...term, kind: 'markup', percent: D('10'), from: new Date(0) }, NOW);
      await db.run(
        `INSERT INTO directory (user_id, department, organization, project, updated_at) VALUES
         ('u1', 'sales', 'acme', 'apollo', now()), ('u2', 'ops', NULL, NULL, now())`,
      );
      const quota = {
        ...QUOTA_DEFAULTS,
        period: 'monthly' as const,
        limit: D('1000'),
        dailyLimit: null,
        hourlyLimit: null,
        recipients: [],
      };
      await addQuota(db, { ...quota, name: 'all', scope: { type: 'global', value: null }, model: null }, NOW);
      await addQuota(db, { ...quota, name: 'plain', scope: { type: 'user', value: 'u1' }, model: 'plain' }, NOW);
      expect((await rebuildRollup(db, 'Asia/Kathmandu', NOW)).built).toBe(true);

      const rand = lcg32(19);
      const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
      const big = () => BigInt(Math.floor(rand() < 0.2 ? rand() * 250000 : rand() * 5000));
      const names = [
        'plain',
        'plain-2026',
        'openai/plain',
        'claude-banded',
        'CLAUDE-BANDED',
        'batchy',
        'per-minute',
        'per-request',
        'late',
        'modal',
        'modal',
        'nope',
      ];
      const inputs: RecordInput[] = Array.from({ length: 300 }, (_, i) => ({
        // One in ten repeats an earlier id: stored once, answered with what is stored.
        requestId: i > 20 && rand() < 0.1 ? `r${Math.floor(rand() * i)}` : `r${i}`,
        timestamp: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 50 * 86400) * 1000 + Math.floor(rand() * 1000)),
        model: pick(names),
        userId: pick(['u1', 'u2', 'u3', undefined]),
        department: pick([undefined, undefined, 'eng']),
        accountId: pick([undefined, 'wx-1']),
        inputTokens: big(),
        outputTokens: big(),
        cacheReadTokens: rand() < 0.5 ? big() : 0n,
        cacheWriteTokens: rand() < 0.3 ? big() : 0n,
        requests: BigInt(1 + Math.floor(rand() * 3)),
        durationSeconds: D((rand() * 600).toFixed(7)),
        requestType: pick(['chat', 'batch', undefined]),
        reasoningTokens: rand() < 0.3 ? BigInt(Math.floor(rand() * 500)) : 0n,
        audioInputTokens: rand() < 0.2 ? BigInt(Math.floor(rand() * 500)) : 0n,
        imageOutputTokens: rand() < 0.1 ? BigInt(Math.floor(rand() * 500)) : 0n,
        webSearchCalls: rand() < 0.2 ? BigInt(1 + Math.floor(rand() * 3)) : 0n,
        serviceTier: pick([undefined, undefined, 'flex', 'priority', 'batch']),
        speed: pick([undefined, 'fast', 'standard']),
        region: pick([undefined, 'us', 'eu']),
      }));
      let stored = 0;
      for (let i = 0; i < inputs.length; i += 37) {
        const results = await recordUsageBatch(db, inputs.slice(i, i + 37), NOW);
        stored += results.filter((r) => r.stored).length;
      }
      const distinct = new Set(inputs.map((r) => r.requestId)).size;
      expect(stored).toBe(distinct);
      expect(Number((await db.one('SELECT count(*)::INT AS n FROM usage'))!.n)).toBe(distinct);
      expect(await verifyRollup(db)).toBe(0);

      // The same rows priced by the bulk SQL.
      // The native columns only: what the SQL pricing passes through must not include what it computes.
      const computed = [...PRICED, ...PRICED_MORE].join(', ');
      await db.run(`CREATE TEMP TABLE again AS SELECT * EXCLUDE (${computed}), NULL::VARCHAR AS provider FROM usage`);
      await buildModelMap(db, 'again');
      const cols = [...PRICED, ...PRICED_MORE].map((c) => `${c}::VARCHAR AS ${c}`).join(', ');
      const bulk = await db.all(
        `SELECT request_id, ${cols} FROM (${pricedSelectSql('again', 'model_map', { catalogProvider: true })}) ORDER BY request_id`,
      );
      const mine = await db.all(`SELECT request_id, ${cols} FROM usage ORDER BY request_id`);
      expect(mine).toEqual(bulk);
      // Every kind of row was there: priced, unpriced, with rules.
      expect(mine.filter((r) => r.unpriced === 'true').length).toBeGreaterThan(10);
      expect(mine.filter((r) => r.price_rules !== null).length).toBeGreaterThan(10);
      expect(mine.filter((r) => r.price_rules?.includes('; ')).length).toBeGreaterThan(3);
      expect(new Set(mine.map((r) => r.priced_model)).size).toBeGreaterThan(6);
      // And the 2026 kinds: partly unpriced rows, a tier without rates, the operator's terms.
      expect(mine.filter((r) => r.unpriced_parts !== null).length).toBeGreaterThan(0);
      expect(mine.filter((r) => r.price_rules?.startsWith('service tier priority')).length).toBeGreaterThan(0);
      expect(mine.filter((r) => r.price_rules?.includes('discount 20 %')).length).toBeGreaterThan(0);
      expect(mine.filter((r) => r.price_rules?.includes('markup 10 %')).length).toBeGreaterThan(0);
    });
  });
});
