// On the demo data (usage + the FOCUS bill built with documented differences, fixtures/demo/expected.json):
// reconcile finds exactly those differences; backup/restore keeps every figure; optimize ranks and decides.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { withDatabase } from '../../src/db/database.js';
import { ROOT, runCliAsync } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'expected.json'), 'utf8'));
const NOW = { COSTCTL_NOW: expected.demo_now as string };
const PERIOD = ['--since', '2026-02-09', '--until', '2026-03-01'];

let demoDb: string;
let demoRun: { code: number; stdout: string; stderr: string };

let demoDir: string;

beforeAll(async () => {
  // tempDir() is cleaned after each test, so the shared demo lives in a folder of its own.
  demoDir = mkdtempSync(join(tmpdir(), 'costctl-e2e-demo-'));
  demoDb = join(demoDir, 'demo.duckdb');
  demoRun = await runCliAsync(['demo', '--db', demoDb], { cwd: demoDir });
}, 180_000);

afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

function copyOfDemo(): string {
  const path = tempDbPath();
  copyFileSync(demoDb, path);
  return path;
}

describe('costctl demo', () => {
  it('runs every job once and says where the emails went', () => {
    expect(demoRun.code, demoRun.stderr).toBe(0);
    const m =
      /jobs: threshold-check \w+, anomaly-scan \w+, reconcile attention, optimization-report ok, daily-digest ok; (\d+) email\(s\) written as \.eml files to (\S+)/.exec(
        demoRun.stdout,
      );
    expect(m, demoRun.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(existsSync(join(m![2]!, '000001.eml'))).toBe(true);
  });
});

describe('costctl reconcile on the demo', () => {
  it('finds exactly the differences the fixture was built with, and exits 3', async () => {
    const db = copyOfDemo();
    const r = await runCliAsync(['reconcile', ...PERIOD, '--json'], { db, env: NOW });
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    const d = expected.differences;
    const found = out.mismatches.map((x: any) => ({
      day: x.day,
      provider: x.provider,
      model: x.model,
      cause: x.cause,
    }));
    expect(found).toEqual([
      {
        day: d.price_mismatch.day,
        provider: d.price_mismatch.provider.toLowerCase(),
        model: d.price_mismatch.model,
        cause: 'price_mismatch',
      },
      {
        day: d.billing_without_usage.day,
        provider: d.billing_without_usage.provider.toLowerCase(),
        model: d.billing_without_usage.model,
        cause: 'billing_without_usage',
      },
      {
        day: d.usage_without_billing.day,
        provider: d.usage_without_billing.provider.toLowerCase(),
        model: d.usage_without_billing.model,
        cause: 'usage_without_billing',
      },
    ]);
    const [price, billed, unbilled] = out.mismatches;
    expect(new Decimal(price.usage_cost).eq(d.price_mismatch.usage_cost)).toBe(true);
    expect(new Decimal(price.billed_cost).eq(d.price_mismatch.billed)).toBe(true);
    expect(new Decimal(price.difference).eq(d.price_mismatch.difference)).toBe(true);
    expect(new Decimal(billed.billed_cost).eq(d.billing_without_usage.billed)).toBe(true);
    expect(new Decimal(unbilled.usage_cost).eq(d.usage_without_billing.usage_cost)).toBe(true);
    // Totals re-derive from the fixture's own totals: computed usage and the whole bill.
    expect(new Decimal(out.totals.usage_cost).eq(expected.usage_total_cost)).toBe(true);
    expect(new Decimal(out.totals.billed_cost).eq(expected.billed_total)).toBe(true);
    expect(out.consistency.issues).toEqual([]);
    // The demo's reconcile job already raised one reconciliation_mismatch alert per difference:
    // running reconcile again raises none twice.
    expect(out.alerts_raised).toEqual([]);
    const alerts = JSON.parse((await runCliAsync(['alerts', 'list', '--json'], { db, env: NOW })).stdout);
    expect(alerts.filter((a: any) => a.type === 'reconciliation_mismatch')).toHaveLength(3);
  });

  it('a wide enough tolerance makes it exit 0', async () => {
    const r = await runCliAsync(['reconcile', ...PERIOD, '--tolerance-abs', '5'], { db: copyOfDemo(), env: NOW });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Everything reconciles within tolerance.');
  });

  it('--repair recomputes a corrupted row total and says what changed', async () => {
    const db = copyOfDemo();
    const row = await withDatabase(db, { lockTimeoutMs: 5_000 }, async (d) => {
      const r = await d.one(
        'SELECT request_id, total_cost::VARCHAR AS t FROM usage WHERE NOT unpriced ORDER BY request_id LIMIT 1',
      );
      await d.run('UPDATE usage SET total_cost = total_cost + 1 WHERE request_id = ?', [r!.request_id]);
      return r!;
    });
    const check = await runCliAsync(['reconcile', '--date', '2026-02-10'], { db, env: NOW });
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(
      new RegExp(
        `inconsistent usage \\S+/${row.request_id} \\(usage_row_total\\): stored \\S+, rows say \\S+ \\(fix with --repair\\)`,
      ),
    );
    const fix = await runCliAsync(['reconcile', '--date', '2026-02-10', '--repair', '--json'], { db, env: NOW });
    const out = JSON.parse(fix.stdout);
    expect(out.consistency.repaired).toHaveLength(1);
    expect(new Decimal(out.consistency.repaired[0].after).eq(row.t)).toBe(true);
    expect(out.consistency.issues).toEqual([]);
  });

  it.each([
    [['--date', '2026-02-30'], /--date: "2026-02-30" must be a calendar day/],
    [['--date', '2026-02-10', '--since', '2026-02-09'], /either --date or --since\/--until/],
    [['--until', '2026-02-10'], /--until needs --since/],
    [['--since', '2026-02-11', '--until', '2026-02-10'], /--since 2026-02-11 is after --until 2026-02-10/],
    [['--tolerance-pct', 'abc'], /--tolerance-pct <pct>' argument 'abc' is invalid/],
    [['--tolerance-abs', '-0.01'], /--tolerance-abs <amount>' argument '-0.01' is invalid/],
  ])('%o → exit 2 with one clear line', async (args, message) => {
    const r = await runCliAsync(['reconcile', ...args], { db: tempDbPath(), env: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('backup and restore of the demo', () => {
  it('round trip keeps every row and total; restore refuses to overwrite without --force', async () => {
    const db = copyOfDemo();
    const dir = join(tempDir(), 'backup');
    const b = await runCliAsync(['backup', dir], { db, env: NOW });
    expect(b.code, b.stderr).toBe(0);
    const target = join(tempDir(), 'restored.duckdb');
    const r = await runCliAsync(['restore', dir, '--db', target], { env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const before = JSON.parse((await runCliAsync(['reconcile', ...PERIOD, '--json'], { db, env: NOW })).stdout);
    const after = JSON.parse((await runCliAsync(['reconcile', ...PERIOD, '--json'], { db: target, env: NOW })).stdout);
    expect(after.totals).toEqual(before.totals);
    expect(after.lines).toEqual(before.lines);
    const refused = await runCliAsync(['restore', dir, '--db', target], { env: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists; pass --force');
    expect((await runCliAsync(['restore', dir, '--db', target, '--force'], { env: NOW })).code).toBe(0);
    const notEmpty = await runCliAsync(['backup', dir], { db, env: NOW });
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain('is not empty');
  });
});

describe('optimize on the demo', () => {
  it('ranks suggestions by savings; dismiss hides one; bad ids and windows are refused', async () => {
    const db = copyOfDemo();
    const r = await runCliAsync(['optimize', '--json'], { db, env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.length).toBeGreaterThan(0);
    const savings = list.map((s: any) => new Decimal(s.potential_savings));
    for (let i = 1; i < savings.length; i++) expect(savings[i - 1].gte(savings[i])).toBe(true);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'title',
          'description',
          'type',
          'current_cost',
          'potential_savings',
          'savings_percentage',
          'recommendations',
          'effort',
          'priority',
          'evidence',
        ]),
      );
      // savings_percentage is potential_savings / current_cost, to 2 decimals
      if (new Decimal(s.current_cost).gt(0)) {
        expect(
          new Decimal(s.savings_percentage).eq(
            new Decimal(s.potential_savings).div(s.current_cost).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
          ),
        ).toBe(true);
      }
    }
    const first = list[0];
    // --json after the subcommand prints JSON, like every other --json (#18 item 4).
    const dismissed = await runCliAsync(['optimize', 'dismiss', String(first.id), '--json'], { db, env: NOW });
    expect(dismissed.code).toBe(0);
    expect(JSON.parse(dismissed.stdout)).toMatchObject({ id: first.id, status: 'dismissed' });
    const accepted = await runCliAsync(['optimize', 'accept', String(list[1].id), '--json'], { db, env: NOW });
    expect(JSON.parse(accepted.stdout)).toMatchObject({ id: list[1].id, status: 'accepted' });
    const text = await runCliAsync(['optimize', 'accept', String(list[1].id)], { db, env: NOW });
    expect(text.stdout).toMatch(new RegExp(`^#${list[1].id} accepted: `));
    const again = JSON.parse((await runCliAsync(['optimize', '--json'], { db, env: NOW })).stdout);
    expect(again.map((s: any) => s.id)).not.toContain(first.id);
    const missing = await runCliAsync(['optimize', 'accept', '99999'], { db, env: NOW });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('suggestion 99999 does not exist');
    expect((await runCliAsync(['optimize', '--window', 'soon'], { db, env: NOW })).code).toBe(2);
    expect((await runCliAsync(['optimize', 'accept', 'x1'], { db, env: NOW })).code).toBe(2);
  });

  it('an empty database prints []', async () => {
    const r = await runCliAsync(['optimize', '--json'], { db: tempDbPath(), env: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('costctl reconcile and the reconcile job run one reconciliation', () => {
  // The demo clock is 2026-03-02 09:00 UTC, so "yesterday" is 2026-03-01.
  it('--since alone covers the same days through yesterday, with the same tolerance, in both', async () => {
    const cmd = await runCliAsync(['reconcile', '--since', '2026-02-25', '--json'], { db: copyOfDemo(), env: NOW });
    expect(cmd.code, cmd.stderr).toBe(3);
    const out = JSON.parse(cmd.stdout);
    expect([out.since, out.until]).toEqual(['2026-02-25', '2026-03-01']);
    const job = await runCliAsync(['jobs', 'run', 'reconcile', '--since', '2026-02-25', '--json'], {
      db: copyOfDemo(),
      env: NOW,
    });
    expect(job.code, job.stderr).toBe(3);
    const summary = JSON.parse(job.stdout).summary as string;
    expect(summary).toContain(
      `2026-02-25..2026-03-01: ${out.lines.length} compared, ${out.mismatches.length} beyond tolerance`,
    );
  });

  it('a day that does not exist is a usage error (exit 2) from both, and the job records no run', async () => {
    const db = copyOfDemo();
    for (const args of [
      ['reconcile', '--date', '2026-02-30'],
      ['jobs', 'run', 'reconcile', '--date', '2026-02-30'],
    ]) {
      const r = await runCliAsync(args, { db, env: NOW });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--date: "2026-02-30" must be a calendar day such as 2026-03-01');
    }
    const history = await runCliAsync(['jobs', 'history', '--job', 'reconcile', '--json'], { db, env: NOW });
    expect(JSON.parse(history.stdout).filter((h: { trigger: string }) => h.trigger === 'manual')).toEqual([]);
  });
});
