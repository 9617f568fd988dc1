// Alerts are evaluated after a batch is acknowledged, on a connection of their own: the answer does not
// wait for them, but the alert a batch's spending raises is stored (and announced) all the same.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

describe('serve: alerts after the acknowledgement', () => {
  it('a batch that crosses a quota threshold raises its alert after the answer', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const q = runCli(['quotas', 'add', 'team', '--scope', 'global', '--period', 'monthly', '--limit', '10'], {
      db,
      env,
    });
    expect(q.code, q.stderr).toBe(0);
    const served = await startServe(db, env);
    try {
      const none = await served.api('GET', '/api/v1/cost/alerts?status=open');
      expect(none.body).toEqual([]);
      // $9.60 of $10 in four concurrent POSTs (96 %: past the critical threshold).
      const posts = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          served.api('POST', '/api/v1/cost/records', {
            request_id: `a${i}`,
            model: 'm-dollar',
            user_id: `u${i}`,
            input_tokens: 2400,
            timestamp: '2026-03-02T11:00:00Z',
          }),
        ),
      );
      expect(posts.map((p) => p.status)).toEqual([201, 201, 201, 201]);
      // No timing asserted: wait (bounded) until the evaluation that follows the batches has stored it.
      let subjects: string[] = [];
      for (let i = 0; i < 120 && !subjects.includes('quota:team'); i++) {
        await new Promise((r) => setTimeout(r, 250));
        const open = await served.api('GET', '/api/v1/cost/alerts?status=open');
        subjects = open.body.map((a: { subject: string }) => a.subject);
      }
      expect(subjects).toContain('quota:team');
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    // Stored in the database, not only announced: the CLI reads it once the server has stopped.
    const list = runCli(['alerts', 'list', '--json'], { db, env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((a: { subject: string }) => a.subject)).toContain('quota:team');
  }, 180_000);
});
