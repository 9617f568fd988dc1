// A real server on loopback: 16 clients at once × 500 records each (in POSTs of 10, so the test stays
// minutes under load on a shared 2-core machine); every record is stored once, the quota's used equals the
// sum of the rows (and of what was sent), retries add nothing; then SIGTERM finishes what was accepted and
// releases the file for the CLI. Single-record POSTs are proven in serve-check and serve-kill.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const CLIENTS = 16;
const PER_CLIENT = 500;
const PER_POST = 10;
const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

describe('serve: records', () => {
  it(`${CLIENTS} clients × ${PER_CLIENT} records: stored once, quota used = sum of rows; retries add nothing`, async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const quota = runCli(['quotas', 'add', 'all', '--scope', 'global', '--period', 'monthly', '--limit', '100000'], {
      db,
      env,
    });
    expect(quota.code, quota.stderr).toBe(0);
    const served = await startServe(db, env);
    let sent = new Decimal(0);
    const body = (c: number, i: number) => {
      const tokens = 1000 + c * 1000 + i; // distinct per request: $1 per 1K input tokens
      return {
        request_id: `c${c}-${i}`,
        model: 'm-dollar',
        user_id: `u-${c}`,
        input_tokens: tokens,
        timestamp: `2026-03-02T${String(c % 12).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
      };
    };
    const client = async (c: number, expectStored: boolean) => {
      const problems: string[] = [];
      for (let i = 0; i < PER_CLIENT; i += PER_POST) {
        const bodies = Array.from({ length: PER_POST }, (_, k) => body(c, i + k));
        if (expectStored) for (const b of bodies) sent = sent.plus(new Decimal(b.input_tokens).div(1000));
        const r = await served.api('POST', '/api/v1/cost/records', bodies);
        const stored = expectStored ? PER_POST : 0;
        if (r.status !== (expectStored ? 201 : 200) || r.body.stored !== stored)
          problems.push(`c${c} from ${i}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
      return problems;
    };
    const all = (stored: boolean) => Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, stored)));
    expect((await all(true)).flat()).toEqual([]);
    // Every request again, same ids: a gateway's retries.
    expect((await all(false)).flat()).toEqual([]);

    const records = await served.api('GET', '/api/v1/cost/records?limit=1');
    expect(records.status).toBe(200);
    expect(records.body.matching).toBe(CLIENTS * PER_CLIENT);
    expect(new Decimal(records.body.total_cost).eq(sent)).toBe(true);
    const quotas = await served.api('GET', '/api/v1/cost/quotas');
    expect(new Decimal(quotas.body[0].used).eq(sent)).toBe(true);

    // The CLI, through the server, sees the same figures.
    const status = runCli(['quotas', 'status', '--json'], { db, env });
    expect(status.code, status.stderr).toBe(0);
    expect(new Decimal(JSON.parse(status.stdout)[0].used).eq(sent)).toBe(true);

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect(existsSync(`${db}.serve.json`)).toBe(false);
    // Released: the CLI opens the file itself and finds every row.
    const after = runCli(['records', 'list', '--json', '--limit', '1'], { db, env });
    expect(after.code, after.stderr).toBe(0);
    expect(served.stderr()).toMatch(/SIGTERM, finishing accepted work[\s\S]*stopped; database released/);
  }, 600_000);

  it('one POST of many records: one answer per record, in order, duplicates within the batch stored once', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const served = await startServe(db, env);
    try {
      const batch = [
        { request_id: 'a', model: 'm-dollar', input_tokens: 1000 },
        { request_id: 'b', model: 'm-dollar', input_tokens: '2000', output_tokens: 500 },
        { request_id: 'a', model: 'm-dollar', input_tokens: 9999 },
        { request_id: 'c', model: 'no-such-model', input_tokens: 1000 },
      ];
      const r = await served.api('POST', '/api/v1/cost/records', batch);
      expect(r.status).toBe(201);
      expect(r.body.stored).toBe(3);
      expect(r.body.already_recorded).toBe(1);
      expect(r.body.results.map((x: { request_id: string; stored: boolean }) => [x.request_id, x.stored])).toEqual([
        ['a', true],
        ['b', true],
        ['a', false],
        ['c', true],
      ]);
      expect(r.body.results[0].total_cost).toBe('1.000000000000000000');
      expect(r.body.results[1].total_cost).toBe('3.000000000000000000');
      // An unknown model is stored unpriced (never $0), as ingest and `record` store it.
      expect(r.body.results[3]).toMatchObject({ unpriced: true, total_cost: null });
      const list = await served.api('GET', '/api/v1/cost/records');
      expect(list.body.matching).toBe(3);
      expect(list.body.total_cost).toBe('4.000000000000000000');
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  }, 120_000);
});
