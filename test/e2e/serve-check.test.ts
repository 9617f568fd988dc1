// Checks against a nearly spent quota on a real server: of many concurrent checks that each fit alone,
// exactly one is allowed, because an allowed check holds its worst case until its record arrives; the
// record ends the hold, and what is held counts for the next check.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };
const CHECKS = 12;

describe('serve: check holds', () => {
  it(`${CHECKS} concurrent checks against a nearly spent quota: exactly one allowed`, async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const q = runCli(['quotas', 'add', 'q', '--scope', 'user:u1', '--period', 'monthly', '--limit', '10'], { db, env });
    expect(q.code, q.stderr).toBe(0);
    // $9.995 of $10 spent ($1 per 1K input tokens).
    const spent = runCli(['record', '--model', 'm-dollar', '--user', 'u1', '--input-tokens', '9995'], { db, env });
    expect(spent.code, spent.stderr).toBe(0);
    const served = await startServe(db, env);
    try {
      const check = (id: string, tokens: number) =>
        served.api('POST', '/api/v1/cost/check', {
          request_id: id,
          user: 'u1',
          model: 'm-dollar',
          input_tokens: tokens,
        });
      // Each wants $0.004: one fits ($9.999), two do not ($10.003).
      const answers = await Promise.all(Array.from({ length: CHECKS }, (_, i) => check(`r${i}`, 4)));
      expect(answers.map((a) => a.status)).toEqual(Array(CHECKS).fill(200));
      const allowed = answers.filter((a) => a.body.allowed);
      expect(allowed).toHaveLength(1);
      const winner = allowed[0]!.body;
      expect(winner.held).toEqual([{ limit: 'quota q (monthly)', amount: '0.004' }]);
      expect(winner.held_until).toMatch(/^\d{4}-/);
      const refused = answers.find((a) => !a.body.allowed)!.body;
      expect(refused.reason).toMatch(/quota q .*used 9\.999 \+ this request 0\.004 would exceed it/);
      expect(refused.held).toEqual([]);

      // Screens follow along: the live stream announces the batch the record goes in.
      const stream = await fetch(`${served.url}/api/v1/cost/stream`, {
        headers: { authorization: `Bearer ${served.token}` },
      });
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const reader = stream.body!.getReader();
      const firstEvent = (async () => {
        let text = '';
        while (!/event: records\ndata: .*\n\n/.test(text))
          text += new TextDecoder().decode((await reader.read()).value);
        return /event: records\ndata: (.*)\n/.exec(text)![1];
      })();

      // The request cost less than its worst case: record it; the hold ends, the row counts ($9.996).
      const rec = await served.api('POST', '/api/v1/cost/records', {
        request_id: winner.request_id,
        model: 'm-dollar',
        user_id: 'u1',
        input_tokens: 1,
      });
      expect(rec.status).toBe(201);
      expect(JSON.parse((await firstEvent)!)).toEqual({ stored: 1 });
      await reader.cancel();
      // The alert the spending raised (critical at 95%) is there for the screens too.
      const alerts = await served.api('GET', '/api/v1/cost/alerts?status=open');
      expect(alerts.body.map((a: { subject: string }) => a.subject)).toContain('quota:q');
      const next = await check('next', 4); // $9.996 + $0.004 = $10.000: at the limit, allowed
      expect(next.body.allowed).toBe(true);
      const after = await check('after', 1); // $10.000 held and spent + $0.001: refused
      expect(after.body.allowed).toBe(false);
      expect(after.body.quotas[0].used).toBe('10');
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  }, 180_000);
});
