// kill -9 of the server in the middle of a burst: every record it acknowledged is in the file (records are
// committed before the answer), the CLI works on the file at once (the server file it left is stale),
// and a restarted server serves again.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };
const CLIENTS = 8;
const KILL_AFTER = 200;

describe('serve: kill -9', () => {
  it('loses no acknowledged record; the CLI and a restarted server carry on', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const served = await startServe(db, env);
    const acknowledged: string[] = [];
    let killed = false;
    const client = async (c: number) => {
      for (let i = 0; ; i++) {
        const id = `c${c}-${i}`;
        try {
          const r = await served.api('POST', '/api/v1/cost/records', {
            request_id: id,
            model: 'm-dollar',
            input_tokens: 10,
          });
          if (r.status === 201) acknowledged.push(id);
        } catch {
          return; // the server is gone
        }
        if (acknowledged.length >= KILL_AFTER && !killed) {
          killed = true;
          served.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect(await served.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    // Direct mode: the dead server's file is stale, the lock went with the process.
    const list = runCli(['records', 'list', '--json'], { db, env });
    expect(list.code, list.stderr).toBe(0);
    const stored = new Set(JSON.parse(list.stdout).map((r: { request_id: string }) => r.request_id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    const again = await startServe(db, env);
    try {
      const r = await again.api('POST', '/api/v1/cost/records', {
        request_id: 'after',
        model: 'm-dollar',
        input_tokens: 10,
      });
      expect(r.status).toBe(201);
      // A record acknowledged before the kill is still known: a client's retry adds nothing.
      const retry = await again.api('POST', '/api/v1/cost/records', { request_id: acknowledged[0], model: 'm-dollar' });
      expect(retry.status).toBe(200);
      expect(retry.body.stored).toBe(false);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  }, 300_000);
});
