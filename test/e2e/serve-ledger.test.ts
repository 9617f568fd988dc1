// The usage a running server's checks read from memory (services/serve/usage-ledger.ts) against the rows:
// it follows every committed batch, a quota added or reset through the CLI while the server runs, a
// directory change (who counts toward a department), a new window (a check at an instant the next day),
// and answers from the database where memory cannot (a check before the latest stored row). Concurrent
// checks after records posted to the server still allow exactly one request on a nearly spent quota.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe, type Served } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

type QuotaItem = { name: string; used: string; window_start: string };

async function check(served: Served, body: Record<string, unknown>) {
  // No tokens by default: a check that costs nothing holds nothing, so `used` is the rows alone.
  const r = await served.api('POST', '/api/v1/cost/check', { model: 'm-dollar', input_tokens: 0, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { allowed: boolean; request_id: string; quotas: QuotaItem[]; reason: string | null };
}

const usedOf = (quotas: QuotaItem[], name: string) => quotas.find((q) => q.name === name)?.used;

function cli(db: string, args: string[]): void {
  const r = runCli(args, { db, env });
  expect(r.code, r.stderr).toBe(0);
}

describe('serve: checks from memory', () => {
  it('follow batches, quota and directory changes, new windows; read the rows where memory cannot', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    cli(db, ['quotas', 'add', 'day', '--scope', 'user:u1', '--period', 'daily', '--limit', '1000']);
    cli(db, ['quotas', 'add', 'month', '--scope', 'global', '--period', 'monthly', '--limit', '1000']);
    const served = await startServe(db, env);
    try {
      // Kept from here on: the first check reads its windows once.
      expect(usedOf((await check(served, { user: 'u1' })).quotas, 'day')).toBe('0');

      // Eight concurrent POSTs of five records each ($1 per 1K input tokens), all before the clock's noon.
      let sent = new Decimal(0);
      const post = async (p: number) => {
        const bodies = Array.from({ length: 5 }, (_, i) => {
          const tokens = 100 + p * 10 + i;
          sent = sent.plus(new Decimal(tokens).div(1000));
          return {
            request_id: `p${p}-${i}`,
            model: 'm-dollar',
            user_id: 'u1',
            input_tokens: tokens,
            timestamp: `2026-03-02T0${p}:${String(i).padStart(2, '0')}:00Z`,
          };
        });
        const r = await served.api('POST', '/api/v1/cost/records', bodies);
        expect(r.status).toBe(201);
      };
      await Promise.all(Array.from({ length: 8 }, (_, p) => post(p)));
      const afterBatches = (await check(served, { user: 'u1' })).quotas;
      expect(usedOf(afterBatches, 'day')).toBe(sent.toFixed());
      expect(usedOf(afterBatches, 'month')).toBe(sent.toFixed());
      // The same as the rows say.
      const rows = await served.api('GET', '/api/v1/cost/records?limit=1');
      expect(new Decimal(rows.body.total_cost).eq(sent)).toBe(true);

      // A quota added while the server runs counts at the next check; a reset starts its window over.
      cli(db, ['quotas', 'add', 'tight', '--scope', 'user:u1', '--period', 'monthly', '--limit', sent.toFixed()]);
      const tight = await check(served, { user: 'u1', input_tokens: 1 });
      expect(usedOf(tight.quotas, 'tight')).toBe(sent.toFixed());
      expect(tight.allowed).toBe(false);
      cli(db, ['quotas', 'reset', 'tight']);
      const reset = await check(served, { user: 'u1', request_id: 'after-reset' });
      expect(usedOf(reset.quotas, 'tight')).toBe('0');
      expect(reset.allowed).toBe(true);
      cli(db, ['quotas', 'remove', 'tight']);

      // The directory puts u1 in department d1: a record without a department counts toward d1's quota.
      const csv = `${db}.directory.csv`;
      writeFileSync(csv, 'user_id,department,organization,project,email\nu1,d1,,,\n');
      cli(db, ['directory', 'import', csv]);
      cli(db, ['quotas', 'add', 'dept', '--scope', 'department:d1', '--period', 'monthly', '--limit', '1000']);
      expect(usedOf((await check(served, { user: 'u1' })).quotas, 'dept')).toBe(sent.toFixed());
      const one = { model: 'm-dollar', user_id: 'u1', input_tokens: 1000, timestamp: '2026-03-02T11:00:00Z' };
      expect((await served.api('POST', '/api/v1/cost/records', { ...one, request_id: 'd1' })).status).toBe(201);
      sent = sent.plus(1);
      const dept = (await check(served, { user: 'u1' })).quotas;
      expect(usedOf(dept, 'dept')).toBe(sent.toFixed());
      expect(usedOf(dept, 'day')).toBe(sent.toFixed());

      // The next day: a new daily window starts from nothing; the month goes on.
      const nextDay = (await check(served, { user: 'u1', at: '2026-03-03T10:00:00Z' })).quotas;
      expect(usedOf(nextDay, 'day')).toBe('0');
      expect(nextDay.find((q) => q.name === 'day')!.window_start).toBe('2026-03-03T00:00:00.000Z');
      expect(usedOf(nextDay, 'month')).toBe(sent.toFixed());
      const tomorrow = { ...one, request_id: 'next-day', input_tokens: 2000, timestamp: '2026-03-03T09:00:00Z' };
      expect((await served.api('POST', '/api/v1/cost/records', tomorrow)).status).toBe(201);
      const nextDayAgain = (await check(served, { user: 'u1', at: '2026-03-03T10:00:00Z' })).quotas;
      expect(usedOf(nextDayAgain, 'day')).toBe('2');
      expect(usedOf(nextDayAgain, 'month')).toBe(sent.plus(2).toFixed());
      // At the clock's noon the day before, that row lies ahead: not counted (read from the rows).
      const today = (await check(served, { user: 'u1' })).quotas;
      expect(usedOf(today, 'day')).toBe(sent.toFixed());
      expect(usedOf(today, 'month')).toBe(sent.toFixed());
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  }, 240_000);

  it('after records posted to the server, of 12 concurrent checks on a nearly spent quota exactly one is allowed', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    cli(db, ['quotas', 'add', 'q', '--scope', 'user:u2', '--period', 'monthly', '--limit', '10']);
    const served = await startServe(db, env);
    try {
      expect((await check(served, { user: 'u2' })).allowed).toBe(true);
      // $9.995 of $10 spent, in two batches while the server keeps the usage in memory.
      for (const [id, tokens] of [
        ['a', 5000],
        ['b', 4995],
      ] as const) {
        const r = await served.api('POST', '/api/v1/cost/records', {
          request_id: id,
          model: 'm-dollar',
          user_id: 'u2',
          input_tokens: tokens,
          timestamp: '2026-03-02T10:00:00Z',
        });
        expect(r.status).toBe(201);
      }
      // Each wants $0.004: one fits ($9.999), two do not.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => check(served, { user: 'u2', request_id: `r${i}`, input_tokens: 4 })),
      );
      expect(answers.filter((a) => a.allowed)).toHaveLength(1);
      expect(answers.find((a) => !a.allowed)!.reason).toMatch(/used 9\.999 \+ this request 0\.004 would exceed it/);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  }, 180_000);
});
