// Every threshold crossed raises its own alert, once per window, in order, even when one evaluation
// crosses several (issue #21): a month walk where one nightly ingest jumps a $100 monthly quota from
// 70 % to 97 % raises the warning and the critical alert, each once, and the threshold job sends one
// email (to a real loopback SMTP server) naming both. Amounts are whole dollars ($1 per 1K input tokens).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findJob } from '../../../jobs/registry.js';
import { runJob } from '../../../jobs/runner.js';
import { Decimal } from '../../../src/domain/money.js';
import { listOutbox } from '../../../src/notify/outbox.js';
import { evaluateAlerts } from '../../../src/services/alerts/evaluate.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { collectInputs } from '../../../src/services/ingest/inputs.js';
import { ingestFiles, planIngest } from '../../../src/services/ingest/pipeline.js';
import { addBudget } from '../../../src/services/limits/budgets.js';
import { addQuota, QUOTA_DEFAULTS, updateQuota } from '../../../src/services/limits/quotas.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { testContext, withTempDb } from '../../helpers/db.js';
import { decodeHeader, mimeHeader, mimePart, startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { tempDbPath, tempDir } from '../../helpers/temp.js';
import { addDollarModel } from '../limits/quota-helpers.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 2, d, hour));
const kinds = (alerts: { type: string }[]) => alerts.map((a) => a.type);

describe('threshold crossings', () => {
  it('a month walk: one ingest jumps 70 % → 97 %, warning and critical each once, one email naming both', async () => {
    smtp = await startSmtp();
    const db = tempDbPath();
    const at = (now: Date) => testContext({ db, now: now.toISOString(), env: { COSTCTL_SMTP_URL: smtp!.url } }).ctx;
    const threshold = findJob('threshold-check');

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
          enforcement: 'soft',
          model: null,
          recipients: ['lead@example.com'],
        },
        day(1, 0),
      );
      // Mar 1–14: $5 a day, recorded request by request; 70 % by the 14th and nothing crossed.
      for (let d = 1; d <= 14; d++) {
        await recordUsage(
          conn,
          { requestId: `d${d}`, timestamp: day(d), model: 'm-dollar', inputTokens: 5000n },
          day(d),
        );
        const r = await evaluateAlerts(conn, { at: day(d), tz: 'UTC', now: day(d), actor: 't' });
        expect(r.raised).toEqual([]);
      }
    });
    expect((await runJob(at(day(15, 0)), threshold)).emails.sent).toHaveLength(0);

    // The nightly load of Mar 15's traffic: $27 in nine requests, 70 % → 97 %.
    const dir = tempDir('costctl-crossings-');
    const file = join(dir, 'mar15.jsonl');
    const rows = Array.from({ length: 9 }, (_, i) => ({
      request_id: `n${i}`,
      timestamp: day(15, 8 + i).toISOString(),
      model: 'm-dollar',
      input_tokens: 3000,
      output_tokens: 0,
    }));
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const loadedAt = day(16, 1);
    const report = await at(loadedAt).withDb((conn) =>
      ingestFiles(conn, planIngest(collectInputs([file])), {
        now: loadedAt,
        alerts: { tz: 'UTC', actor: 'ingest' },
      }),
    );
    expect(report.alertsRaised).toBe(2);

    await at(loadedAt).withDb(async (conn) => {
      const alerts = await listAlerts(conn);
      expect(
        alerts.map((a) => [a.type, a.subject, a.window_start, a.status, new Decimal(a.threshold!).toFixed()]),
      ).toEqual([
        ['quota_warning', 'quota:team', '2026-03-01T00:00:00Z', 'open', '80'],
        ['quota_critical', 'quota:team', '2026-03-01T00:00:00Z', 'open', '95'],
      ]);
      expect(alerts[0]!.id).toBeLessThan(alerts[1]!.id);
      // The warning says where usage stands now, not only that 80 % was passed.
      expect(alerts[0]!.title).toBe('Quota team warning: monthly cost at 97.00% (now critical)');
      expect(alerts[1]!.title).toBe('Quota team critical: monthly cost at 97.00%');
    });

    const job = await runJob(at(loadedAt), threshold);
    expect(job.emails.sent).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['lead@example.com']);
    expect(decodeHeader(mimeHeader(mail.raw, 'Subject')!)).toBe(
      '[costctl] CRITICAL: team monthly quota at 97% ($97.00 of $100.00); crossed warning (80%), critical (95%)',
    );
    const text = mimePart(mail.raw, 'text/plain')!;
    expect(text).toMatch(/warning \(80%\) +\$80\.00 +1\b/);
    expect(text).toMatch(/critical \(95%\) +\$95\.00 +2\b/);
    expect(text).toContain('costctl alerts ack 1; costctl alerts ack 2');

    // A second evaluation, and the job again: nothing raised, nothing sent.
    await at(day(16, 2)).withDb(async (conn) => {
      expect(await evaluateAlerts(conn, { at: day(16, 2), tz: 'UTC', now: day(16, 2), actor: 't' })).toEqual({
        raised: [],
        resolved: 0,
      });
      expect((await listOutbox(conn)).map((m) => m.dedupe_key)).toEqual(['alert:1+2']);
    });
    const again = await runJob(at(day(16, 3)), threshold);
    expect(again.summary).toContain('0 alert(s) raised');
    expect(again.emails.sent).toHaveLength(0);

    // $3 more on the 20th reaches the limit: only the exceeded alert is new, and its own email.
    await at(day(20)).withDb((conn) =>
      recordUsage(conn, { requestId: 'last', timestamp: day(20), model: 'm-dollar', inputTokens: 3000n }, day(20)),
    );
    const over = await runJob(at(day(20, 13)), threshold);
    expect(over.emails.sent).toHaveLength(1);
    expect(decodeHeader(mimeHeader(smtp.received[1]!.raw, 'Subject')!)).toBe(
      '[costctl] EXCEEDED: team monthly quota at 100% ($100.00 of $100.00)',
    );

    // April is a new window: all three resolve, nothing is raised for an empty month.
    await at(day(32, 1)).withDb(async (conn) => {
      const r = await evaluateAlerts(conn, { at: day(32, 1), tz: 'UTC', now: day(32, 1), actor: 't' });
      expect(r).toEqual({ raised: [], resolved: 3 });
      expect(kinds(await listAlerts(conn, { status: 'resolved' }))).toEqual([
        'quota_warning',
        'quota_critical',
        'quota_exceeded',
      ]);
    });
  });

  it('a budget jumping from nothing to over its total raises warning then exceeded', async () => {
    await withTempDb(async (conn) => {
      await addDollarModel(conn);
      await addBudget(
        conn,
        {
          name: 'fy',
          period: 'yearly',
          total: new Decimal(10),
          allocations: [],
          warning: new Decimal('0.5'),
          enforcement: 'soft',
          recipients: [],
        },
        day(1, 0),
      );
      await recordUsage(conn, { requestId: 'b', timestamp: day(2), model: 'm-dollar', inputTokens: 12000n }, day(2));
      const r = await evaluateAlerts(conn, { at: day(2), tz: 'UTC', now: day(2), actor: 't' });
      expect(r.raised.map((a) => [a.type, new Decimal(a.threshold!).toFixed(), a.severity])).toEqual([
        ['budget_warning', '5', 'warning'],
        ['budget_exceeded', '10', 'critical'],
      ]);
    });
  });

  it('a limit raised above usage resolves the higher alerts and keeps the lower one open', async () => {
    await withTempDb(async (conn) => {
      await addDollarModel(conn);
      const spec = {
        name: 'q',
        scope: { type: 'global' as const, value: null },
        metric: 'cost' as const,
        period: 'monthly' as const,
        limit: new Decimal(10),
        dailyLimit: null,
        hourlyLimit: null,
        warning: QUOTA_DEFAULTS.warning,
        critical: QUOTA_DEFAULTS.critical,
        enforcement: 'soft' as const,
        model: null,
        recipients: [],
      };
      await addQuota(conn, spec, day(1, 0));
      await recordUsage(conn, { requestId: 'a', timestamp: day(2), model: 'm-dollar', inputTokens: 9700n }, day(2));
      let r = await evaluateAlerts(conn, { at: day(2), tz: 'UTC', now: day(2), actor: 't' });
      expect(kinds(r.raised)).toEqual(['quota_warning', 'quota_critical']);
      // $9.70 of a $12 limit is 80.8 %: still past the warning, no longer critical.
      await updateQuota(conn, 'q', { limit: new Decimal(12) }, day(3));
      r = await evaluateAlerts(conn, { at: day(3), tz: 'UTC', now: day(3), actor: 't' });
      expect(r).toEqual({ raised: [], resolved: 1 });
      expect((await listAlerts(conn)).map((a) => [a.type, a.status])).toEqual([
        ['quota_warning', 'open'],
        ['quota_critical', 'resolved'],
      ]);
    });
  });
});
