// A newcomer's first hour (#18): which database, created by whom, and dates read one way everywhere.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

describe('a database is created only by a write, and says so', () => {
  it('a read on a missing database exits 1 naming the path and `costctl init`, and creates nothing', () => {
    const dir = tempDir();
    for (const args of [['dashboard'], ['records', 'list', '--json'], ['models', 'list'], ['quotas', 'status']]) {
      const r = runCli(args, { db: 'nothing-here.duckdb', cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `costctl: database ${join(dir, 'nothing-here.duckdb')} does not exist: run \`costctl init\` to create it, or give --db (or COSTCTL_DB) the file you meant\n`,
      );
    }
    expect(existsSync(join(dir, 'nothing-here.duckdb'))).toBe(false);
  });

  it('the first write creates it with the bundled catalog and says so on stderr', () => {
    const db = tempDbPath();
    const env = { COSTCTL_NEW_DB_CATALOG: undefined };
    const r = runCli(['record', '--model', 'claude-sonnet-4-5', '--input-tokens', '1000', '--json'], { db, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`^created database ${db} \\(with the bundled LiteLLM price catalog: \\d{4} models\\)\\n`),
    );
    // Priced from the catalog the database was born with, not "unpriced" and not $0.
    const rows = JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0].price_version).not.toBeNull();
    expect(rows[0].unpriced).toBe(false);
    expect(rows[0].total_cost).toBe('0.003000000000000000');
    // Only the first write says it.
    expect(runCli(['record', '--model', 'claude-sonnet-4-5', '--input-tokens', '1'], { db }).stderr).not.toContain(
      'created database',
    );
  });

  it('COSTCTL_NEW_DB_CATALOG takes bundled or none, nothing else', () => {
    const r = runCli(['record', '--model', 'x', '--input-tokens', '1'], { env: { COSTCTL_NEW_DB_CATALOG: 'litellm' } });
    expect([r.code, r.stderr]).toEqual([2, 'costctl: COSTCTL_NEW_DB_CATALOG="litellm" must be bundled or none\n']);
  });
});

