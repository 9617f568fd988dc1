// Walks a month of traffic for one department quota in Asia/Shanghai (UTC+8): monthly $100 with a $30
// daily and a $12 hourly sub-limit, hard. Every amount is a whole number of dollars by construction
// ($1 per 1K input tokens), every window bound is local time − 8h. Crossings of 80 %, 95 %, 100 % on
// each window raise exactly one alert each; check refuses at the right moment naming the binding limit;
// the day rolls over at local midnight and the month on the local 1st.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { evaluateAlerts } from '../../../src/services/alerts/evaluate.js';
import { checkRequest } from '../../../src/services/limits/check.js';
import { evaluateQuotas } from '../../../src/services/limits/status.js';
import { addQuota, QUOTA_DEFAULTS } from '../../../src/services/limits/quotas.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel, shanghai } from './quota-helpers.js';

const TZ = 'Asia/Shanghai';
const MODEL = 'm-dollar';
let seq = 0;

async function spend(db: Db, local: string, dollars: number, user = 'u1') {
  const at = shanghai(local);
  await recordUsage(
    db,
    { requestId: `r-${++seq}`, timestamp: at, model: MODEL, userId: user, inputTokens: BigInt(dollars * 1000) },
    at,
  );
  return evaluateAlerts(db, { at, tz: TZ, now: at, actor: 'test' });
}

async function check(db: Db, local: string, dollars: number) {
  return checkRequest(db, {
    user: 'u2',
    model: MODEL,
    units: requestUnits({ inputTokens: BigInt(dollars * 1000), outputTokens: 0n }),
    at: shanghai(local),
    tz: TZ,
    allowUnpriced: false,
  });
}

const bindingKinds = (r: Awaited<ReturnType<typeof check>>) =>
  r.quotas.filter((q) => q.binding).map((q) => q.limit_kind);

