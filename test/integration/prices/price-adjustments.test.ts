// The operator's discounts and markups on a real database: hand-computed costs at ingest, windows, the most
// specific scope winning, survival through catalog imports, reconcile against the provider's bill, and
// every refusal.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { addAdjustment, listAdjustments, removeAdjustment } from '../../../src/services/prices/adjustments.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { reconcileBilling } from '../../../src/services/reconcile/billing-compare.js';
import { repriceUsage } from '../../../src/services/usage/reprice.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { worstCaseCost } from '../../../src/services/limits/check.js';
import { BEGINNING } from '../../../src/services/prices/catalog.js';
import type { AdjustmentInput } from '../../../src/services/prices/adjustments.js';
import type { Db } from '../../../src/db/database.js';
import { withTempDb } from '../../helpers/db.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertBilling, insertPricedUsage } from '../../helpers/seed.js';

const NOW = new Date('2026-03-20T00:00:00Z');
const at = (d: string) => new Date(`${d}T00:00:00Z`);
const discount = (over: Partial<AdjustmentInput> = {}): AdjustmentInput => ({
  kind: 'discount',
  provider: 'anthropic',
  modelPattern: null,
  percent: new Decimal(20),
  from: BEGINNING,
  until: null,
  note: null,
  ...over,
});

const costs = (db: Db) =>
  db.all<{ request_id: string; total_cost: string; price_rules: string | null }>(
    'SELECT request_id, total_cost::VARCHAR AS total_cost, price_rules FROM usage ORDER BY request_id',
  );

async function catalog(db: Db) {
  // gpt-x: $2 / 1M input, $8 / 1M output. claude-y and claude-opus-z: $3 / $15.
  await addTokenModel(db, 'gpt-x', 'openai', { input: '2', output: '8' });
  await addTokenModel(db, 'claude-y', 'anthropic', { input: '3', output: '15' });
  await addTokenModel(db, 'claude-opus-z', 'anthropic', { input: '3', output: '15' });
}

const row = (request_id: string, ts: string, model: string, provider: string) => ({
  request_id,
  ts,
  model,
  provider,
  input_tokens: 200_000,
  output_tokens: 100_000,
});

