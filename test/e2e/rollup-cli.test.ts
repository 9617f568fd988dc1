// Every command that writes usage rows keeps the quota rollup equal to the rows: after ingest, record,
// a quota with a model filter, directory import and reprice, `costctl reconcile` finds no bucket that
// differs, and `check` reads the rollup (its answer equals the row scan under another --tz). A bucket
// changed behind costctl's back is reported (exit 3) and `--repair` rebuilds it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/db/database.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

const NOW = '2026-03-02T10:00:00Z';

function rollupCheck(out: any) {
  return out.consistency.checks.find((c: any) => c.name === 'usage_rollup');
}

describe('rollup through the CLI', () => {
  it('stays equal to the rows through every writer, and drift is found and repaired', async () => {
    const db = tempDbPath();
    const run = (...args: string[]) => runCli(args, { db, env: { COSTCTL_NOW: NOW } });
    const ok = (...args: string[]) => {
      const r = run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    ok('models', 'import', join(ROOT, 'fixtures', 'pricing', 'litellm-model-prices.json'));
    ok('ingest', join(ROOT, 'fixtures', 'usage', 'usage.csv'));
    // Nothing reads the rollup until there is a quota or budget: ingest keeps none, the first quota builds it.
    const built = () =>
      withDatabase(db, { lockTimeoutMs: 5_000 }, async (h) => (await h.all('SELECT tz FROM rollup_meta')).length);
    expect(await built()).toBe(0);
    ok(
      'quotas',
      'add',
      'mini',
      '--scope',
      'department:sales-east',
      '--period',
      'monthly',
      '--limit',
      '100',
      '--model',
      'gpt-4o-mini',
    );
    expect(await built()).toBe(1);
    ok(
      'quotas',
      'add',
      'all',
      '--scope',
      'global',
      '--period',
      'monthly',
      '--limit',
      '1000',
      '--daily-limit',
      '500',
      '--hourly-limit',
      '100',
    );
    for (const [i, user] of ['u-17', 'u-18', 'u-99'].entries()) {
      ok(
        'record',
        '--model',
        'gpt-4o-mini',
        '--user',
        user,
        '--input-tokens',
        '1000',
        '--output-tokens',
        '100',
        '--timestamp',
        `2026-03-02T09:5${i}:00Z`,
      );
    }
    ok('directory', 'import', join(ROOT, 'fixtures', 'directory', 'users.csv'));
    ok(
      'models',
      'add',
      'acme-intent-classifier-v2',
      '--provider',
      'acme',
      '--input-price',
      '0.0001',
      '--output-price',
      '0',
      '--effective-from',
      '2020-01-01',
    );
    ok('reprice');

    const reconcile = JSON.parse(run('reconcile', '--since', '2026-03-01', '--until', '2026-03-02', '--json').stdout);
    expect(rollupCheck(reconcile)).toMatchObject({ problems: 0 });
    expect(rollupCheck(reconcile).checked).toBeGreaterThan(0);

    // check from the rollup (tz UTC, the rollup's zone) = check from the rows (another zone with the same calendar).
    const ask = (tz: string) =>
      JSON.parse(
        ok(
          'check',
          '--user',
          'u-17',
          '--model',
          'gpt-4o-mini',
          '--input-tokens',
          '10',
          '--at',
          NOW,
          '--tz',
          tz,
          '--json',
        ).stdout,
      );
    const fromRollup = ask('UTC');
    const fromRows = ask('Etc/GMT');
    expect(fromRollup.quotas.map((q: any) => q.used)).toEqual(fromRows.quotas.map((q: any) => q.used));
    expect(fromRollup.quotas.some((q: any) => Number(q.used) > 0)).toBe(true);

    // Drift: one bucket changed outside costctl.
    await withDatabase(db, { lockTimeoutMs: 5_000 }, (h) =>
      h.run('UPDATE usage_rollup SET rows_ = rows_ + 1 WHERE k = (SELECT min(k) FROM usage_rollup)'),
    );
    const drifted = run('reconcile', '--since', '2026-03-01', '--until', '2026-03-02', '--json');
    expect(drifted.code).toBe(3);
    expect(rollupCheck(JSON.parse(drifted.stdout))).toMatchObject({ problems: 1 });
    const repaired = JSON.parse(
      run('reconcile', '--since', '2026-03-01', '--until', '2026-03-02', '--repair', '--json').stdout,
    );
    expect(repaired.consistency.repaired.map((c: any) => c.check)).toContain('usage_rollup');
    expect(rollupCheck(repaired)).toMatchObject({ problems: 0 });
  }, 120_000);
});
