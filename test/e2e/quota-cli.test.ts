// quotas and directory as a user runs them: add/list/show/update/reset/remove/status, --fail-on, JSON
// purity, and every bad input: exit 2 naming the flag, nothing stored.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, dollarModelCli } from '../helpers/cli.js';

const NOW = '2026-03-10T12:00:00Z';

function setup() {
  const { run } = dollarModelCli(NOW);
  return run;
}

describe('quotas CLI', () => {
  it('add, list, show, update, status, reset, remove', () => {
    const run = setup();
    expect(run('quotas', 'list', '--json').stdout.trim()).toBe('[]');
    const add = run(
      'quotas',
      'add',
      'sales',
      '--scope',
      'department:sales',
      '--period',
      'monthly',
      '--limit',
      '100',
      '--daily-limit',
      '40',
      '--notify',
      'lead@example.com',
      '--json',
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      name: 'sales',
      scope: 'department:sales',
      limit: '100',
      daily_limit: '40',
      hourly_limit: null,
      warning_threshold: '0.8',
      critical_threshold: '0.95',
      enforcement: 'hard',
      notify: ['lead@example.com'],
    });
    expect(run('quotas', 'add', 'sales', '--scope', 'global', '--period', 'daily', '--limit', '1').stderr).toContain(
      'quota "sales" already exists',
    );

    // $85 this month (2 requests of 40 and 5 thousand input tokens), $40 of it today.
    expect(
      run(
        'record',
        '--model',
        'm-dollar',
        '--department',
        'sales',
        '--input-tokens',
        '45000',
        '--timestamp',
        '2026-03-02T10:00:00Z',
      ).code,
    ).toBe(0);
    expect(
      run(
        'record',
        '--model',
        'm-dollar',
        '--department',
        'sales',
        '--input-tokens',
        '40000',
        '--timestamp',
        '2026-03-10T09:00:00Z',
      ).code,
    ).toBe(0);
    const status = run('quotas', 'status', '--json');
    expect(status.code).toBe(0);
    let [s] = JSON.parse(status.stdout);
    expect(s).toMatchObject({
      name: 'sales',
      used: '85',
      remaining: '15',
      percentage: '85',
      state: 'exceeded',
      binding: 'daily',
      window_start: '2026-03-01T00:00:00.000Z',
    });
    expect(s.sub_limits[1]).toMatchObject({
      kind: 'daily',
      used: '40',
      limit: '40',
      state: 'exceeded',
      window_start: '2026-03-10T00:00:00.000Z',
    });

    expect(run('quotas', 'status', '--fail-on', 'exceeded').code).toBe(3);
    expect(run('quotas', 'status', '--fail-on', 'exceeded', '--json').code).toBe(3);
    // As of yesterday the day had nothing and the month 45 of 100: ok.
    expect(run('quotas', 'status', '--at', '2026-03-09T12:00:00Z', '--fail-on', 'warning').code).toBe(0);

    // Raising the daily limit: the month (85 %) now binds as a warning.
    expect(run('quotas', 'update', 'sales', '--daily-limit', '80').code).toBe(0);
    [s] = JSON.parse(run('quotas', 'status', '--json').stdout);
    expect([s.state, s.binding]).toEqual(['warning', 'period']);
    expect(run('quotas', 'update', 'sales', '--no-daily-limit', '--json').code).toBe(0);
    expect(JSON.parse(run('quotas', 'show', 'sales', '--json').stdout).daily_limit).toBeNull();

    // A reset starts a new window now; usage before it no longer counts, and the rows are still there.
    expect(run('quotas', 'reset', 'sales', '--note', 'new contract').code).toBe(0);
    [s] = JSON.parse(run('quotas', 'status', '--json').stdout);
    expect(s).toMatchObject({
      used: '0',
      state: 'ok',
      window_start: '2026-03-10T12:00:00.000Z',
      reset_at: '2026-03-10T12:00:00.000Z',
    });
    [s] = JSON.parse(run('quotas', 'status', '--at', '2026-03-10T11:00:00Z', '--json').stdout);
    expect(s.used).toBe('85');

    expect(run('quotas', 'remove', 'sales').code).toBe(0);
    expect(run('quotas', 'show', 'sales').code).toBe(1);
    expect(run('quotas', 'status', '--json').stdout.trim()).toBe('[]');
  });

  it.each([
    [['--scope', 'dept:x', '--period', 'monthly', '--limit', '1'], '--scope', 2],
    [['--scope', 'department:', '--period', 'monthly', '--limit', '1'], '--scope', 2],
    [['--scope', 'global:x', '--period', 'monthly', '--limit', '1'], '--scope', 2],
    [['--scope', 'global', '--period', 'fortnightly', '--limit', '1'], '--period', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '-5'], '--limit', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', 'lots'], '--limit', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--daily-limit', '11'], '--daily-limit', 2],
    [['--scope', 'global', '--period', 'daily', '--limit', '10', '--daily-limit', '5'], '--daily-limit', 2],
    [
      ['--scope', 'global', '--period', 'monthly', '--limit', '10', '--daily-limit', '5', '--hourly-limit', '6'],
      '--hourly-limit',
      2,
    ],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--warning', '1.5'], '--warning', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--warning', '0'], '--warning', 2],
    [
      ['--scope', 'global', '--period', 'monthly', '--limit', '10', '--warning', '0.9', '--critical', '0.9'],
      '--warning',
      2,
    ],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--metric', 'dollars'], '--metric', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10.5', '--metric', 'tokens'], '--limit', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--enforcement', 'strict'], '--enforcement', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--notify', 'nobody'], '--notify', 2],
    [['--scope', 'global', '--limit', '10'], '--period', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--thresholds', '50,120'], '--thresholds', 2],
    [['--scope', 'global', '--period', 'monthly', '--limit', '10', '--thresholds', '80'], '--thresholds: 80', 2],
  ])('quotas add q %j → exit %s naming %s', (args, flag, code) => {
    const run = setup();
    const r = run('quotas', 'add', 'q', ...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(flag);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(run('quotas', 'list', '--json').stdout.trim()).toBe('[]');
  });

  it('a bad update changes nothing', () => {
    const run = setup();
    expect(
      run('quotas', 'add', 'q', '--scope', 'global', '--period', 'monthly', '--limit', '10', '--daily-limit', '5').code,
    ).toBe(0);
    const r = run('quotas', 'update', 'q', '--limit', '4');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--daily-limit: 5 is above --limit 4');
    expect(JSON.parse(run('quotas', 'show', 'q', '--json').stdout).limit).toBe('10');
    expect(run('quotas', 'update', 'q').code).toBe(2);
    expect(run('quotas', 'update', 'nope', '--limit', '1').code).toBe(1);
    expect(run('quotas', 'status', '--at', 'last week').stderr).toContain('--at');
    expect(run('quotas', 'status', '--fail-on', 'ok').code).toBe(2);
  });

  it('extra thresholds: added, shown in list and show, replaced and removed by update', () => {
    const run = setup();
    const add = run(
      'quotas',
      'add',
      'q',
      '--scope',
      'global',
      '--period',
      'monthly',
      '--limit',
      '10',
      '--thresholds',
      '75,50',
    );
    expect(add.code).toBe(0);
    expect(run('quotas', 'list').stdout).toMatch(/0\.8\/0\.95 \+50,75%/);
    expect(JSON.parse(run('quotas', 'show', 'q', '--json').stdout).extra_thresholds).toEqual(['0.5', '0.75']);
    expect(run('quotas', 'update', 'q', '--thresholds', '90').code).toBe(0);
    expect(run('quotas', 'show', 'q').stdout).toMatch(/0\.8\/0\.95 \+90%/);
    expect(run('quotas', 'update', 'q', '--thresholds', '95').stderr).toContain(
      '--thresholds: 95 is already --critical',
    );
    expect(run('quotas', 'update', 'q', '--no-thresholds').code).toBe(0);
    expect(JSON.parse(run('quotas', 'list', '--json').stdout)[0].extra_thresholds).toEqual([]);
  });

  it('directory import and list; bad file names the line', () => {
    const run = setup();
    const ok = run('directory', 'import', join(ROOT, 'fixtures', 'directory', 'users.csv'), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ users: 3, added: 3, updated: 0 });
    const bad = run('directory', 'import', join(ROOT, 'fixtures', 'directory', 'bad-users.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad-users.csv:3: user_id is empty');
    expect(run('directory', 'import', '/nonexistent/users.csv').code).toBe(2);
    const list = JSON.parse(run('directory', 'list', '--json').stdout);
    expect(list.map((e: { user_id: string }) => e.user_id)).toEqual(['u-17', 'u-18', 'u-19']);
  });

  it('with no terminal, a missing NAME is a usage error naming it (no prompt)', () => {
    const run = setup();
    const r = run('quotas', 'add', '--scope', 'global', '--period', 'monthly', '--limit', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing NAME');
  });
});
