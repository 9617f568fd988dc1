// Role tokens on a real server: a gateway checks and records (the audit names its token), a viewer
// reads with user ids as the export's pseudonyms (or as they are, --unmasked), an admin does all; a
// token outside its role gets 403 and a bad or revoked one 401, and neither stores anything.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

describe('serve: role tokens', () => {
  it('gateway, viewer, admin: each within its role; 401 and 403 store nothing', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const add = (name: string, ...args: string[]) => {
      const r = runCli(['serve', 'token', 'add', name, ...args], { db, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/shown only now/);
      return r.stdout.trim();
    };
    const gateway = add('edge', '--role', 'gateway');
    const viewer = add('screen', '--role', 'viewer');
    const open = add('screen-open', '--role', 'viewer', '--unmasked');
    expect(runCli(['serve', 'token', 'add', 'x', '--role', 'boss'], { db, env }).code).toBe(2);
    expect(runCli(['serve', 'token', 'add', 'edge', '--role', 'gateway'], { db, env }).stderr).toMatch(
      /already exists/,
    );
    const list = runCli(['serve', 'token', 'list', '--json'], { db, env });
    expect(JSON.parse(list.stdout).map((t: { name: string; role: string }) => `${t.name}:${t.role}`)).toEqual([
      'edge:gateway',
      'screen:viewer',
      'screen-open:viewer',
    ]);
    // Only hashes are kept: no token appears in the listing or in the database file's audit.
    expect(list.stdout).not.toContain(gateway);

    const s = await startServe(db, env);
    try {
      const as = (token: string | null) => (method: string, path: string, body?: unknown) =>
        s.api(method, path, body, { token });
      const record = { request_id: 'g-1', model: 'm-dollar', user_id: 'alice', input_tokens: 1000 };
      // The gateway: check, record, estimate; nothing else.
      expect((await as(gateway)('POST', '/api/v1/cost/check', { user: 'alice', model: 'm-dollar' })).status).toBe(200);
      expect((await as(gateway)('POST', '/api/v1/cost/records', record)).status).toBe(201);
      expect((await as(gateway)('POST', '/api/v1/cost/estimate', { model: 'm-dollar', input_tokens: 1 })).status).toBe(
        200,
      );
      const forbidden = await as(gateway)('GET', '/api/v1/cost/dashboard');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.message).toMatch(
        /token "edge" \(gateway\) may not GET \/api\/v1\/cost\/dashboard; that needs a viewer or admin token/,
      );
      expect((await as(gateway)('POST', '/api/v1/cli', { argv: ['audit'], env: {}, cwd: '/' })).status).toBe(403);

      // The viewer reads, masked; may not write (403, nothing stored).
      const refused = await as(viewer)('POST', '/api/v1/cost/records', { ...record, request_id: 'v-1' });
      expect(refused.status).toBe(403);
      const bad = await as('cct_not-a-token')('POST', '/api/v1/cost/records', { ...record, request_id: 'b-1' });
      expect(bad.status).toBe(401);
      const masked = await as(viewer)('GET', '/api/v1/cost/records');
      expect(masked.status).toBe(200);
      expect(masked.body.rows.map((r: { request_id: string }) => r.request_id)).toEqual(['g-1']);
      const pseudonym = masked.body.rows[0].user_id;
      expect(pseudonym).toMatch(/^u-[0-9a-f]{12}$/);
      // The same pseudonym as the export's --mask (sent to the running server).
      const out = `${db}.masked.json`;
      const exported = await runCliAsync(['records', 'export', '--mask', '--format', 'json', '--out', out], {
        db,
        env,
      });
      expect(exported.code, exported.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain(pseudonym);
      const unmasked = await as(open)('GET', '/api/v1/cost/records');
      expect(unmasked.body.rows[0].user_id).toBe('alice');
      const dashboard = await as(viewer)('GET', '/api/v1/cost/dashboard');
      expect(JSON.stringify(dashboard.body)).not.toContain('alice');

      // A token made or revoked while the server runs counts from the next request.
      const late = (
        await runCliAsync(['serve', 'token', 'add', 'late', '--role', 'gateway'], { db, env })
      ).stdout.trim();
      expect((await as(late)('POST', '/api/v1/cost/records', { ...record, request_id: 'l-1' })).status).toBe(201);
      const revoke = await runCliAsync(['serve', 'token', 'revoke', 'edge'], { db, env });
      expect(revoke.code, revoke.stderr).toBe(0);
      expect((await as(gateway)('POST', '/api/v1/cost/records', { ...record, request_id: 'r-1' })).status).toBe(401);

      // Only g-1 and l-1 were stored; the audit names each writing token.
      const all = await s.api('GET', '/api/v1/cost/records');
      expect(all.body.rows.map((r: { request_id: string }) => r.request_id).sort()).toEqual(['g-1', 'l-1']);
      const audit = await runCliAsync(['audit', 'list', '--json'], { db, env });
      const writes = JSON.parse(audit.stdout).filter((e: { command: string }) => e.command === 'serve records');
      expect(writes.map((e: { actor: string }) => e.actor).sort()).toEqual(['serve:edge', 'serve:late']);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });
});
