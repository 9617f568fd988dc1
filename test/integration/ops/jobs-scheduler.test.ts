// The scheduler's guard: one job never runs twice at once, whatever starts it; stop waits for it.
import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../../jobs/scheduler.js';
import type { Db } from '../../../src/db/database.js';
import { testContext } from '../../helpers/db.js';

describe('startScheduler', () => {
  it('skips a second run of a job while the first is going, and stop() waits for it', async () => {
    const { ctx } = testContext({ now: '2026-03-02T09:00:00Z' });
    // Timers far in the future: only runNow starts runs here.
    ctx.config.jobs = { 'threshold-check': { schedule: '0 0 1 1 *' } };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const open = ctx.withDb;
    let calls = 0;
    // The first database step of the first run waits at the gate.
    ctx.withDb = (async (fn: (db: Db) => Promise<unknown>, options?: { mutates?: boolean }) => {
      if (calls++ === 0) {
        entered();
        await gate;
      }
      return open(fn, options);
    }) as typeof ctx.withDb;
    const log: string[] = [];
    const scheduler = await startScheduler(ctx, (line) => log.push(line));
    const first = scheduler.runNow('threshold-check');
    await inside;
    expect(await scheduler.runNow('threshold-check')).toBe('skipped');
    const stopping = scheduler.stop();
    release();
    expect(await first).toBe('ran');
    await stopping;
    expect(log).toHaveLength(2);
    expect(log[0]).toBe('2026-03-02T09:00:00.000Z threshold-check skipped: previous run still going');
    expect(log[1]).toMatch(/^2026-03-02T09:00:00.000Z threshold-check ok: /);
    const runs = await open((db) => db.all('SELECT job, status FROM job_runs'));
    expect(runs).toEqual([{ job: 'threshold-check', status: 'ok' }]);
  });
});
