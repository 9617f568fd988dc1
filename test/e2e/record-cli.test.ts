// `costctl record` flags: stored and priced like `estimate` prices; every bad flag is exit 2 naming it,
// with nothing stored.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

function setup() {
  const db = tempDbPath();
  const env = { COSTCTL_NOW: '2026-03-10T12:00:00Z' };
  const run = (...args: string[]) => runCli(args, { db, env });
  const model = run(
    'models',
    'add',
    'm-cache',
    '--provider',
    'acme',
    '--input-price',
    '3',
    '--output-price',
    '15',
    '--cache-read-price',
    '0.3',
    '--cache-write-price',
    '3.75',
    '--effective-from',
    '2020-01-01',
  );
  expect(model.code, model.stderr).toBe(0);
  expect(
    run('quotas', 'add', 'count', '--scope', 'global', '--period', 'total', '--metric', 'requests', '--limit', '1000')
      .code,
  ).toBe(0);
  const stored = () => JSON.parse(run('quotas', 'status', '--json').stdout)[0].used;
  return { run, stored };
}

describe('record CLI', () => {
  it('stores one priced row; the cost equals estimate for the same request', () => {
    const { run, stored } = setup();
    const usage = [
      '--input-tokens',
      '1200',
      '--output-tokens',
      '310',
      '--cache-read-tokens',
      '12000',
      '--cache-write-tokens',
      '800',
    ];
    const r = run(
      'record',
      '--model',
      'm-cache',
      '--request-id',
      'r-1',
      '--timestamp',
      '2026-03-02T09:15:03Z',
      '--user',
      'u-17',
      '--tags',
      '{"team":"emea"}',
      ...usage,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // By hand: 1200×3/1000 + 310×15/1000 + 12000×0.3/1000 + 800×3.75/1000 = 3.6 + 4.65 + 3.6 + 3 = 14.85
    expect(Number(j.total_cost)).toBe(14.85);
    expect(j).toMatchObject({ stored: true, request_id: 'r-1', priced_model: 'm-cache', unpriced: false });
    const est = JSON.parse(
      run('estimate', '--model', 'm-cache', ...usage, '--at', '2026-03-02T09:15:03Z', '--json').stdout,
    );
    expect(Number(est.total_cost)).toBe(Number(j.total_cost));
    expect(stored()).toBe('1');
    // A random request id when none is given.
    const anon = JSON.parse(run('record', '--model', 'm-cache', '--json').stdout);
    expect(anon.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored()).toBe('2');
  });

  it.each([
    [['--timestamp', 'yesterday'], '--timestamp'],
    [['--timestamp', '2026-02-31T00:00:00Z'], '--timestamp'],
    [['--input-tokens', '-3'], '--input-tokens'],
    [['--output-tokens', '1.5'], '--output-tokens'],
    [['--tags', '{nope'], '--tags'],
    [['--tags', '[1,2]'], '--tags'],
    [['--currency', 'dollars'], '--currency'],
    [['--cost-type', 'coffee'], '--cost-type'],
    [['--request-id', ' '], '--request-id'],
    [['--reported-cost', 'abc'], '--reported-cost'],
  ])('record %j → exit 2 naming %s, nothing stored', (args, flag) => {
    const { run, stored } = setup();
    const r = run('record', '--model', 'm-cache', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(stored()).toBe('0');
  });

  it('without --model: exit 2 naming it', () => {
    const { run } = setup();
    const r = run('record', '--input-tokens', '5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model');
  });
});