describe('config', () => {
  it('init stores the database and outbox as absolute paths, so another folder finds the same database', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    const r = runCli(
      ['--config', config, '--db', 'rel.duckdb', 'init', '--yes', '--no-import-catalog', '--outbox-dir', 'mail'],
      {
        cwd: dir,
        env: { COSTCTL_DB: undefined },
      },
    );
    expect(r.code).toBe(0);
    const written = JSON.parse(readFileSync(config, 'utf8'));
    expect([written.db, written.outbox_dir]).toEqual([join(dir, 'rel.duckdb'), join(dir, 'mail')]);
    const elsewhere = runCli(['--config', config, 'records', 'list', '--json'], {
      cwd: tempDir(),
      env: { COSTCTL_DB: undefined },
    });
    expect([elsewhere.code, elsewhere.stdout.trim()]).toEqual([0, '[]']);
  });

  it('config show names each value in force and where it came from, with the SMTP password masked', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    runCli(['--config', config, 'init', '--yes', '--no-import-catalog', '--tz', 'Europe/Berlin'], {
      env: { COSTCTL_DB: join(dir, 'a.duckdb') },
    });
    const r = runCli(['--config', config, 'config', 'show', '--json'], {
      env: {
        COSTCTL_DB: undefined,
        COSTCTL_SMTP_URL: 'smtp://ops:s3cret@127.0.0.1:2525',
        COSTCTL_SMTP_PASSWORD: 'other-s3cret',
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('s3cret');
    const shown = Object.fromEntries(JSON.parse(r.stdout).map((s: any) => [s.key, [s.value, s.from]]));
    expect(shown['config file']).toEqual([config, 'flag --config']);
    expect(shown.db).toEqual([join(dir, 'a.duckdb'), `config file ${config}`]);
    expect(shown.tz).toEqual(['Europe/Berlin', `config file ${config}`]);
    expect(shown.currency).toEqual(['USD', `config file ${config}`]);
    expect(shown['smtp.url']).toEqual(['smtp://ops:***@127.0.0.1:2525', 'env COSTCTL_SMTP_URL']);
    expect(shown['smtp.password']).toEqual(['***', 'env COSTCTL_SMTP_PASSWORD']);
    expect(shown.lock_timeout_ms).toEqual(['30000', 'default']);
    const text = runCli(['config', 'show'], { env: { COSTCTL_TZ: 'Asia/Shanghai' } });
    expect(text.stdout).toMatch(/tz\s+.*Asia\/Shanghai\s+.*env COSTCTL_TZ/);
    expect(text.stdout).toContain('(does not exist yet)');
  });
});

describe('one date parser for every date flag', () => {
  function twoDays(): string {
    const db = initializedDb();
    for (const ts of ['2026-02-28T23:30:00Z', '2026-03-01T12:00:00Z', '2026-03-02T08:00:00Z']) {
      expect(
        runCli(['record', '--model', 'm', '--user', 'u', '--input-tokens', '10', '--timestamp', ts], { db }).code,
      ).toBe(0);
    }
    return db;
  }
  const times = (r: { stdout: string }) =>
    JSON.parse(r.stdout)
      .map((x: any) => new Date(x.timestamp).toISOString())
      .sort();

  it('YYYYMMDD is a date, --until includes the named day, today/yesterday follow the clock', () => {
    const db = twoDays();
    const env = { COSTCTL_NOW: '2026-03-02T09:00:00Z' };
    const list = (...args: string[]) => runCli(['records', 'list', ...args, '--json'], { db, env });
    expect(times(list('--since', '20260301'))).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-02T08:00:00.000Z']);
    expect(times(list('--since', '20260301', '--until', '20260301'))).toEqual(['2026-03-01T12:00:00.000Z']);
    expect(times(list('--until', '2026-02-28'))).toEqual(['2026-02-28T23:30:00.000Z']);
    expect(times(list('--since', 'yesterday', '--until', 'yesterday'))).toEqual(['2026-03-01T12:00:00.000Z']);
    expect(times(list('--since', 'today'))).toEqual(['2026-03-02T08:00:00.000Z']);
    // A person reads local wall time with the zone named; JSON keeps UTC.
    const berlin = runCli(['--tz', 'Europe/Berlin', 'records', 'list', '--since', '2026-03-01'], { db, env });
    expect(berlin.stdout).toContain('time (Europe/Berlin)');
    expect(berlin.stdout).toMatch(/│ 2026-03-01 13:00 +│/);
    expect(berlin.stdout).toMatch(/│ 2026-03-01 00:30 +│/);
    // In Berlin the 23:30Z row is already the 1st of March.
    expect(
      times(runCli(['--tz', 'Europe/Berlin', 'records', 'list', '--until', '20260228', '--json'], { db, env })),
    ).toEqual([]);
    const trend = runCli(['report', 'trend', '--by', 'day', '--since', '20260301', '--until', '20260302', '--json'], {
      db,
      env,
    });
    expect(trend.code).toBe(0);
    expect(JSON.parse(trend.stdout).map((p: any) => p.period)).toEqual(['2026-03-01', '2026-03-02']);
  });

  it.each([
    [['records', 'list', '--since', '1772323200']],
    [['report', 'trend', '--since', '1772323200']],
    [['billing', 'list', '--until', '2026031']],
    [['quotas', 'status', '--at', 'last tuesday']],
  ])('%j is refused with exit 2 naming the forms a date takes', (args) => {
    const r = runCli(args, { db: initializedDb() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('a date (2026-03-01 or 20260301), today, yesterday, or a timestamp');
  });

  it('--help says --until includes the day, in every command that has it', () => {
    for (const args of [
      ['records', 'list'],
      ['records', 'export'],
      ['billing', 'list'],
      ['report', 'trend'],
      ['dashboard'],
    ]) {
      const help = runCli([...args, '--help']).stdout;
      if (!help.includes('--until')) continue;
      expect(help.replace(/\s+/g, ' '), args.join(' ')).toContain('through this date, inclusive');
    }
  });
});

describe('currency: the catalog currency, never a relabelled one', () => {
  const refusal = "costctl reports in its price catalog's currency (USD) and has no exchange rates to convert with";
  it('init --currency EUR is refused and writes nothing', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    const r = runCli(['--config', config, 'init', '--yes', '--currency', 'EUR'], { db: join(dir, 'x.duckdb') });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`costctl: --currency: must be "USD" (got "EUR"): ${refusal}\n`);
    expect(existsSync(config) || existsSync(join(dir, 'x.duckdb'))).toBe(false);
  });
  it('a config file or COSTCTL_CURRENCY naming another currency is refused, naming where', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(config, '{"currency": "EUR"}');
    const fromFile = runCli(['--config', config, 'reconcile', '--date', '2026-03-01'], { db: initializedDb() });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain(`${config}: currency: must be "USD" (got "EUR"): ${refusal}`);
    const fromEnv = runCli(['dashboard'], { db: initializedDb(), env: { COSTCTL_CURRENCY: 'EUR' } });
    expect([fromEnv.code, fromEnv.stderr]).toEqual([2, `costctl: COSTCTL_CURRENCY: "EUR" must be USD: ${refusal}\n`]);
  });
});

describe('smaller things a newcomer met (item 12)', () => {
  it('outbox retry of an id that does not exist names it, instead of "Nothing to send."', () => {
    const r = runCli(['outbox', 'retry', '999'], { db: initializedDb() });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('costctl: outbox message #999 does not exist (see `costctl outbox list`)\n');
  });

  it('alerts rules add, list and remove say what they do in --help', () => {
    const help = runCli(['alerts', 'rules', '--help']).stdout;
    for (const sub of ['add', 'list', 'remove']) {
      expect(help, sub).toMatch(new RegExp(`\\n  ${sub}\\b[^\\n]*\\s{2,}\\w{3,}`));
    }
  });
});
