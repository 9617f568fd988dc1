// The demo's controls step: four department quotas land at every threshold state, their usage equals
// the departments' spend as the distribution report sums it, and the threshold job emailed them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('demo controls', () => {
  it('quotas at ok, warning, critical and exceeded, used = the department spend, alerts emailed once', () => {
    const cwd = tempDir();
    const demo = runCli(['demo'], { cwd, env: { COSTCTL_DB: undefined } });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('controls: 4 department quotas (1 ok, 1 warning, 1 critical, 1 exceeded), 1 budget');
    const db = join(cwd, 'costctl-demo.duckdb');
    const env = { COSTCTL_NOW: '2026-03-02T09:00:00Z' };
    const status = JSON.parse(runCli(['quotas', 'status', '--json'], { db, env }).stdout) as {
      name: string;
      scope: string;
      period: string;
      used: string;
      state: string;
    }[];
    const spend = JSON.parse(
      runCli(['report', 'dist', '--by', 'department', '--since', '2026-01-01', '--json'], { db, env }).stdout,
    ) as { key: string; total_cost: string }[];
    const byDept = new Map(spend.map((s) => [s.key, s.total_cost]));
    const yearly = status.filter((s) => s.period === 'yearly');
    expect(yearly).toHaveLength(3);
    for (const q of yearly) expect(q.used).toBe(byDept.get(q.scope.replace('department:', '')));
    expect(Object.fromEntries(status.map((s) => [s.name, s.state]))).toEqual({
      'sales-east-2026': 'warning',
      'sales-west-2026': 'critical',
      'customer-success-2026': 'exceeded',
      'marketing-monthly': 'ok',
    });
    const subjects = readdirSync(join(cwd, 'costctl-demo-outbox'))
      .map((f) => readFileSync(join(cwd, 'costctl-demo-outbox', f), 'utf8'))
      .map((m) => /^Subject: (.*(?:\n .*)*)/m.exec(m)?.[1]?.replace(/\n /g, ' ') ?? '');
    expect(subjects.filter((s) => s.includes('sales-east-2026 yearly quota at 82%'))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes('customer-success-2026 yearly quota at 105%'))).toHaveLength(1);
  });
});
