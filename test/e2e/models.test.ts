// The catalog and estimate as a user runs them: spawn bin/costctl.js, assert exit code, stderr, stdout.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

function catalogDb() {
  const db = tempDbPath();
  const add = runCli(
    [
      'models',
      'add',
      'acme-chat',
      '--provider',
      'acme',
      '--input-price',
      '0.002',
      '--output-price',
      '0.008',
      '--cache-read-price',
      '0.0005',
      '--alias',
      'acme-chat-2026-01',
      '--effective-from',
      '2026-01-01',
    ],
    { db },
  );
  expect(add.stderr).toContain('added acme-chat');
  expect(add.code).toBe(0);
  return db;
}

describe('models add / update / show and estimate', () => {
  it('prices a request before a price change with the old version and after it with the new one', () => {
    const db = catalogDb();
    const update = runCli(
      ['models', 'update', 'acme-chat', '--input-price', '0.003', '--effective-from', '2026-03-01'],
      { db },
    );
    expect(update.code).toBe(0);
    // 10,000 input × 0.002/1K = 0.02 plus 1,000 output × 0.008/1K = 0.008 → 0.028 before; 0.03 + 0.008 = 0.038 after.
    const before = runCli(
      [
        'estimate',
        '--model',
        'acme-chat',
        '--input-tokens',
        '10000',
        '--output-tokens',
        '1000',
        '--at',
        '2026-02-28T23:59:59Z',
        '--json',
      ],
      { db },
    );
    const after = runCli(
      [
        'estimate',
        '--model',
        'acme-chat',
        '--input-tokens',
        '10000',
        '--output-tokens',
        '1000',
        '--at',
        '2026-03-01T00:00:00Z',
        '--json',
      ],
      { db },
    );
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({
      model: 'acme-chat',
      provider: 'acme',
      currency: 'USD',
      input_cost: '0.020000',
      output_cost: '0.008000',
      total_cost: '0.028000',
      unpriced: false,
    });
    expect(JSON.parse(after.stdout)).toMatchObject({ input_cost: '0.030000', total_cost: '0.038000' });
    expect(JSON.parse(before.stdout).price_version).not.toBe(JSON.parse(after.stdout).price_version);

    const show = JSON.parse(runCli(['models', 'show', 'acme-chat-2026-01', '--json'], { db }).stdout);
    expect(show.versions.map((v: any) => v.input_price)).toEqual(['0.002', '0.003']);
    // Unchanged prices carry over into the new version.
    expect(show.versions[1].cache_read_price).toBe('0.0005');
    expect(show.aliases).toEqual(['acme-chat-2026-01']);
  });

  it('before the first version the model is unpriced, never $0', () => {
    const db = catalogDb();
    const r = runCli(['estimate', '--model', 'acme-chat', '--input-tokens', '5', '--at', '2025-12-31', '--json'], {
      db,
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ unpriced: true, total_cost: null });
  });

  it('list filters by provider and search; --json is data only', () => {
    const db = catalogDb();
    runCli(['models', 'add', 'other', '--provider', 'zeta', '--input-price', '1', '--output-price', '1'], { db });
    const r = runCli(['models', 'list', '--provider', 'acme', '--json'], { db });
    const list = JSON.parse(r.stdout);
    expect(list.map((m: any) => m.name)).toEqual(['acme-chat']);
    expect(JSON.parse(runCli(['models', 'list', '--search', 'nothing-like-this', '--json'], { db }).stdout)).toEqual(
      [],
    );
  });

  it('estimate money fields are strings with at least 6 decimals and no exponent', () => {
    const db = tempDbPath();
    runCli(['models', 'add', 'tiny', '--provider', 'x', '--input-price', '0.00005', '--output-price', '0'], { db });
    const out = JSON.parse(runCli(['estimate', '--model', 'tiny', '--input-tokens', '1', '--json'], { db }).stdout);
    for (const key of ['input_cost', 'output_cost', 'cache_read_cost', 'cache_write_cost', 'base_cost', 'total_cost']) {
      expect(out[key]).toMatch(/^\d+\.\d{6,}$/);
    }
    expect(out.total_cost).toBe('0.00000005');
  });

  it('remove is refused while usage references the model, allowed with --force', () => {
    const db = catalogDb();
    // A usage row priced by acme-chat, written the way ingest stores it.
    const sql =
      "INSERT INTO usage (source, request_id, ts, model, priced_model, unpriced) VALUES ('t', 'r1', TIMESTAMP '2026-02-01 00:00:00', 'acme-chat', 'acme-chat', false)";
    const child = runNodeSql(db, sql);
    expect(child).toBe(0);
    const refused = runCli(['models', 'remove', 'acme-chat'], { db });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/model "acme-chat" prices 1 usage row\(s\).*--force/);
    expect(runCli(['models', 'remove', 'acme-chat', '--force'], { db }).code).toBe(0);
    expect(JSON.parse(runCli(['models', 'list', '--json'], { db }).stdout)).toEqual([]);
  });
});

