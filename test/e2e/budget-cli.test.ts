// budgets as a user runs them: allocations, status per allocation, and bad input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function setup() {
  const { run } = dollarModelCli('2026-06-15T12:00:00Z');
  return run;
}

describe('budgets CLI', () => {
  it('spent and remaining per allocation, attributed by row or directory', () => {
    const run = setup();
    expect(run('budgets', 'list', '--json').stdout.trim()).toBe('[]');
    const add = run(
      'budgets',
      'add',
      '--name',
      'fy26',
      '--total',
      '50000',
      '--period',
      'yearly',
      '--allocate',
      'sales=30000',
      '--allocate',
      'marketing=15000',
      '--allocate',
      'project:apollo=1000',
      '--json',
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout).allocations).toEqual([
      { target_type: 'department', target: 'marketing', amount: '15000' },
      { target_type: 'department', target: 'sales', amount: '30000' },
      { target_type: 'project', target: 'apollo', amount: '1000' },
    ]);
    const csv = join(tempDir(), 'users.csv');
    writeFileSync(csv, 'user_id,department\nu-9,marketing\n');
    expect(run('directory', 'import', csv).code).toBe(0);
    // $1,200 by sales on apollo (row values), $300 by u-9 (marketing by the directory), $50 by nobody,
    // $7 last year (outside the yearly window).
    const rec = (...a: string[]) => expect(run('record', '--model', 'm-dollar', ...a).code).toBe(0);
    rec(
      '--department',
      'sales',
      '--project',
      'apollo',
      '--input-tokens',
      '1200000',
      '--timestamp',
      '2026-02-01T00:00:00Z',
    );
    rec('--user', 'u-9', '--input-tokens', '300000', '--timestamp', '2026-03-01T00:00:00Z');
    rec('--input-tokens', '50000', '--timestamp', '2026-06-01T00:00:00Z');
    rec('--department', 'sales', '--input-tokens', '7000', '--timestamp', '2025-12-31T23:59:59Z');

    const status = run('budgets', 'status', '--json');
    expect(status.code).toBe(0);
    const [b] = JSON.parse(status.stdout);
    expect(b).toMatchObject({
      name: 'fy26',
      total: '50000',
      spent: '1550',
      remaining: '48450',
      state: 'ok',
      allocated: '46000',
      unallocated: '4000',
      window_start: '2026-01-01T00:00:00.000Z',
    });
    expect(b.allocations.map((a: any) => [a.target, a.spent, a.remaining, a.state])).toEqual([
      ['marketing', '300', '14700', 'ok'],
      ['sales', '1200', '28800', 'ok'],
      ['apollo', '1200', '0', 'exceeded'],
    ]);
    expect(run('budgets', 'status', '--fail-on', 'exceeded').code).toBe(3);
    expect(run('budgets', 'status', '--fail-on', 'exceeded', '--at', '2026-01-15T00:00:00Z').code).toBe(0);
    expect(run('budgets', 'show', 'fy26').code).toBe(0);
    expect(run('budgets', 'remove', 'fy26').code).toBe(0);
    expect(run('budgets', 'list', '--json').stdout.trim()).toBe('[]');
  });

  it.each([
    [
      ['--name', 'b', '--total', '100', '--period', 'yearly', '--allocate', 'sales=60', '--allocate', 'ops=41'],
      '--allocate',
    ],
    [['--name', 'b', '--total', '100', '--period', 'yearly', '--allocate', 'sales'], '--allocate'],
    [['--name', 'b', '--total', '100', '--period', 'yearly', '--allocate', 'sales=-1'], '--allocate'],
    [['--name', 'b', '--total', '100', '--period', 'yearly', '--allocate', 'user:u1=5'], '--allocate'],
    [
      [
        '--name',
        'b',
        '--total',
        '100',
        '--period',
        'yearly',
        '--allocate',
        'sales=5',
        '--allocate',
        'department:sales=5',
      ],
      '--allocate',
    ],
    [['--name', 'b', '--total', '-100', '--period', 'yearly'], '--total'],
    [['--name', 'b', '--total', '100', '--period', 'quarterly'], '--period'],
    [['--name', 'b', '--total', '100'], '--period'],
    [['--name', 'b', '--total', '100', '--period', 'yearly', '--warning', '2'], '--warning'],
    [['--name', 'b c', '--total', '100', '--period', 'yearly'], '--name'],
  ])('budgets add %j → exit 2 naming %s, nothing stored', (args, flag) => {
    const run = setup();
    const r = run('budgets', 'add', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(run('budgets', 'list', '--json').stdout.trim()).toBe('[]');
  });
});
