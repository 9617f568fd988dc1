// `costctl check` as a gateway calls it: JSON shape, exit 0 / 3, the binding limit named, budgets,
// unpriced models, and bad flags.
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';

const NOW = '2026-03-10T12:00:00Z';

function setup() {
  const { run } = dollarModelCli(NOW);
  expect(
    run('quotas', 'add', 'u17-day', '--scope', 'user:u-17', '--period', 'daily', '--limit', '10', '--hourly-limit', '4')
      .code,
  ).toBe(0);
  expect(
    run(
      'quotas',
      'add',
      'everyone',
      '--scope',
      'global',
      '--period',
      'monthly',
      '--limit',
      '1000',
      '--enforcement',
      'soft',
    ).code,
  ).toBe(0);
  return run;
}

describe('check CLI', () => {
  it('allowed: exit 0, the JSON the issue specifies, one item per quota and sub-limit', () => {
    const run = setup();
    // 1000 input ($1) + 500 worst-case output ($1) = $2
    const r = run(
      'check',
      '--user',
      'u-17',
      '--model',
      'm-dollar',
      '--input-tokens',
      '1000',
      '--max-output-tokens',
      '500',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // The keys first; then how the worst case was priced (#15: the catalog entry, its rules, and the
    // components left out of it).
    expect(Object.keys(j)).toEqual([
      'allowed',
      'estimated_cost',
      'reason',
      'quotas',
      'budgets',
      'warnings',
      'model',
      'price_rules',
      'unpriced_parts',
    ]);
    expect(j).toMatchObject({ allowed: true, estimated_cost: '2', reason: null });
    expect(j.quotas.map((q: any) => [q.name, q.scope, q.limit_kind, q.binding])).toEqual([
      ['everyone', 'global', 'period', false],
      ['u17-day', 'user:u-17', 'period', false],
      ['u17-day', 'user:u-17', 'hourly', false],
    ]);
    expect(Object.keys(j.quotas[1])).toEqual([
      'name',
      'scope',
      'limit_kind',
      'window_start',
      'window_end',
      'limit',
      'used',
      'remaining',
      'state',
      'binding',
    ]);
    expect(j.quotas[2]).toMatchObject({
      window_start: '2026-03-10T12:00:00.000Z',
      window_end: '2026-03-10T13:00:00.000Z',
      limit: '4',
      used: '0',
    });
  });

  it('refused by the hourly sub-limit: exit 3, JSON on stdout only, binding marked', () => {
    const run = setup();
    expect(
      run(
        'record',
        '--model',
        'm-dollar',
        '--user',
        'u-17',
        '--input-tokens',
        '3000',
        '--timestamp',
        '2026-03-10T12:00:00Z',
      ).code,
    ).toBe(0);
    const r = run('check', '--user', 'u-17', '--model', 'm-dollar', '--input-tokens', '1500', '--json');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.allowed).toBe(false);
    expect(j.reason).toContain('u17-day');
    expect(j.reason).toContain('hourly');
    expect(j.quotas.filter((q: any) => q.binding).map((q: any) => q.limit_kind)).toEqual(['hourly']);
    // Exactly filling the hour (3 + 1 = 4) is allowed.
    expect(run('check', '--user', 'u-17', '--model', 'm-dollar', '--input-tokens', '1000').code).toBe(0);
    // Human output: the table on stdout, one refusal line on stderr.
    const h = run('check', '--user', 'u-17', '--model', 'm-dollar', '--input-tokens', '1500');
    expect(h.code).toBe(3);
    expect(h.stdout).toContain('REFUSED');
    expect(h.stderr.trim().split('\n')).toHaveLength(1);
    expect(h.stderr).toContain('refused: quota u17-day');
    // Another user is not limited by u-17's quota; the soft global quota never refuses.
    expect(run('check', '--user', 'u-99', '--model', 'm-dollar', '--input-tokens', '2000000').code).toBe(0);
  });

  it('an unpriced model is refused by a hard cost quota unless --allow-unpriced', () => {
    const run = setup();
    const r = run('check', '--user', 'u-17', '--model', 'mystery-model', '--input-tokens', '10', '--json');
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.estimated_cost).toBeNull();
    expect(j.reason).toContain('no price');
    expect(
      run('check', '--user', 'u-17', '--model', 'mystery-model', '--input-tokens', '10', '--allow-unpriced').code,
    ).toBe(0);
  });

  it('a budget allocation applies through the directory department', () => {
    const run = setup();
    expect(
      run('budgets', 'add', '--name', 'fy', '--total', '100', '--period', 'yearly', '--allocate', 'sales=5').code,
    ).toBe(0);
    // u-17 has no directory entry: the flag says sales; $6 > the $5 allocation.
    const r = run(
      'check',
      '--user',
      'u-17',
      '--department',
      'sales',
      '--model',
      'm-dollar',
      '--input-tokens',
      '1000',
      '--json',
    );
    expect(r.code).toBe(0);
    const big = run(
      'check',
      '--user',
      'u-18',
      '--department',
      'sales',
      '--model',
      'm-dollar',
      '--input-tokens',
      '6000',
      '--json',
    );
    expect(big.code).toBe(3);
    const j = JSON.parse(big.stdout);
    expect(j.budgets.map((b: any) => [b.name, b.scope, b.binding])).toEqual([
      ['fy', 'total', false],
      ['fy', 'department:sales', true],
    ]);
  });

  it.each([
    [['--model', 'm-dollar'], '--user'],
    [['--user', 'u-1'], '--model'],
    [['--user', 'u-1', '--model', 'm-dollar', '--input-tokens', '-1'], '--input-tokens'],
    [['--user', 'u-1', '--model', 'm-dollar', '--max-output-tokens', '1.5'], '--max-output-tokens'],
    [['--user', 'u-1', '--model', 'm-dollar', '--at', '2026-13-01'], '--at'],
  ])('check %j → exit 2 naming %s', (args, flag) => {
    const run = setup();
    const r = run('check', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
  });
});