describe('a month of one department quota (Asia/Shanghai)', () => {
  it('crosses 80/95/100 % per window, refuses on the binding limit, rolls over locally', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await db.run(
        `INSERT INTO directory VALUES ('u1', 'sales', NULL, NULL, NULL, now()::TIMESTAMP), ('u2', 'sales', NULL, NULL, NULL, now()::TIMESTAMP)`,
      );
      await addQuota(
        db,
        {
          name: 'sales-month',
          scope: { type: 'department', value: 'sales' },
          metric: 'cost',
          period: 'monthly',
          limit: new Decimal(100),
          dailyLimit: new Decimal(30),
          hourlyLimit: new Decimal(12),
          warning: QUOTA_DEFAULTS.warning,
          critical: QUOTA_DEFAULTS.critical,
          enforcement: 'hard',
          model: null,
          recipients: ['sales-lead@example.com'],
        },
        shanghai('2026-03-01 00:00'),
      );

      // --- Mar 1, 09:xx local: the hourly $12 sub-limit. $10 = 83 % → warning.
      let r = await spend(db, '2026-03-01 09:00', 5);
      expect(r.raised).toEqual([]);
      r = await spend(db, '2026-03-01 09:10', 5);
      expect(r.raised.map((a) => [a.type, a.subject])).toEqual([['quota_warning', 'quota:sales-month:hourly']]);
      expect(r.raised[0]!.window_start).toBe('2026-03-01T01:00:00Z');
      expect(r.raised[0]!.recipients).toEqual(['sales-lead@example.com']);

      // $3 more would make 13 > 12: refused by the hourly limit only; $2 fills it exactly: allowed.
      let c = await check(db, '2026-03-01 09:20', 3);
      expect(c.allowed).toBe(false);
      expect(bindingKinds(c)).toEqual(['hourly']);
      expect(c.reason).toContain('sales-month');
      expect(c.reason).toContain('hourly');
      expect(c.estimated_cost!.toFixed()).toBe('3');
      expect((await check(db, '2026-03-01 09:20', 2)).allowed).toBe(true);

      r = await spend(db, '2026-03-01 09:30', 1.5); // 11.5 = 95.8 % → critical
      expect(r.raised.map((a) => a.type)).toEqual(['quota_critical']);
      r = await spend(db, '2026-03-01 09:40', 0.5); // 12 = 100 % → exceeded
      expect(r.raised.map((a) => a.type)).toEqual(['quota_exceeded']);
      // Evaluating again in the same window raises nothing new.
      expect(
        (
          await evaluateAlerts(db, {
            at: shanghai('2026-03-01 09:45'),
            tz: TZ,
            now: shanghai('2026-03-01 09:45'),
            actor: 't',
          })
        ).raised,
      ).toEqual([]);
      c = await check(db, '2026-03-01 09:50', 0.001);
      expect(bindingKinds(c)).toEqual(['hourly']);

      // --- 10:00 local is a new hour: the hourly alerts resolve, $2 is allowed again.
      expect((await check(db, '2026-03-01 10:00', 2)).allowed).toBe(true);
      r = await spend(db, '2026-03-01 10:10', 6);
      expect(r.resolved).toBe(3);
      r = await spend(db, '2026-03-01 11:10', 6); // day: 24 = 80 % → daily warning
      expect(r.raised.map((a) => [a.type, a.subject, a.window_start])).toEqual([
        ['quota_warning', 'quota:sales-month:daily', '2026-02-28T16:00:00Z'],
      ]);

      // $6.5 at 12:xx: hour 6.5 ≤ 12 but day 24 + 6.5 = 30.5 > 30 → the daily limit binds.
      c = await check(db, '2026-03-01 12:00', 6.5);
      expect(c.allowed).toBe(false);
      expect(bindingKinds(c)).toEqual(['daily']);
      await spend(db, '2026-03-01 12:10', 4.5); // 28.5 = 95 % → critical
      r = await spend(db, '2026-03-01 12:20', 1.5); // 30 → exceeded
      expect(r.raised.map((a) => a.type)).toEqual(['quota_exceeded']);

      // --- Local midnight (16:00Z) rolls the day: 23:59:59 local is still refused, 00:00 local is not.
      expect(bindingKinds(await check(db, '2026-03-01 23:59:59', 1))).toEqual(['daily']);
      expect((await check(db, '2026-03-02 00:00', 1)).allowed).toBe(true);

      // --- Days below 80 % of the daily and hourly limits take the month to 76, then 80 / 95 / 100.
      for (const day of ['2026-03-02', '2026-03-03']) {
        await spend(db, `${day} 01:00`, 9);
        await spend(db, `${day} 02:00`, 9);
        await spend(db, `${day} 03:00`, 5);
      }
      const at76 = await evaluateQuotas(db, { at: shanghai('2026-03-03 23:00'), tz: TZ });
      expect(at76[0]!.used.toFixed()).toBe('76');
      expect(at76[0]!.state).toBe('ok');
      r = await spend(db, '2026-03-04 10:00', 4); // 80 → monthly warning
      expect(r.raised.map((a) => [a.type, a.subject, a.window_start])).toEqual([
        ['quota_warning', 'quota:sales-month', '2026-02-28T16:00:00Z'],
      ]);
      await spend(db, '2026-03-05 10:00', 9);
      r = await spend(db, '2026-03-05 11:00', 6); // 95 → critical
      expect(r.raised.map((a) => [a.type, a.subject])).toEqual([['quota_critical', 'quota:sales-month']]);
      r = await spend(db, '2026-03-06 10:00', 5); // 100 → exceeded
      expect(r.raised.map((a) => [a.type, a.subject])).toEqual([['quota_exceeded', 'quota:sales-month']]);

      c = await check(db, '2026-03-20 10:00', 0.01);
      expect(c.allowed).toBe(false);
      expect(bindingKinds(c)).toEqual(['period']);
      expect(c.reason).toContain('monthly');

      // --- The month rolls over on the local 1st (March 31, 16:00Z).
      expect(bindingKinds(await check(db, '2026-03-31 23:59:59', 0.01))).toEqual(['period']);
      const april = await check(db, '2026-04-01 00:00', 0.01);
      expect(april.allowed).toBe(true);
      expect(april.quotas.find((q) => q.limit_kind === 'period')!.window_start.toISOString()).toBe(
        '2026-03-31T16:00:00.000Z',
      );
      const rolled = await evaluateAlerts(db, {
        at: shanghai('2026-04-01 00:10'),
        tz: TZ,
        now: shanghai('2026-04-01 00:10'),
        actor: 't',
      });
      expect(rolled.raised).toEqual([]);

      // Exactly one alert per crossing: 3 windows × 3 levels, none left open after the rollover.
      const all = await listAlerts(db);
      expect(all.map((a) => `${a.type} ${a.subject} ${a.window_start}`).sort()).toEqual(
        [
          'quota_warning quota:sales-month:hourly 2026-03-01T01:00:00Z',
          'quota_critical quota:sales-month:hourly 2026-03-01T01:00:00Z',
          'quota_exceeded quota:sales-month:hourly 2026-03-01T01:00:00Z',
          'quota_warning quota:sales-month:daily 2026-02-28T16:00:00Z',
          'quota_critical quota:sales-month:daily 2026-02-28T16:00:00Z',
          'quota_exceeded quota:sales-month:daily 2026-02-28T16:00:00Z',
          'quota_warning quota:sales-month 2026-02-28T16:00:00Z',
          'quota_critical quota:sales-month 2026-02-28T16:00:00Z',
          'quota_exceeded quota:sales-month 2026-02-28T16:00:00Z',
        ].sort(),
      );
      expect(all.filter((a) => a.status !== 'resolved')).toEqual([]);
    });
  });
});
