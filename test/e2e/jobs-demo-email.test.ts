// "With the demo data, `jobs run threshold-check` delivers the expected alert emails to the loopback
// SMTP server, and a second run delivers none." The demo's usage and catalog are loaded with the
// ordinary commands; the quota limit is set from an independent SQL sum so its state is known (90%).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/db/database.js';
import { Decimal, formatMoney } from '../../src/domain/money.js';
import { LITELLM_CATALOG, ROOT, runCliAsync } from '../helpers/cli.js';
import { decodeHeader, mimeHeader, mimePart, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { tempDbPath } from '../helpers/temp.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

// Late in the demo's last week: February's monthly window holds most of the demo traffic.
const NOW = '2026-02-28T12:00:00Z';

describe('threshold-check on the demo data', () => {
  it('emails each open alert once to its recipients; a second run sends nothing', async () => {
    const db = tempDbPath();
    const env = {
      COSTCTL_NOW: NOW,
      COSTCTL_ALERT_RECIPIENTS: 'finops@acme.example',
      COSTCTL_SMTP_FROM: 'costctl <costctl@acme.example>',
    };
    const run = (args: string[], extra: Record<string, string> = {}) =>
      runCliAsync(args, { db, env: { ...env, ...extra } });
    expect((await run(['models', 'import', LITELLM_CATALOG])).code).toBe(0);
    const ingest = await run(['ingest', join(ROOT, 'fixtures', 'demo', 'usage')]);
    expect(ingest.code, ingest.stderr).toBe(0);

    // What sales-east spent in February up to NOW, summed straight from the rows.
    const spent = await withDatabase(
      db,
      { lockTimeoutMs: 5_000 },
      async (d) =>
        new Decimal(
          (await d.one<{ s: string }>(
            `SELECT sum(total_cost)::VARCHAR AS s FROM usage WHERE department = 'sales-east' AND NOT unpriced
           AND ts >= '2026-02-01' AND ts <= '2026-02-28 12:00:00'`,
          ))!.s,
        ),
    );
    // A limit of spent / 0.9 puts the quota at 90%: past the 80% warning, under the 95% critical.
    const limit = spent.div('0.9').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const quota = await run([
      'quotas',
      'add',
      'sales-east',
      '--scope',
      'department:sales-east',
      '--period',
      'monthly',
      '--limit',
      limit.toFixed(),
      '--notify',
      'east-lead@acme.example',
    ]);
    expect(quota.code, quota.stderr).toBe(0);

    smtp = await startSmtp();
    const first = await run(['jobs', 'run', 'threshold-check', '--json'], { COSTCTL_SMTP_URL: smtp.url });
    expect(first.code, first.stderr).toBe(0);
    const open = JSON.parse((await run(['alerts', 'list', '--json'])).stdout).filter((a: any) => a.status === 'open');
    // One email per open alert, each to the alert's own recipients or the configured default.
    expect(smtp.received).toHaveLength(open.length);
    const quotaMail = smtp.received.find((m) => m.to.includes('east-lead@acme.example'));
    expect(quotaMail, smtp.received.map((m) => m.to.join()).join(' | ')).toBeDefined();
    expect(decodeHeader(mimeHeader(quotaMail!.raw, 'Subject')!)).toBe(
      `[costctl] WARNING: sales-east monthly quota at 90% (${formatMoney(spent)} of ${formatMoney(limit)})`,
    );
    expect(mimePart(quotaMail!.raw, 'text/html')).toContain('width:90%');
    const unpriced = smtp.received.find((m) =>
      decodeHeader(mimeHeader(m.raw, 'Subject')!).includes('acme-intent-classifier-v2'),
    );
    expect(unpriced?.to).toEqual(['finops@acme.example']);
    for (const m of smtp.received) expect(m.from).toBe('costctl@acme.example');

    const second = await run(['jobs', 'run', 'threshold-check'], { COSTCTL_SMTP_URL: smtp.url });
    expect(second.code).toBe(0);
    expect(smtp.received).toHaveLength(open.length);
  }, 120_000);
});
