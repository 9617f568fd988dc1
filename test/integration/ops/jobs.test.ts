// Jobs run through the runner exactly as `costctl jobs run` does, on a real DuckDB file, with email
// to a real loopback SMTP server or to .eml files.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findJob } from '../../../jobs/registry.js';
import { runJob } from '../../../jobs/runner.js';
import { Decimal } from '../../../src/domain/money.js';
import { listOutbox } from '../../../src/notify/outbox.js';
import { raiseAlert } from '../../../src/services/alerts/state.js';
import { buildDigest, digestTotalCheck } from '../../../src/services/reports/digest.js';
import { testContext } from '../../helpers/db.js';
import { mimeHeader, mimePart, startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertBilling, insertPricedUsage } from '../../helpers/seed.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

const NOW = '2026-03-03T08:00:00Z';

function ctxWith(env: Record<string, string> = {}) {
  return testContext({ now: NOW, env: { COSTCTL_ALERT_RECIPIENTS: 'finops@example.com', ...env } });
}

async function seed(ctx: ReturnType<typeof ctxWith>['ctx']) {
  await ctx.withDb(async (db) => {
    await addTokenModel(db, 'gpt-x', 'openai', { input: '2', output: '8' });
    await addTokenModel(db, 'claude-y', 'anthropic', { input: '3', output: '15' });
    await insertPricedUsage(db, [
      // 2026-03-01: $2.00 openai (sales); 2026-03-02 (yesterday): $6.00 openai (sales) + $2.10 anthropic (support)
      { request_id: 'a0', ts: '2026-03-01 10:00:00', model: 'gpt-x', input_tokens: 1_000_000, department: 'sales' },
      {
        request_id: 'a1',
        ts: '2026-03-02 10:00:00',
        model: 'gpt-x',
        input_tokens: 1_000_000,
        output_tokens: 500_000,
        department: 'sales',
      },
      {
        request_id: 'b1',
        ts: '2026-03-02 11:00:00',
        model: 'claude-y',
        input_tokens: 200_000,
        output_tokens: 100_000,
        department: 'support',
      },
    ]);
    await insertBilling(db, [
      { line_key: 'L1', start: '2026-03-02 00:00:00', provider: 'openai', model: 'gpt-x', billed_cost: '6.00' },
      { line_key: 'L2', start: '2026-03-02 00:00:00', provider: 'anthropic', model: 'claude-y', billed_cost: '2.60' },
    ]);
  });
}

