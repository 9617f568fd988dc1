// A multi-file ingest where a later file fails: the files before it committed, so they are summarized,
// audited and evaluated for alerts like any run; the run then exits 1 with the later file's error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, ROOT, initializedDb, runCli } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

const GOOD = join(ROOT, 'fixtures', 'usage', 'usage.jsonl');
const BROKEN = join(ROOT, 'fixtures', 'broken', 'usage-broken.jsonl');

describe('ingest: a later file fails (e2e)', () => {
  it('the committed file is summarized, audited and raises its alert; exit 1 names the failed file', () => {
    const db = tempDbPath();
    const env = { COSTCTL_NOW: '2026-03-31T12:00:00Z' };
    expect(runCli(['models', 'import', LITELLM_CATALOG], { db }).code).toBe(0);
    // The good file's priced rows cost 0.066216 (fixtures/usage/README.md), all in March 2026: over 0.05.
    const quota = ['quotas', 'add', 'company', '--scope', 'global', '--period', 'monthly', '--limit', '0.05'];
    expect(runCli([...quota, '--enforcement', 'soft'], { db, env }).code).toBe(0);
    const auditBefore = JSON.parse(runCli(['audit', 'list', '--json'], { db, env }).stdout).length;

    const r = runCli(['ingest', GOOD, BROKEN, '--strict', '--json'], { db, env });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toHaveLength(1);
    expect(summary.files[0]).toMatchObject({ path: GOOD, rows_loaded: 8 });
    expect(r.stderr).toMatch(/\d+ alert\(s\) raised/);
    expect(r.stderr).toMatch(/1 file\(s\) above were stored; the next one failed and the run stopped there:/);
    expect(r.stderr).toMatch(/usage-broken\.jsonl: --strict: \d+ row\(s\) rejected, nothing from this file loaded/);

    const audit = JSON.parse(runCli(['audit', 'list', '--json'], { db, env }).stdout);
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit[0].command).toBe('ingest');
    const alerts = JSON.parse(runCli(['alerts', 'list', '--json'], { db, env }).stdout);
    expect(alerts.map((a: { type: string }) => a.type)).toContain('quota_exceeded');
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db, env }).stdout)).toHaveLength(8);
  });

  it('when the first file fails nothing is stored and nothing is audited', () => {
    // A database that exists (a read never creates one), as `costctl init` leaves it.
    const db = initializedDb();
    const r = runCli(['ingest', BROKEN, GOOD, '--strict', '--json'], { db });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // The only audit entry is the init that made the database.
    const audit = JSON.parse(runCli(['audit', 'list', '--json'], { db }).stdout) as { command: string }[];
    expect(audit.map((a) => a.command)).toEqual(['init']);
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toEqual([]);
  });
});
