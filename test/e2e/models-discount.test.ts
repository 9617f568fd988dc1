// `costctl models discount`: the operator's discounts and markups as a user runs them, with the figures
// worked by hand from the dollar model ($1 per 1K input tokens, $2 per 1K output).
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';

const ONE_K_EACH = ['--model', 'm-dollar', '--input-tokens', '1000', '--output-tokens', '1000'];

describe('costctl models discount', () => {
  it('adds, shows, prices with, lists and removes them; stored rows change only on reprice', () => {
    const { run } = dollarModelCli('2026-03-10T12:00:00Z', { TZ: 'Europe/Berlin' });
    expect(run('record', ...ONE_K_EACH, '--user', 'u', '--request-id', 'r1').stdout).toContain('$3.00');

    const added = run('models', 'discount', 'add', '--provider', 'test', '--percent', '20', '--from', '2026-03-01');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added discount #1: -20 % on every model of test, from 2026-03-01');
    expect(added.stderr).toContain('costctl reprice');
    const markup = run('models', 'discount', 'add', '--provider', 'test', '--markup', '10', '--model', 'm-*');
    expect(markup.stdout).toContain('added markup #2: +10 % on m-* of test, always');

    // $3.00 × 0.8 × 1.1 = $2.64
    const estimate = JSON.parse(run('estimate', ...ONE_K_EACH, '--json').stdout);
    expect(estimate).toMatchObject({
      total_cost: '2.640000',
      input_cost: '0.880000',
      output_cost: '1.760000',
      price_rules: ['discount 20 % (#1)', 'markup 10 % (#2)'],
    });
    const show = run('models', 'show', 'm-dollar');
    expect(show.stdout).toContain("the operator's discounts and markups");
    expect(show.stdout).toMatch(/│\s+1 │ discount │\s+-20 % │ test\s+│ all\s+│ 2026-03-01\s+│ open/);
    expect(JSON.parse(run('models', 'show', 'm-dollar', '--json').stdout).adjustments).toHaveLength(2);
    expect(run('models', 'list', '--wide').stdout).toMatch(/m-dollar .*│ -20 % \+10 % │/);
    const list = JSON.parse(run('models', 'discount', 'list', '--json').stdout);
    expect(list.map((a: { kind: string; multiplier: string }) => [a.kind, a.multiplier])).toEqual([
      ['discount', '0.8'],
      ['markup', '1.1'],
    ]);

    const stored = () => JSON.parse(run('records', 'list', '--json').stdout)[0].total_cost;
    expect(stored()).toBe('3.000000000000000000');
    expect(run('reprice').stdout).toContain('$3.00 → $2.64');
    expect(stored()).toBe('2.640000000000000000');

    expect(run('models', 'discount', 'remove', '2').stderr).toContain('removed markup #2');
    expect(run('estimate', ...ONE_K_EACH, '--json').stdout).toContain('"total_cost": "2.400000"');
  });

  it('refuses bad input with the exit code of its kind, storing nothing', () => {
    const { run } = dollarModelCli('2026-03-10T12:00:00Z');
    for (const [args, code, message] of [
      [['--provider', 'test', '--percent', '100'], 2, '--percent: 100 must be below 100'],
      [['--provider', 'test', '--percent', '0'], 2, '--percent: 0 must be greater than 0'],
      [['--provider', 'test', '--percent', 'x'], 2, 'must be a percentage such as 20'],
      [['--provider', 'test'], 2, 'give exactly one of --percent N (a discount) and --markup N'],
      [
        ['--provider', 'nope', '--percent', '5'],
        1,
        'no model in the price catalog has provider "nope" (providers: test)',
      ],
      [['--provider', 'test', '--percent', '5', '--model', 'gpt-*'], 1, '"gpt-*" matches no test model'],
      [
        ['--provider', 'test', '--percent', '5', '--from', '2026-04-01', '--until', '2026-03-01'],
        2,
        '--until must be after --from',
      ],
    ] as const) {
      const r = run('models', 'discount', 'add', ...args);
      expect(r.stderr).toContain(message);
      expect(`${args.join(' ')}: exit ${r.code}`).toBe(`${args.join(' ')}: exit ${code}`);
    }
    expect(run('models', 'discount', 'list').stdout).toContain('No discounts or markups');
  });

  it('refuses an overlapping window of the same scope, inclusive --until included', () => {
    const { run } = dollarModelCli('2026-03-10T12:00:00Z');
    expect(run('models', 'discount', 'add', '--provider', 'test', '--percent', '20', '--from', '2026-03-01').code).toBe(
      0,
    );
    const clash = run('models', 'discount', 'add', '--provider', 'test', '--percent', '5', '--until', '2026-03-01');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('discount #1 (20 % on every test model) already covers part of that time');
    expect(run('models', 'discount', 'add', '--provider', 'test', '--percent', '5', '--until', '2026-02-28').code).toBe(
      0,
    );
    expect(run('models', 'discount', 'remove', '7').stderr).toContain('no discount or markup #7');
  });
});
