// The "must show", end to end: the CLI spawned as a user runs it, a real SMTP server on loopback.
// A department quota of $5,000 with $4,812.10 of usage (2,406,050,000 input tokens at $2 per 1M) is at
// 96%: over the 95% critical threshold, so exactly one critical alert email is expected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initializedDb, runCliAsync, type CliEnv } from '../helpers/cli.js';
import { decodeHeader, mimeHeader, mimePart, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop().catch(() => undefined);
  smtp = undefined;
});

const NOW = '2026-03-20T10:00:00Z';

async function setup(): Promise<{ db: string; env: Record<string, string> }> {
  const db = tempDbPath();
  const env = { COSTCTL_NOW: NOW, COSTCTL_SMTP_FROM: 'costctl <alerts@example.com>' };
  const run = (args: string[]) => runCliAsync(args, { db, env });
  const model = await run([
    'models',
    'add',
    'gpt-x',
    '--provider',
    'openai',
    '--unit-size',
    '1000000',
    '--input-price',
    '2',
    '--output-price',
    '8',
  ]);
  expect(model.stderr).toContain('added gpt-x');
  const file = join(tempDir(), 'usage.jsonl');
  writeFileSync(
    file,
    `${JSON.stringify({ request_id: 'r1', timestamp: '2026-03-02T09:00:00Z', model: 'gpt-x', input_tokens: 2_406_050_000, department: 'sales-east' })}\n`,
  );
  const ingest = await run(['ingest', file]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const quota = await run([
    'quotas',
    'add',
    'sales-east',
    '--scope',
    'department:sales-east',
    '--period',
    'monthly',
    '--limit',
    '5000',
    '--notify',
    'ops@example.com',
  ]);
  expect(quota.code, quota.stderr).toBe(0);
  return { db, env };
}

function job(name: string, opts: CliEnv, smtpUrl: string, now = NOW) {
  return runCliAsync(['jobs', 'run', name], {
    ...opts,
    env: { ...opts.env, COSTCTL_SMTP_URL: smtpUrl, COSTCTL_NOW: now },
  });
}

describe('jobs run threshold-check with email', () => {
  let base: { db: string; env: Record<string, string> };

  it('delivers the critical alert email once; a second run delivers none', async () => {
    base = await setup();
    smtp = await startSmtp();
    const first = await job('threshold-check', base, smtp.url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/threshold-check ok: .*emails: 1 sent/);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to).toEqual(['ops@example.com']);
    const subject = decodeHeader(mimeHeader(mail.raw, 'Subject')!);
    // Both thresholds were crossed before the first run: one email names both.
    expect(subject).toBe(
      '[costctl] CRITICAL: sales-east monthly quota at 96% ($4,812.10 of $5,000.00); crossed warning (80%), critical (95%)',
    );
    const text = mimePart(mail.raw, 'text/plain')!;
    const html = mimePart(mail.raw, 'text/html')!;
    // 4,812.10 / 5,000 = 96.242% → 96
    expect(text).toContain('Used 96% of the limit');
    expect(html).toContain('width:96%');
    expect(html).not.toMatch(/<script|<img|https?:\/\//i);

    const second = await job('threshold-check', base, smtp.url);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('emails: 0 sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('with SMTP down the message waits in the outbox, then arrives exactly once', async () => {
    base = await setup();
    smtp = await startSmtp();
    await smtp.stop();
    const down = await job('threshold-check', base, smtp.url);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/1 waiting in the outbox \(.*(ECONNREFUSED|connect)/);
    const queued = await runCliAsync(['outbox', 'list', '--json'], base);
    const entries = JSON.parse(queued.stdout);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'queued', attempts: 1, recipients: ['ops@example.com'] });
    expect(entries[0].last_error).toMatch(/ECONNREFUSED|connect/);

    await smtp.start();
    // Five minutes later (the next scheduled run), past the one-minute backoff.
    const later = '2026-03-20T10:05:00Z';
    const back = await job('threshold-check', base, smtp.url, later);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const again = await job('threshold-check', base, smtp.url, '2026-03-20T10:10:00Z');
    expect(again.code).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const history = JSON.parse((await runCliAsync(['jobs', 'history', '--json'], base)).stdout);
    // The run whose mail waited did its own work: recorded ok, the waiting mail in its summary and error.
    expect(history.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(history[2].summary).toMatch(/1 waiting in the outbox/);
    expect(history[2].error).toMatch(/^email delivery: 1 waiting in the outbox/);
  });

  it('outbox retry sends waiting messages at once, ignoring the backoff; exit 1 while SMTP is still down', async () => {
    base = await setup();
    smtp = await startSmtp();
    await smtp.stop();
    expect((await job('threshold-check', base, smtp.url)).code).toBe(1);
    const withSmtp = { ...base, env: { ...base.env, COSTCTL_SMTP_URL: smtp.url } };
    const stillDown = await runCliAsync(['outbox', 'retry'], withSmtp);
    expect(stillDown.code).toBe(1);
    expect(stillDown.stdout).toMatch(/^still queued #1 \(.*\); next try /);
    await smtp.start();
    // Same pinned clock: the backoff has not passed, `retry` sends anyway.
    const sent = await runCliAsync(['outbox', 'retry', '1', '--json'], withSmtp);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).sent.map((m: { id: number }) => m.id)).toEqual([1]);
    expect(smtp.received).toHaveLength(1);
    const nothing = await runCliAsync(['outbox', 'retry'], withSmtp);
    expect(nothing.stdout.trim()).toBe('Nothing to send.');
    const list = JSON.parse((await runCliAsync(['outbox', 'list', '--status', 'sent', '--json'], base)).stdout);
    expect(list.map((m: { id: number; attempts: number }) => [m.id, m.attempts])).toEqual([[1, 3]]);
    expect((await runCliAsync(['outbox', 'list', '--status', 'lost'], base)).code).toBe(2);
  });

  it('outbox list --json on an empty outbox is []', async () => {
    const r = await runCliAsync(['outbox', 'list', '--json'], { db: initializedDb() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('without SMTP configured writes .eml files into the outbox folder', async () => {
    base = await setup();
    const outbox = join(tempDir(), 'mail');
    const r = await runCliAsync(['jobs', 'run', 'threshold-check'], {
      ...base,
      env: { ...base.env, COSTCTL_OUTBOX_DIR: outbox },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`via ${join(outbox, '000001.eml')}`);
  });
});

describe('jobs: bad configuration is caught before any work', () => {
  it.each([
    [{ COSTCTL_SMTP_URL: 'http://mail.example.com' }, /COSTCTL_SMTP_URL: must start with smtp:\/\/ or smtps:\/\//],
    [{ COSTCTL_SMTP_URL: 'smtp://' }, /COSTCTL_SMTP_URL: (not a valid URL|has no host name)/],
    [{ COSTCTL_SMTP_FROM: 'not an address' }, /COSTCTL_SMTP_FROM: "not an address" is not a sender address/],
    [
      { COSTCTL_OUTBOX_DIR: '/dev/null/outbox' },
      /COSTCTL_OUTBOX_DIR: outbox folder \/dev\/null\/outbox is not writable \(ENOTDIR\)/,
    ],
  ])('%o → exit 2', async (env, message) => {
    const db = tempDbPath();
    const r = await runCliAsync(['jobs', 'run', 'threshold-check'], { db, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown job name is a usage error naming the jobs', async () => {
    const r = await runCliAsync(['jobs', 'run', 'thresold-check'], { db: tempDbPath() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown job "thresold-check" (jobs: threshold-check, anomaly-scan, reconcile, optimization-report, daily-digest)',
    );
  });
});