function runNodeSql(db: string, sql: string): number | null {
  const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect(); await c.run(process.argv[2]); c.closeSync(); i.closeSync(); })`;
  return spawnSync(process.execPath, ['-e', script, db, sql], { cwd: new URL('../../', import.meta.url).pathname })
    .status;
}

describe('bad input', () => {
  it.each([
    [
      ['estimate', '--model', 'x', '--input-tokens', '-3'],
      /--input-tokens <n>.*must be a whole number ≥ 0 \(got "-3"\)/,
    ],
    [['estimate', '--model', 'x', '--input-tokens', '1.5'], /--input-tokens <n>.*whole number/],
    [['estimate', '--model', 'x', '--at', '2026-13-45'], /--at <timestamp>.*must be a date/],
    [
      ['estimate', '--model', 'x', '--output-tokens', '1', '--max-output-tokens', '2'],
      /--output-tokens or --max-output-tokens, not both/,
    ],
    [
      ['models', 'add', 'm', '--provider', 'p', '--input-price', 'abc', '--output-price', '1'],
      /--input-price <x>.*must be a decimal number ≥ 0.*"abc"/,
    ],
    [
      ['models', 'add', 'm', '--provider', 'p', '--input-price', '-1', '--output-price', '1'],
      /--input-price <x>.*"-1"/,
    ],
    [
      ['models', 'add', 'm', '--provider', 'p', '--billing-unit', 'parsec', '--input-price', '1'],
      /--billing-unit <unit>.*Allowed choices are token, request, minute, second, gb/,
    ],
    [
      [
        'models',
        'add',
        'm',
        '--provider',
        'p',
        '--input-price',
        '1',
        '--output-price',
        '1',
        '--effective-from',
        'next tuesday',
      ],
      /--effective-from <date>.*must be a date/,
    ],
    [['models', 'add', 'm', '--provider', 'p', '--output-price', '1'], /--input-price is required/],
    [
      ['models', 'add', 'm', '--input-price', '1', '--output-price', '1'],
      /required option '--provider <name>' not specified/,
    ],
    [['models', 'update', 'm'], /nothing to update/],
    [['models', 'import', '/nonexistent/file.json'], /\/nonexistent\/file\.json: cannot be read \(ENOENT\)/],
    [['nosuchcommand'], /unknown command 'nosuchcommand'/],
  ])('%j → exit 2', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an unknown model in estimate exits 1 naming the closest catalog names', () => {
    const db = catalogDb();
    const r = runCli(['estimate', '--model', 'acme-chta', '--input-tokens', '1'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model "acme-chta" is not in the price catalog \(closest: acme-chat/);
  });

  it('a malformed catalog file imports nothing and lists the problems', () => {
    const db = catalogDb();
    const file = `${db}.csv`;
    writeFileSync(
      file,
      'name,provider,input_price,output_price\nok-model,p,0.001,0.002\nbad-model,p,abc,0.002\n,p,1,1\n',
    );
    const r = runCli(['models', 'import', file], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing imported, 2 problem(s)');
    expect(r.stderr).toContain('line 3: input_price "abc" must be a decimal number ≥ 0');
    expect(r.stderr).toContain('line 4: name is empty');
    expect(JSON.parse(runCli(['models', 'list', '--json'], { db }).stdout).map((m: any) => m.name)).toEqual([
      'acme-chat',
    ]);
  });
});
