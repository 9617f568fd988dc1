// A quota's extra threshold percentages (issue #21): each raises its own alert once per window, in order
// with warning, critical and exceeded, even when one evaluation crosses several, and the threshold job
// sends one email naming all of them. A month walk on a $100 monthly quota with 50, 75 and 90 %.
import { afterEach, describe, expect, it } from 'vitest';
import { findJob } from '../../../jobs/registry.js';
import { runJob } from '../../../jobs/runner.js';
import { Decimal } from '../../../src/domain/money.js';
import { evaluateAlerts } from '../../../src/services/alerts/evaluate.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { addQuota, QUOTA_DEFAULTS, removeQuota, updateQuota } from '../../../src/services/limits/quotas.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { testContext } from '../../helpers/db.js';
import { decodeHeader, mimeHeader, mimePart, startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { tempDbPath } from '../../helpers/temp.js';
import { addDollarModel } from '../limits/quota-helpers.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 2, d, hour));
const pct = (...p: number[]) => p.map((x) => new Decimal(x).div(100));

describe('extra quota thresholds', () => {
  it('a month walk with 50/75/90 %: 50 % alone, then one jump raises 75, warning, 90, critical in order, one email', async () => {
    smtp = await startSmtp();
    const db = tempDbPath();
    const at = (now: Date) => testContext({ db, now: now.toISOString(), env: { COSTCTL_SMTP_URL: smtp!.url } }).ctx;
    const threshold = findJob('threshold-check');
    const spend = (conn: Parameters<typeof addDollarModel>[0], id: string, d: number, dollars: number) =>
      recordUsage(
        conn,
        { requestId: id, timestamp: day(d), model: 'm-dollar', inputTokens: BigInt(dollars * 1000) },
        day(d),
      );
    const evaluate = (conn: Parameters<typeof addDollarModel>[0], now: Date) =>
      evaluateAlerts(conn, { at: now, tz: 'UTC', now, actor: 't' });

    await at(day(1, 0)).withDb(async (conn) => {
      await addDollarModel(conn);
      await addQuota(
        conn,
        {
          name: 'team',
          scope: { type: 'global', value: null },
          metric: 'cost',
          period: 'monthly',
          limit: new Decimal(100),
          dailyLimit: null,
          hourlyLimit: null,
          warning: QUOTA_DEFAULTS.warning,
          critical: QUOTA_DEFAULTS.critical,
          extraThresholds: pct(50, 75, 90),
          enforcement: 'soft',
          model: null,
          recipients: ['lead@example.com'],
        },
        day(1, 0),
      );
      // $5 a day: 45 % on the 9th raises nothing; 50 % on the 10th raises the 50 % alert alone.
      const raisedOn: Record<number, string[]> = {};
      for (let d = 1; d <= 14; d++) {
        await spend(conn, `d${d}`, d, 5);
        const r = await evaluate(conn, day(d));
        if (r.raised.length) raisedOn[d] = r.raised.map((a) => `${a.type} ${a.subject} ${a.severity}`);
      }
      expect(raisedOn).toEqual({ 10: ['quota_threshold quota:team@50 info'] });
    });
    const first = await runJob(at(day(14, 13)), threshold);
    expect(first.emails.sent).toHaveLength(1);
    expect(decodeHeader(mimeHeader(smtp.received[0]!.raw, 'Subject')!)).toBe(
      '[costctl] INFO: team monthly quota at 50% ($50.00 of $100.00)',
    );

    // One evening's traffic: $27, 70 % → 97 %. Four thresholds crossed, lowest first, each once.
    await at(day(15)).withDb(async (conn) => {
      await spend(conn, 'jump', 15, 27);
      const r = await evaluate(conn, day(15));
      expect(r.raised.map((a) => [a.type, a.subject, new Decimal(a.threshold!).toFixed(), a.severity])).toEqual([
        ['quota_threshold', 'quota:team@75', '75', 'info'],
        ['quota_warning', 'quota:team', '80', 'warning'],
        ['quota_threshold', 'quota:team@90', '90', 'warning'],
        ['quota_critical', 'quota:team', '95', 'critical'],
      ]);
      expect(r.raised[0]!.title).toBe('Quota team 75%: monthly cost at 97.00% (now critical)');
      expect(await evaluate(conn, day(15, 13))).toEqual({ raised: [], resolved: 0 });
    });
    const job = await runJob(at(day(15, 14)), threshold);
    expect(job.emails.sent).toHaveLength(1);
    const mail = smtp.received[1]!;
    expect(decodeHeader(mimeHeader(mail.raw, 'Subject')!)).toBe(
      '[costctl] CRITICAL: team monthly quota at 97% ($97.00 of $100.00); crossed 75%, warning (80%), 90%, critical (95%)',
    );
    expect(mimePart(mail.raw, 'text/plain')!).toMatch(/90% +\$90\.00 +4\b/);
    expect((await runJob(at(day(15, 15)), threshold)).emails.sent).toHaveLength(0);

    await at(day(16)).withDb(async (conn) => {
      // Taking 75 and 90 off resolves their alerts; 50 % stays open.
      await updateQuota(conn, 'team', { extraThresholds: pct(50) }, day(16));
      expect(await evaluate(conn, day(16))).toEqual({ raised: [], resolved: 2 });
      const open = (await listAlerts(conn)).filter((a) => a.status !== 'resolved').map((a) => a.subject);
      expect(open).toEqual(['quota:team@50', 'quota:team', 'quota:team']);
      // April: a new window resolves the rest and raises nothing.
      expect(await evaluate(conn, day(32, 1))).toEqual({ raised: [], resolved: 3 });
      // Alerts of a removed quota's extra thresholds do not stay open either.
      await spend(conn, 'apr', 33, 60);
      expect((await evaluate(conn, day(33))).raised.map((a) => a.subject)).toEqual(['quota:team@50']);
      await removeQuota(conn, 'team');
      expect((await evaluate(conn, day(33, 13))).resolved).toBe(1);
    });
  });
});