describe("the operator's discounts and markups", () => {
  it('price rows inside their windows, hand-computed; the most specific wins; a markup stacks', async () => {
    await withTempDb(async (db) => {
      await catalog(db);
      // 20 % off every anthropic model from 03-10 through 03-14 (until is exclusive: 03-15 00:00).
      await addAdjustment(db, discount({ from: at('2026-03-10'), until: at('2026-03-15') }), NOW);
      // 30 % off the opus models, always: wins over the provider-wide 20 %.
      await addAdjustment(db, discount({ modelPattern: 'claude-opus-*', percent: new Decimal(30) }), NOW);
      // A 15 % chargeback markup on gpt-x.
      await addAdjustment(
        db,
        discount({ kind: 'markup', provider: 'OpenAI', modelPattern: 'gpt-x', percent: new Decimal(15) }),
        NOW,
      );
      await insertPricedUsage(db, [
        row('a-before', '2026-03-09 23:59:59', 'claude-y', 'anthropic'), // 0.6 + 1.5 = 2.10, no discount
        row('a-first', '2026-03-10 00:00:00', 'claude-y', 'anthropic'), // 2.10 × 0.8 = 1.68
        row('a-last', '2026-03-14 23:59:59', 'claude-y', 'anthropic'), // 1.68
        row('a-after', '2026-03-15 00:00:00', 'claude-y', 'anthropic'), // 2.10
        row('b-opus', '2026-03-12 10:00:00', 'claude-opus-z', 'anthropic'), // 2.10 × 0.7 = 1.47
        row('c-gpt', '2026-03-12 10:00:00', 'gpt-x', 'openai'), // 0.4 + 0.8 = 1.20 × 1.15 = 1.38
      ]);
      expect(await costs(db)).toEqual([
        { request_id: 'a-after', total_cost: '2.100000000000000000', price_rules: null },
        { request_id: 'a-before', total_cost: '2.100000000000000000', price_rules: null },
        { request_id: 'a-first', total_cost: '1.680000000000000000', price_rules: 'discount 20 % (#1)' },
        { request_id: 'a-last', total_cost: '1.680000000000000000', price_rules: 'discount 20 % (#1)' },
        { request_id: 'b-opus', total_cost: '1.470000000000000000', price_rules: 'discount 30 % (#2)' },
        { request_id: 'c-gpt', total_cost: '1.380000000000000000', price_rules: 'markup 15 % (#3)' },
      ]);
      // Stacked: a 10 % markup on every anthropic model from 03-12 goes on the discounted price.
      await addAdjustment(db, discount({ kind: 'markup', percent: new Decimal(10), from: at('2026-03-12') }), NOW);
      const estimate = await estimateRequest(
        db,
        'claude-y',
        requestUnits({ inputTokens: 200_000n, outputTokens: 100_000n }),
        at('2026-03-13'),
      );
      expect(estimate.total_cost).toBe('1.848000'); // 2.10 × 0.8 × 1.1
      expect(estimate.price_rules).toEqual(['discount 20 % (#1)', 'markup 10 % (#4)']);
      // Stored rows keep their cost until reprice; reprice applies the terms now stored.
      expect((await costs(db)).find((r) => r.request_id === 'a-last')?.total_cost).toBe('1.680000000000000000');
      const repriced = await repriceUsage(db, {});
      expect(repriced.rows_changed).toBe(3); // a-last, a-after, b-opus: on or after 03-12
      expect((await costs(db)).map((r) => [r.request_id, r.total_cost])).toEqual([
        ['a-after', '2.310000000000000000'], // 2.10 × 1.1
        ['a-before', '2.100000000000000000'],
        ['a-first', '1.680000000000000000'],
        ['a-last', '1.848000000000000000'],
        ['b-opus', '1.617000000000000000'], // 2.10 × 0.7 × 1.1
        ['c-gpt', '1.380000000000000000'],
      ]);
    });
  });

  it("the pre-call check's worst case follows them, on a connection that kept its context", async () => {
    await withTempDb(async (db) => {
      await catalog(db);
      const units = requestUnits({ inputTokens: 200_000n, outputTokens: 100_000n });
      const worst = async () => (await worstCaseCost(db, 'claude-y', units, NOW)).cost?.toFixed();
      expect(await worst()).toBe('2.1');
      await addAdjustment(db, discount({ percent: new Decimal('12.5') }), NOW);
      expect(await worst()).toBe('1.8375'); // 2.10 × 0.875
    });
  });

  it('survive a catalog import that changes the provider’s prices, and apply to the new prices', async () => {
    await withTempDb(async (db) => {
      await catalog(db);
      await addAdjustment(db, discount(), NOW);
      const before = await listAdjustments(db);
      const genai = JSON.stringify([
        {
          id: 'anthropic',
          models: [{ id: 'claude-new', match: { equals: 'claude-new' }, prices: { input_mtok: 5, output_mtok: 25 } }],
        },
      ]);
      await importCatalog(db, 'g.json', 'genai-prices', genai, { now: NOW });
      await importCatalog(db, 'g.json', 'genai-prices', genai, { now: NOW });
      expect(await listAdjustments(db)).toEqual(before);
      await insertPricedUsage(db, [row('n1', '2026-03-20 10:00:00', 'claude-new', 'anthropic')]);
      // 0.2M × $5 + 0.1M × $25 = 1 + 2.5 = 3.50, 20 % off: 2.80.
      expect((await costs(db))[0]).toMatchObject({ total_cost: '2.800000000000000000' });
    });
  });

  it('reconcile: a discount the provider grants compares as billed; a chargeback markup is taken out', async () => {
    await withTempDb(async (db) => {
      await catalog(db);
      await addAdjustment(db, discount(), NOW);
      await addAdjustment(db, discount({ kind: 'markup', provider: 'openai', percent: new Decimal(15) }), NOW);
      await insertPricedUsage(db, [
        row('a', '2026-03-12 10:00:00', 'claude-y', 'anthropic'), // 1.68 after 20 % off
        row('c', '2026-03-12 10:00:00', 'gpt-x', 'openai'), // 1.38 with the markup, 1.20 at list
      ]);
      await insertBilling(db, [
        { line_key: 'L1', start: '2026-03-12 00:00:00', provider: 'anthropic', model: 'claude-y', billed_cost: '1.68' },
        { line_key: 'L2', start: '2026-03-12 00:00:00', provider: 'openai', model: 'gpt-x', billed_cost: '1.20' },
      ]);
      const result = await reconcileBilling(db, {
        since: '2026-03-12',
        until: '2026-03-12',
        tz: 'UTC',
        tolerance: { pct: new Decimal(0), abs: new Decimal('0.000001') },
      });
      expect(result.mismatches).toEqual([]);
      expect(result.lines.map((l) => [l.provider, l.usage_cost, l.billed_cost])).toEqual([
        ['anthropic', '1.680000', '1.680000'],
        ['openai', '1.200000', '1.200000'],
      ]);
      expect(result.markup_excluded).toBe('0.180000');
    });
  });

  it('refuse what cannot be meant, naming the flag and the fix', async () => {
    await withTempDb(async (db) => {
      await catalog(db);
      const refused = async (input: Partial<AdjustmentInput>) =>
        addAdjustment(db, discount(input), NOW).then(
          () => 'accepted',
          (e: Error) => `${e.constructor.name}: ${e.message}`,
        );
      expect(await refused({ percent: new Decimal(0) })).toBe('UsageError: --percent: 0 must be greater than 0');
      expect(await refused({ percent: new Decimal(100) })).toMatch(/^UsageError: --percent: 100 must be below 100/);
      expect(await refused({ percent: new Decimal(-5) })).toMatch(/^UsageError: --percent: -5 must be greater than 0/);
      expect(await refused({ percent: new Decimal('12.34567') })).toBe(
        'UsageError: --percent: 12.34567 must be at most 4 decimals',
      );
      expect(await refused({ kind: 'markup', percent: new Decimal(1001) })).toBe(
        'UsageError: --markup: 1001 must be at most 1000',
      );
      expect(await refused({ provider: 'antropic' })).toBe(
        'DataError: --provider: no model in the price catalog has provider "antropic" (providers: anthropic, openai)',
      );
      expect(await refused({ modelPattern: 'gpt-*' })).toMatch(
        /^DataError: --model: "gpt-\*" matches no anthropic model/,
      );
      expect(await refused({ from: at('2026-03-10'), until: at('2026-03-10') })).toBe(
        'UsageError: --until must be after --from',
      );
      // Windows: one per scope and kind at a time; touching windows are fine, overlapping ones are not.
      expect(await refused({ from: at('2026-03-01'), until: at('2026-04-01') })).toBe('accepted');
      expect(await refused({ from: at('2026-04-01') })).toBe('accepted');
      expect(await refused({ from: at('2026-02-01'), until: at('2026-03-02') })).toMatch(
        /^DataError: discount #1 \(20 % on every anthropic model\) already covers part of that time: remove it with `costctl models discount remove 1`/,
      );
      expect(await refused({ from: at('2026-05-01') })).toMatch(/^DataError: discount #2 /);
      // Another scope or kind in the same window is not a clash: the most specific wins, a markup stacks.
      expect(await refused({ modelPattern: 'claude-y' })).toBe('accepted');
      expect(await refused({ kind: 'markup', from: at('2026-03-01') })).toBe('accepted');
      expect((await listAdjustments(db)).map((a) => a.id)).toEqual([1, 2, 3, 4]);
      await removeAdjustment(db, 2);
      expect(await refused({ from: at('2026-05-01') })).toBe('accepted');
      await expect(removeAdjustment(db, 99)).rejects.toThrow('no discount or markup #99');
    });
  });
});
