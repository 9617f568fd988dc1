// The package's library entry as a gateway imports it (`import { CostctlClient } from 'costctl'`, resolved
// by Node from package.json `exports`), against a real server: check, record, estimate, a typed error.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

const GATEWAY = `
import { CostctlClient, CostctlApiError } from 'costctl';
const [url, token] = process.argv.slice(1);
const costctl = new CostctlClient(url, token, 'gateway-1');
const check = await costctl.check({ user: 'u1', model: 'm-dollar', input_tokens: 1000, max_output_tokens: 500 });
const record = await costctl.record({ request_id: check.request_id, model: 'm-dollar', user_id: 'u1', input_tokens: 1000, output_tokens: 200 });
const estimate = await costctl.estimate({ model: 'm-dollar', input_tokens: 1000 });
let error;
try { await costctl.record({ model: 'm-dollar', input_tokens: -1 }); } catch (e) { error = e instanceof CostctlApiError ? [e.status, e.body.field] : String(e); }
console.log(JSON.stringify({ check, record, estimate, error }));
`;

describe('serve: the library client', () => {
  it("import { CostctlClient } from 'costctl' checks, records and estimates", async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const s = await startServe(db, env, ['--jobs']);
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', GATEWAY, s.url, s.token], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.check).toMatchObject({ allowed: true, estimated_cost: '2' });
      expect(out.record).toMatchObject({
        stored: true,
        request_id: out.check.request_id,
        total_cost: '1.400000000000000000',
      });
      expect(out.estimate.total_cost).toBe('1.000000');
      expect(out.error).toEqual([400, 'input_tokens']);
      // The audit trail names the gateway that wrote.
      const audit = runCli(['audit', 'list'], { db, env });
      expect(audit.stdout, audit.stderr).toMatch(/serve:gateway-1\s.*serve records/);
      // The scheduled jobs run inside the server; a job run by hand goes through it too.
      // (The test's spawnSync calls block its event loop: let the server's stderr arrive.)
      for (let i = 0; i < 100 && !s.stderr().includes('jobs '); i++) await new Promise((r) => setTimeout(r, 50));
      expect(s.stderr()).toMatch(/jobs threshold-check/);
      const job = runCli(['jobs', 'run', 'threshold-check'], { db, env });
      expect(job.code, job.stderr).toBe(0);
      const runs = runCli(['jobs', 'history', '--json'], { db, env });
      expect(JSON.parse(runs.stdout)[0]).toMatchObject({ job: 'threshold-check', status: 'ok' });
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }, 120_000);
});
