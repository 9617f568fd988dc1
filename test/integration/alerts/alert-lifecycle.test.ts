// Alert state over time at the service level: a reset and a new window resolve, budgets raise one alert
// per crossing per line, soft and model-filtered quotas, token quotas, and a New York DST day boundary.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { evaluateAlerts } from '../../../src/services/alerts/evaluate.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { addBudget } from '../../../src/services/limits/budgets.js';
import { checkRequest } from '../../../src/services/limits/check.js';
import { evaluateQuotas } from '../../../src/services/limits/status.js';
import { addQuota, resetQuota, QUOTA_DEFAULTS, type QuotaSpec } from '../../../src/services/limits/quotas.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel } from '../limits/quota-helpers.js';

let n = 0;
const quota = (patch: Partial<QuotaSpec>): QuotaSpec => ({
  name: 'q',
  scope: { type: 'global', value: null },
  metric: 'cost',
  period: 'monthly',
  limit: new Decimal(10),
  dailyLimit: null,
  hourlyLimit: null,
  warning: QUOTA_DEFAULTS.warning,
  critical: QUOTA_DEFAULTS.critical,
  enforcement: 'hard',
  model: null,
  recipients: [],
  ...patch,
});
async function spend(
  db: Db,
  iso: string,
  dollars: number,
  extra: Record<string, string> = {},
  model = 'm-dollar',
  tz = 'UTC',
) {
  const at = new Date(iso);
  await recordUsage(
    db,
    { requestId: `x${++n}`, timestamp: at, model, inputTokens: BigInt(dollars * 1000), ...extra },
    at,
  );
  return evaluateAlerts(db, { at, tz, now: at, actor: 't' });
}

