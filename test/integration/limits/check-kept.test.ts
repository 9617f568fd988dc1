// A connection keeps the pre-call check's context (model, prices, directory, quotas, resets, budgets,
// rollup entries) between checks until a statement on it writes to a table the context reads. Here every
// kind of change a gateway or an operator makes goes through the same connection between two checks, and
// the kept answer must equal a check on a fresh handle (nothing kept) and show the change.
import { describe, expect, it, vi } from 'vitest';
import { Db } from '../../../src/db/database.js';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { addBudget } from '../../../src/services/limits/budgets.js';
import { insertPriceVersion, setAliases } from '../../../src/services/prices/catalog-write.js';
import { CONTEXT_TABLES } from '../../../src/services/limits/check-context.js';
import { checkRequest, type CheckRequest } from '../../../src/services/limits/check.js';
import { importDirectory } from '../../../src/services/limits/directory.js';
import { addQuota, QUOTA_DEFAULTS, resetQuota, updateQuota } from '../../../src/services/limits/quotas.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { rebuildRollup } from '../../../src/services/limits/rollup.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel } from './quota-helpers.js';

const AT = new Date('2026-03-10T12:00:00Z');
const NOW = new Date('2026-03-10T12:00:00Z');

async function setUp(db: Db): Promise<void> {
  await addDollarModel(db);
  await importDirectory(
    db,
    [{ user_id: 'u1', department: 'sales', organization: 'acme', project: null, email: null }],
    NOW,
  );
  await addQuota(
    db,
    {
      ...QUOTA_DEFAULTS,
      name: 'sales-monthly',
      scope: { type: 'department', value: 'sales' },
      period: 'monthly',
      limit: new Decimal(100),
      dailyLimit: null,
      hourlyLimit: null,
      model: null,
      recipients: [],
    },
    NOW,
  );
  // $30 of sales usage earlier this month, through `record` as a gateway would send it.
  await recordUsage(
    db,
    {
      requestId: 'r-1',
      timestamp: new Date('2026-03-02T09:00:00Z'),
      model: 'm-dollar',
      userId: 'u1',
      inputTokens: 30_000n,
    },
    NOW,
  );
  await rebuildRollup(db, 'UTC', NOW);
}

const request = (model = 'm-dollar', input = 5000n): CheckRequest => ({
  user: 'u1',
  model,
  units: requestUnits({ inputTokens: input }),
  at: AT,
  tz: 'UTC',
  allowUnpriced: false,
});

/** The check on this connection (context kept from earlier checks) and on a fresh handle; must agree. */
async function kept(db: Db, req = request()) {
  const warm = await checkRequest(db, req);
  const cold = await checkRequest(new Db(db.path, db.connection), req);
  expect(warm).toEqual(cold);
  return warm;
}

const used = (r: Awaited<ReturnType<typeof kept>>, name: string) =>
  r.quotas.find((q) => q.name === name)?.used.toFixed();

describe('the check context kept on a connection', () => {
  it('follows every change made through the connection', async () => {
    await withTempDb(async (db) => {
      await setUp(db);
      let r = await kept(db);
      expect([r.allowed, r.estimated_cost?.toFixed(), used(r, 'sales-monthly')]).toEqual([true, '5', '30']);

      await updateQuota(db, 'sales-monthly', { limit: new Decimal(32) }, new Date('2026-03-10T12:00:01Z'));
      r = await kept(db);
      expect([r.allowed, r.quotas[0]!.limit.toFixed()]).toEqual([false, '32']);

      await resetQuota(db, 'sales-monthly', new Date('2026-03-05T00:00:00Z'), 'test', null);
      r = await kept(db);
      expect([r.allowed, used(r, 'sales-monthly')]).toEqual([true, '0']);

      await importDirectory(
        db,
        [{ user_id: 'u1', department: 'ops', organization: 'acme', project: null, email: null }],
        NOW,
      );
      r = await kept(db);
      expect(r.quotas).toEqual([]);

      await insertPriceVersion(
        db,
        'm-dollar',
        {
          billingUnit: 'token',
          unitSize: new Decimal(1000),
          prices: { ...emptyPriceList(), input: new Decimal(3), output: new Decimal(6) },
          effectiveFrom: new Date('2026-03-08T00:00:00Z'),
        },
        NOW,
      );
      r = await kept(db);
      expect(r.estimated_cost?.toFixed()).toBe('15');

      await setAliases(db, 'm-dollar', ['dollar']);
      r = await kept(db, request('dollar'));
      expect(r.model).toBe('m-dollar');

      await addBudget(
        db,
        {
          name: 'b-2026',
          period: 'yearly',
          total: new Decimal(10),
          allocations: [{ targetType: 'department', target: 'ops', amount: new Decimal(10) }],
          warning: new Decimal('0.8'),
          enforcement: 'hard',
          recipients: [],
        },
        NOW,
      );
      r = await kept(db);
      expect([r.allowed, r.budgets.map((b) => b.scope)]).toEqual([false, ['total', 'department:ops']]);
    });
  });

  it('forgets what a rolled-back transaction wrote', async () => {
    await withTempDb(async (db) => {
      await setUp(db);
      await kept(db);
      const add = (name: string) =>
        addQuota(
          db,
          {
            ...QUOTA_DEFAULTS,
            name,
            scope: { type: 'user', value: 'u1' },
            period: 'daily',
            limit: new Decimal(1),
            dailyLimit: null,
            hourlyLimit: null,
            model: null,
            recipients: [],
          },
          NOW,
        );
      await expect(
        db.transaction(async () => {
          await add('gone');
          expect((await checkRequest(db, request())).quotas.map((q) => q.name)).toContain('gone');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      const r = await kept(db);
      expect(r.quotas.map((q) => q.name)).toEqual(['sales-monthly']);
    });
  });

  it('reads only the buckets on a repeated check, and sees usage recorded in between', async () => {
    await withTempDb(async (db) => {
      await setUp(db);
      await kept(db);
      await recordUsage(
        db,
        {
          requestId: 'r-2',
          timestamp: new Date('2026-03-10T11:00:00Z'),
          model: 'm-dollar',
          userId: 'u1',
          inputTokens: 7000n,
        },
        NOW,
      );
      const all = vi.spyOn(db, 'all');
      const prepared = vi.spyOn(db, 'allPrepared');
      const r = await checkRequest(db, request());
      expect(used(r, 'sales-monthly')).toBe('37');
      expect(prepared).not.toHaveBeenCalled();
      expect(all.mock.calls.map(([sql]) => /FROM usage_rollup/.test(sql))).toEqual([true]);
    });
  });

  it('lists every table its kept parts read', async () => {
    await withTempDb(async (db) => {
      await setUp(db);
      const prepared = vi.spyOn(db, 'allPrepared');
      await checkRequest(db, request());
      const named = new Set(
        prepared.mock.calls.flatMap(([sql]) =>
          [...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((m) => m[1]!.toLowerCase()),
        ),
      );
      expect(named.size).toBeGreaterThan(5);
      for (const table of named) expect(CONTEXT_TABLES).toContain(table);
    });
  });
});