describe('reconcile job', () => {
  it('checks yesterday, raises an alert per difference and emails one report, once', async () => {
    smtp = await startSmtp();
    const { ctx } = ctxWith({ COSTCTL_SMTP_URL: smtp.url });
    await seed(ctx);
    const first = await runJob(ctx, findJob('reconcile'));
    // anthropic billed $2.60 vs $2.10 computed: one difference (openai matches)
    expect(first.status).toBe('attention');
    expect(first.summary).toContain('2026-03-02: 2 compared, 1 beyond tolerance');
    expect(first.emails.sent).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['finops@example.com']);
    expect(mimePart(smtp.received[0]!.raw, 'text/plain')).toMatch(
      /2026-03-02 +anthropic +claude-y +\$2\.10 +\$2\.60 +\$0\.50 +price_mismatch/,
    );
    const second = await runJob(ctx, findJob('reconcile'));
    expect(second.status).toBe('attention');
    expect(second.summary).toContain('0 alert(s) raised');
    expect(second.emails.sent).toHaveLength(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('is ok when everything reconciles', async () => {
    const { ctx } = ctxWith();
    await seed(ctx);
    const r = await runJob(ctx, findJob('reconcile'), { date: '2026-03-01' });
    // 03-01 has $2.00 of usage and no bill: beyond a cent, so attention; a day with neither is ok
    expect(r.status).toBe('attention');
    expect((await runJob(ctx, findJob('reconcile'), { date: '2026-02-01' })).status).toBe('ok');
  });
});

describe('daily-digest job', () => {
  it('figures re-derive from the rows and the digest is queued once a day', async () => {
    const { ctx } = ctxWith();
    await seed(ctx);
    const digest = await ctx.withDb((db) => buildDigest(db, { now: new Date(NOW), tz: 'UTC' }));
    // yesterday 6.00 + 2.10; month to date adds 03-01's 2.00
    expect(digest).toMatchObject({ day: '2026-03-02', yesterday: '8.100000', month_to_date: '10.100000' });
    expect(digest.by_provider).toEqual([
      { provider: 'openai', cost: '6.000000' },
      { provider: 'anthropic', cost: '2.100000' },
    ]);
    expect(digestTotalCheck(digest)).toBe(true);
    const r = await runJob(ctx, findJob('daily-digest'));
    expect(r.status).toBe('ok');
    expect(r.emails.sent).toHaveLength(1);
    const eml = readFileSync(r.emails.sent[0]!.delivered_to, 'utf8');
    expect(mimeHeader(eml, 'Subject')).toContain('daily digest 2026-03-02: $8.10 yesterday, $10.10 month to date');
    expect(mimePart(eml, 'text/html')).toContain('width:100%');
    expect((await runJob(ctx, findJob('daily-digest'))).emails.sent).toHaveLength(0);
  });

  it('in a non-UTC zone "yesterday" is the local day', async () => {
    const { ctx } = ctxWith();
    await seed(ctx);
    // 08:00Z on 03-03 is 16:00 in Shanghai; local yesterday 03-02 runs 03-01 16:00Z … 03-02 16:00Z.
    // A request at 03-01 17:00Z ($2.00) is Shanghai's 03-02 but UTC's 03-01.
    await ctx.withDb((db) =>
      insertPricedUsage(db, [{ request_id: 'c1', ts: '2026-03-01 17:00:00', model: 'gpt-x', input_tokens: 1_000_000 }]),
    );
    const shanghai = await ctx.withDb((db) => buildDigest(db, { now: new Date(NOW), tz: 'Asia/Shanghai' }));
    const utc = await ctx.withDb((db) => buildDigest(db, { now: new Date(NOW), tz: 'UTC' }));
    expect(shanghai.yesterday).toBe(new Decimal('6').plus('2.1').plus('2').toFixed(6));
    expect(utc.yesterday).toBe(new Decimal('6').plus('2.1').toFixed(6));
  });
});

describe('threshold-check job', () => {
  it('emails every open threshold alert once, to its own recipients before the defaults', async () => {
    smtp = await startSmtp();
    const { ctx } = ctxWith({ COSTCTL_SMTP_URL: `smtp://bot:hunter2@127.0.0.1:${smtp.port}` });
    await ctx.withDb(async (db) => {
      const at = new Date('2026-03-01T00:00:00Z');
      await raiseAlert(
        db,
        {
          type: 'threshold',
          subject: 'threshold:a',
          windowStart: at,
          severity: 'warning',
          title: 'Spend of department:sales passed $1.00',
          message: 'm',
          recipients: ['sales-lead@example.com'],
        },
        at,
      );
      await raiseAlert(
        db,
        {
          type: 'threshold',
          subject: 'threshold:b',
          windowStart: at,
          severity: 'warning',
          title: 'Spend of global passed $5.00',
          message: 'm',
        },
        at,
      );
      // anomaly alerts belong to the anomaly-scan job
      await raiseAlert(
        db,
        {
          type: 'anomaly',
          subject: 'anomaly:day:x',
          windowStart: at,
          severity: 'warning',
          title: 'spike',
          message: 'm',
        },
        at,
      );
    });
    const r = await runJob(ctx, findJob('threshold-check'));
    expect(r.status).toBe('ok');
    expect(smtp.received.map((m) => m.to)).toEqual([['sales-lead@example.com'], ['finops@example.com']]);
    expect(smtp.received.every((m) => m.user === 'bot')).toBe(true);
    await runJob(ctx, findJob('threshold-check'));
    expect(smtp.received).toHaveLength(2);
  });

  it('a wrong SMTP password keeps the message queued, with an error that does not contain the password', async () => {
    smtp = await startSmtp();
    const { ctx } = ctxWith({
      COSTCTL_SMTP_URL: `smtp://bot@127.0.0.1:${smtp.port}`,
      COSTCTL_SMTP_PASSWORD: 'wrong-secret',
    });
    await ctx.withDb((db) =>
      raiseAlert(
        db,
        { type: 'threshold', subject: 't', windowStart: new Date(NOW), severity: 'warning', title: 't', message: 'm' },
        new Date(NOW),
      ),
    );
    const r = await runJob(ctx, findJob('threshold-check'));
    expect(r.status).toBe('ok'); // the check itself ran; only the mail waits
    expect(r.summary).toMatch(/1 waiting in the outbox \(.*Invalid/);
    expect(smtp.received).toHaveLength(0);
    const stored = await ctx.withDb(async (db) =>
      JSON.stringify([
        await listOutbox(db),
        await db.all('SELECT * FROM job_runs'),
        await db.all('SELECT * FROM audit'),
      ]),
    );
    expect(stored).toContain('Invalid');
    expect(stored).not.toContain('wrong-secret');
  });
});

describe('optimization-report job', () => {
  it('stores suggestions and writes one report per week', async () => {
    const { ctx } = ctxWith();
    await ctx.withDb(async (db) => {
      await addTokenModel(db, 'gpt-big', 'openai', { input: '10', output: '30' });
      await addTokenModel(db, 'gpt-small', 'openai', { input: '1', output: '3' });
      await insertPricedUsage(db, [
        { request_id: 'x', ts: '2026-03-02 10:00:00', model: 'gpt-big', input_tokens: 1_000_000 },
      ]);
    });
    const r = await runJob(ctx, findJob('optimization-report'));
    expect(r.status).toBe('ok');
    expect(r.summary).toContain('1 suggestion(s), report queued');
    const eml = readFileSync(r.emails.sent[0]!.delivered_to, 'utf8');
    // $10 on gpt-big re-priced on gpt-small: $1, saving $9
    expect(mimePart(eml, 'text/plain')).toContain('Move gpt-big traffic to gpt-small');
    expect(mimeHeader(eml, 'Subject')).toContain('1 suggestion(s), $9.00 potential');
    await runJob(ctx, findJob('optimization-report'));
    expect(readdirSync(ctx.config.outboxDir)).toHaveLength(1);
  });
});
