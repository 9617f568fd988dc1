// Eight `costctl record` processes at once, 12 records each, on one database file: the lock retry lets
// every one through, nothing is lost, and the quota's used equals the sum of the stored rows, which equals
// the sum of what was sent (each request's cost is known from its tokens: $1 per 1K input tokens).
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { DOLLAR_MODEL, runCli, runCliAsync } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

const WORKERS = 8;
// 12, not more: every record is a process start (~0.4 s of CPU), and 8 at once already keep the writers'
// lock contended for the whole run; 50 each took 250 s of a 17-minute suite and proved nothing more.
const PER_WORKER = 12;

describe('concurrent record', () => {
  it(`${WORKERS} processes × ${PER_WORKER} records: all stored, quota used = sum of rows`, async () => {
    const db = tempDbPath();
    const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z', COSTCTL_LOCK_TIMEOUT_MS: '300000' };
    expect(runCli(DOLLAR_MODEL, { db, env }).code).toBe(0);
    expect(
      runCli(['quotas', 'add', 'all-month', '--scope', 'global', '--period', 'monthly', '--limit', '1000000'], {
        db,
        env,
      }).code,
    ).toBe(0);
    expect(
      runCli(
        [
          'quotas',
          'add',
          'all-requests',
          '--scope',
          'global',
          '--period',
          'monthly',
          '--metric',
          'requests',
          '--limit',
          '1000000',
        ],
        { db, env },
      ).code,
    ).toBe(0);

    let sent = new Decimal(0);
    const worker = async (w: number) => {
      const failures: string[] = [];
      for (let i = 0; i < PER_WORKER; i++) {
        const tokens = 1000 + w * 100 + i; // distinct per request
        sent = sent.plus(new Decimal(tokens).div(1000));
        const r = await runCliAsync(
          [
            'record',
            '--model',
            'm-dollar',
            '--request-id',
            `w${w}-${i}`,
            '--user',
            `u-${w}`,
            '--input-tokens',
            String(tokens),
            '--timestamp',
            `2026-03-02T${String(w).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`,
            '--json',
          ],
          { db, env },
        );
        if (r.code !== 0) failures.push(`w${w}-${i}: exit ${r.code}: ${r.stderr}`);
        else expect(JSON.parse(r.stdout).stored).toBe(true);
      }
      return failures;
    };
    const failures = (await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))).flat();
    expect(failures).toEqual([]);

    const status = runCli(['quotas', 'status', '--json'], { db, env });
    expect(status.code).toBe(0);
    const byName = Object.fromEntries(
      JSON.parse(status.stdout).map((q: { name: string; used: string }) => [q.name, q.used]),
    );
    expect(byName['all-month']).toBe(sent.toFixed());
    expect(byName['all-requests']).toBe(String(WORKERS * PER_WORKER));
    const rows = runCli(['record', '--model', 'm-dollar', '--request-id', 'w0-0', '--input-tokens', '1', '--json'], {
      db,
      env,
    });
    expect(JSON.parse(rows.stdout).stored).toBe(false); // a retry of a stored id is not stored twice
    const again = JSON.parse(runCli(['quotas', 'status', '--json'], { db, env }).stdout);
    expect(again.map((q: { used: string }) => q.used)).toEqual([sent.toFixed(), String(WORKERS * PER_WORKER)]);
  }, 900_000);
});
