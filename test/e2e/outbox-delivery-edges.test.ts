// #17, end to end with a real SMTP server on loopback: a recipient refused with 550 is recorded and shown
// by `outbox list`; a send whose answer comes after the timeout is `unconfirmed` and not sent again by
// the next job run, only by `outbox retry ID`; `jobs list` refuses a malformed SMTP URL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initializedDb, runCliAsync } from '../helpers/cli.js';
import { mimeHeader, startSmtp, type SmtpBehaviour, type TestSmtp } from '../helpers/smtp.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop().catch(() => undefined);
  smtp = undefined;
});

const NOW = '2026-03-20T10:00:00Z';

/** A department at 96% of its quota (one critical alert to send) with two recipients, and the server. */
async function setup(behaviour: SmtpBehaviour) {
  smtp = await startSmtp(behaviour);
  const db = tempDbPath();
  const env = {
    COSTCTL_NOW: NOW,
    COSTCTL_SMTP_FROM: 'costctl <alerts@example.com>',
    COSTCTL_SMTP_URL: `${smtp.url}?timeout=1`,
  };
  const run = (...args: string[]) => runCliAsync(args, { db, env: { ...env, COLUMNS: '300' } });
  expect(
    (
      await run(
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
      )
    ).code,
  ).toBe(0);
  const file = join(tempDir(), 'usage.jsonl');
  writeFileSync(
    file,
    `${JSON.stringify({ timestamp: '2026-03-02T09:00:00Z', model: 'gpt-x', input_tokens: 2_406_050_000, department: 'sales-east' })}\n`,
  );
  expect((await run('ingest', file)).code).toBe(0);
  const quota = [
    'quotas',
    'add',
    'sales-east',
    '--scope',
    'department:sales-east',
    '--period',
    'monthly',
    '--limit',
    '5000',
  ];
  expect((await run(...quota, '--notify', 'ops@example.com', '--notify', 'gone@example.com')).code).toBe(0);
  return { run, server: smtp };
}

describe('email delivery edges (e2e)', () => {
  it('a recipient refused with 550 is recorded, shown by outbox list, and the run says so', async () => {
    const { run, server } = await setup({ refuse: ['gone@example.com'] });
    const job = await run('jobs', 'run', 'threshold-check');
    expect(job.code).toBe(1);
    expect(job.stdout + job.stderr).toContain('1 recipient(s) refused: costctl outbox list');
    expect(server.received.map((m) => m.to)).toEqual([['ops@example.com']]);
    const [entry] = JSON.parse((await run('outbox', 'list', '--json')).stdout);
    expect(entry).toMatchObject({
      status: 'sent',
      refused: [{ address: 'gone@example.com', reply: '550 5.1.1 <gone@example.com>: no such user' }],
    });
    const table = (await run('outbox', 'list')).stdout;
    expect(table).toContain('refused');
    expect(table).toContain('gone@example.com (550 5.1.1');
  });

  it('an answer after the timeout: unconfirmed, not re-sent by the next run, re-sent by outbox retry ID', async () => {
    const behaviour: SmtpBehaviour = { holdData: true };
    const { run, server } = await setup(behaviour);
    const first = await run('jobs', 'run', 'threshold-check');
    server.release();
    expect(first.code).toBe(1);
    expect(first.stdout + first.stderr).toContain('1 unconfirmed');
    expect(server.received).toHaveLength(1);
    const [entry] = JSON.parse((await run('outbox', 'list', '--status', 'unconfirmed', '--json')).stdout);
    expect(entry.last_error).toMatch(/it may have been delivered, so it is not sent again by itself/);

    behaviour.holdData = false;
    expect((await run('jobs', 'run', 'threshold-check')).code).toBe(0);
    expect((await run('outbox', 'retry')).stdout.trim()).toBe('Nothing to send.');
    expect(server.received).toHaveLength(1);

    const retried = await run('outbox', 'retry', String(entry.id));
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/^sent #1 to ops@example.com, gone@example.com via 127\.0\.0\.1:\d+/);
    expect(server.received).toHaveLength(2);
    expect(mimeHeader(server.received[1]!.raw, 'Message-ID')).toBe(mimeHeader(server.received[0]!.raw, 'Message-ID'));
  });

  it.each([
    ['smtp://', /COSTCTL_SMTP_URL: (not a valid URL|has no host name)/],
    ['smtp//mail.example.com', /COSTCTL_SMTP_URL: (not a valid URL|must start with smtp)/],
    ['smtp://mail.example.com:0', /COSTCTL_SMTP_URL: port 0 is not 1-65535/],
    ['smtp://mail.example.com/inbox', /COSTCTL_SMTP_URL: has a path \(\/inbox\)/],
    ['smtp://mail.example.com?timeout=soon', /COSTCTL_SMTP_URL: timeout "soon" must be whole seconds from 1 to 600/],
    ['smtp://mail.example.com?pool=true', /COSTCTL_SMTP_URL: unknown parameter "pool" \(only \?timeout=SECONDS\)/],
  ])('jobs list with COSTCTL_SMTP_URL=%s → exit 2', async (url, message) => {
    const r = await runCliAsync(['jobs', 'list'], { db: initializedDb(), env: { COSTCTL_SMTP_URL: url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
