// Alerts are evaluated after every ingest: a load that crosses a quota raises its alert at once.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, ROOT, runCli } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

describe('ingest evaluates alerts', () => {
  it('raises quota_exceeded and unpriced_usage once, and a re-ingest raises nothing new', () => {
    const db = tempDbPath();
    const env = { COSTCTL_NOW: '2026-03-31T12:00:00Z' };
    expect(runCli(['models', 'import', LITELLM_CATALOG], { db }).code).toBe(0);
    // The fixture's priced rows cost 0.066216 (fixtures/usage/README.md), all in March 2026: over 0.05.
    const add = runCli(
      [
        'quotas',
        'add',
        'company',
        '--scope',
        'global',
        '--period',
        'monthly',
        '--limit',
        '0.05',
        '--enforcement',
        'soft',
      ],
      { db, env },
    );
    expect(add.code, add.stderr).toBe(0);
    const first = runCli(['ingest', join(ROOT, 'fixtures', 'usage', 'usage.jsonl')], { db, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/\d+ alert\(s\) raised/);
    const alerts = JSON.parse(runCli(['alerts', 'list', '--json'], { db, env }).stdout);
    const types = alerts.map((a: { type: string }) => a.type).sort();
    expect(types).toContain('quota_exceeded');
    expect(types).toContain('unpriced_usage');
    const again = runCli(['ingest', join(ROOT, 'fixtures', 'usage', 'usage.jsonl')], { db, env });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/alert\(s\) raised/);
    expect(JSON.parse(runCli(['alerts', 'list', '--json'], { db, env }).stdout)).toHaveLength(alerts.length);
  });
});