describe('alert lifecycle', () => {
  it('a reset resolves the open alerts and starts counting from zero', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await addQuota(db, quota({}), new Date('2026-03-01T00:00:00Z'));
      const r = await spend(db, '2026-03-05T10:00:00Z', 9.6); // 0 → 96 %: warning and critical crossed
      expect(r.raised.map((a) => a.type)).toEqual(['quota_warning', 'quota_critical']);
      await resetQuota(db, 'q', new Date('2026-03-06T00:00:00Z'), 'ops', 'new contract');
      const after = await evaluateAlerts(db, {
        at: new Date('2026-03-06T01:00:00Z'),
        tz: 'UTC',
        now: new Date('2026-03-06T01:00:00Z'),
        actor: 't',
      });
      expect(after).toEqual({ raised: [], resolved: 2 });
      const [s] = await evaluateQuotas(db, { at: new Date('2026-03-06T01:00:00Z'), tz: 'UTC' });
      expect([s!.used.toFixed(), s!.window_start.toISOString(), s!.state]).toEqual([
        '0',
        '2026-03-06T00:00:00.000Z',
        'ok',
      ]);
      // The same usage again after the reset crosses again: a new alert for the new window.
      const again = await spend(db, '2026-03-07T10:00:00Z', 9.6);
      expect(again.raised.map((a) => [a.type, a.window_start])).toEqual([
        ['quota_warning', '2026-03-06T00:00:00Z'],
        ['quota_critical', '2026-03-06T00:00:00Z'],
      ]);
      expect((await listAlerts(db)).map((a) => a.status)).toEqual(['resolved', 'resolved', 'open', 'open']);
    });
  });

  it('budgets: one alert per line and crossing', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await addBudget(
        db,
        {
          name: 'fy',
          period: 'yearly',
          total: new Decimal(100),
          allocations: [{ targetType: 'department', target: 'ops', amount: new Decimal(10) }],
          warning: new Decimal('0.8'),
          enforcement: 'soft',
          recipients: ['cfo@example.com'],
        },
        new Date('2026-01-01T00:00:00Z'),
      );
      let r = await spend(db, '2026-02-01T00:00:00Z', 8, { department: 'ops' }); // ops 80 %
      expect(r.raised.map((a) => [a.type, a.subject])).toEqual([['budget_warning', 'budget:fy:department:ops']]);
      r = await spend(db, '2026-02-02T00:00:00Z', 2, { department: 'ops' }); // ops 100 %
      expect(r.raised.map((a) => [a.type, a.subject])).toEqual([['budget_exceeded', 'budget:fy:department:ops']]);
      r = await spend(db, '2026-02-03T00:00:00Z', 75); // total 85 %
      expect(r.raised.map((a) => [a.type, a.subject, a.recipients])).toEqual([
        ['budget_warning', 'budget:fy', ['cfo@example.com']],
      ]);
      r = await spend(db, '2026-02-04T00:00:00Z', 1);
      expect(r.raised).toEqual([]);
      // A soft budget never refuses; it warns.
      const c = await checkRequest(db, {
        user: 'u',
        department: 'ops',
        model: 'm-dollar',
        units: requestUnits({ inputTokens: 1000n }),
        at: new Date('2026-02-05T00:00:00Z'),
        tz: 'UTC',
        allowUnpriced: false,
      });
      expect(c.allowed).toBe(true);
      expect(c.warnings.join(' ')).toContain('budget fy (department:ops');
    });
  });

  it('model filter and token metric', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await addDollarModel(db, 'm-other');
      await addQuota(
        db,
        quota({ name: 'only-dollar', model: 'm-dollar', limit: new Decimal(5) }),
        new Date('2026-03-01T00:00:00Z'),
      );
      await addQuota(
        db,
        quota({ name: 'tokens', metric: 'tokens', limit: new Decimal(20000) }),
        new Date('2026-03-01T00:00:00Z'),
      );
      await spend(db, '2026-03-02T00:00:00Z', 4, {}, 'm-other');
      await spend(db, '2026-03-02T00:00:00Z', 3, {}, 'm-dollar');
      const byName = Object.fromEntries(
        (await evaluateQuotas(db, { at: new Date('2026-03-03T00:00:00Z'), tz: 'UTC' })).map((s) => [
          s.name,
          s.used.toFixed(),
        ]),
      );
      expect(byName).toEqual({ 'only-dollar': '3', tokens: '7000' });
      const check = (model: string, tokens: bigint) =>
        checkRequest(db, {
          user: 'u',
          model,
          units: requestUnits({ inputTokens: tokens }),
          at: new Date('2026-03-03T00:00:00Z'),
          tz: 'UTC',
          allowUnpriced: false,
        });
      // m-other is not limited by only-dollar; 13,001 more tokens break the token quota (7,000 + 13,001 > 20,000).
      expect((await check('m-other', 10000n)).allowed).toBe(true);
      expect((await check('m-dollar', 2001n)).quotas.filter((q) => q.binding).map((q) => q.name)).toEqual([
        'only-dollar',
      ]);
      expect((await check('m-other', 13001n)).quotas.filter((q) => q.binding).map((q) => q.name)).toEqual(['tokens']);
    });
  });

  it('America/New_York: the daily window on the spring-forward day ends at local midnight (04:00Z)', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await addQuota(
        db,
        quota({ name: 'ny', period: 'daily', limit: new Decimal(5) }),
        new Date('2026-03-01T00:00:00Z'),
      );
      // 23:30 EDT on Sunday 2026-03-08 = 03:30Z on the 9th; the local day began at 05:00Z (EST midnight).
      await spend(db, '2026-03-09T03:30:00Z', 5, {}, 'm-dollar', 'America/New_York');
      const at = (iso: string) =>
        checkRequest(db, {
          user: 'u',
          model: 'm-dollar',
          units: requestUnits({ inputTokens: 1000n }),
          at: new Date(iso),
          tz: 'America/New_York',
          allowUnpriced: false,
        });
      const late = await at('2026-03-09T03:59:59Z');
      expect(late.allowed).toBe(false);
      expect(late.quotas[0]!.window_start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
      const next = await at('2026-03-09T04:00:00Z');
      expect(next.allowed).toBe(true);
      expect(next.quotas[0]!.window_start.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    });
  });
});
