// The store as users meet it: lock contention between processes, schema versions, file mode, audit, config.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, runCliAsync } from '../helpers/cli.js';
import { holdDatabase } from '../helpers/lock-holder.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

describe('two processes on one database file', () => {
  it('the second exits 4 naming the file and the holder when the lock outlasts the retry budget', async () => {
    const db = tempDbPath();
    runCli(['models', 'list'], { db });
    const holder = await holdDatabase(db, 4000);
    try {
      const r = runCli(['models', 'list'], { db, env: { COSTCTL_LOCK_TIMEOUT_MS: '300' } });
      expect(r.code).toBe(4);
      expect(r.stderr.trim()).toBe(`costctl: database ${db} is busy (held by pid ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });

  it('the second waits for the first and then succeeds', async () => {
    const db = tempDbPath();
    runCli(['models', 'list'], { db });
    const holder = await holdDatabase(db, 1200);
    const order: string[] = [];
    const released = new Promise<void>((resolve) =>
      holder.on('exit', () => {
        order.push('holder released');
        resolve();
      }),
    );
    const r = await runCliAsync(
      ['models', 'add', 'waited', '--provider', 'p', '--input-price', '1', '--output-price', '1'],
      { db, env: { COSTCTL_LOCK_TIMEOUT_MS: '20000' } },
    );
    order.push('costctl finished');
    await released;
    expect(r.code).toBe(0);
    // The add could only finish once the holder had let go of the file.
    expect(order).toEqual(['holder released', 'costctl finished']);
    expect(JSON.parse(runCli(['models', 'list', '--json'], { db }).stdout).map((m: any) => m.name)).toEqual(['waited']);
  });
});

describe('the database file', () => {
  it('is created with mode 0600', () => {
    const db = tempDbPath();
    // Only a write creates a database (#18).
    expect(
      runCli(['models', 'add', 'a', '--provider', 'p', '--input-price', '1', '--output-price', '2'], { db }).code,
    ).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('written by a newer costctl is refused with a clear message and left untouched', () => {
    const db = tempDbPath();
    runCli(['models', 'add', 'a', '--provider', 'p', '--input-price', '1', '--output-price', '2'], { db });
    const bump = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect(); await c.run("INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)"); c.closeSync(); i.closeSync(); })`;
    expect(spawnSync(process.execPath, ['-e', bump, db], { cwd: ROOT }).status).toBe(0);
    const r = runCli(['models', 'list'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has schema version 999, newer than this costctl understands \(\d+\); upgrade costctl/);
  });

  it('in a folder that does not exist is a clear error', () => {
    const r = runCli(['models', 'add', 'a', '--provider', 'p', '--input-price', '1', '--output-price', '2'], {
      db: '/nonexistent-dir/x.duckdb',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/folder \/nonexistent-dir does not exist/);
  });
});

describe('audit trail', () => {
  it('records who ran which data-changing command, with secrets masked; reads are not recorded', () => {
    const db = tempDbPath();
    runCli(['models', 'add', 'a', '--provider', 'p', '--input-price', '1', '--output-price', '2'], {
      db,
      env: { COSTCTL_ACTOR: 'alice' },
    });
    runCli(['models', 'list'], { db });
    runCli(['models', 'update', 'a', '--input-price', '3', '--alias', 'smtp://bob:hunter2@mail.example'], {
      db,
      env: { COSTCTL_ACTOR: 'bob' },
    });
    const entries = JSON.parse(runCli(['audit', 'list', '--json'], { db }).stdout);
    expect(entries.map((e: any) => [e.actor, e.command])).toEqual([
      ['bob', 'models update'],
      ['alice', 'models add'],
    ]);
    expect(entries[1].args).toEqual([
      'models',
      'add',
      'a',
      '--provider',
      'p',
      '--input-price',
      '1',
      '--output-price',
      '2',
    ]);
    expect(JSON.stringify(entries)).not.toContain('hunter2');
    expect(entries[0].args).toContain('smtp://bob:***@mail.example');
  });
});

describe('config precedence: flag > COSTCTL_* > config file > default', () => {
  it('uses the file, then the environment over it, then the flag over both', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    const fileDb = join(dir, 'from-file.duckdb');
    const envDb = join(dir, 'from-env.duckdb');
    const flagDb = join(dir, 'from-flag.duckdb');
    writeFileSync(config, JSON.stringify({ db: fileDb, tz: 'Asia/Shanghai' }));
    const add = (extra: string[], env: Record<string, string | undefined>) =>
      runCli([...extra, 'models', 'add', 'm', '--provider', 'p', '--input-price', '1', '--output-price', '1'], {
        env: { COSTCTL_DB: undefined, ...env },
      });
    expect(add([], { COSTCTL_CONFIG: config }).code).toBe(0);
    expect(statSync(fileDb).isFile()).toBe(true);
    expect(add([], { COSTCTL_CONFIG: config, COSTCTL_DB: envDb }).code).toBe(0);
    expect(statSync(envDb).isFile()).toBe(true);
    expect(add(['--db', flagDb], { COSTCTL_CONFIG: config, COSTCTL_DB: envDb }).code).toBe(0);
    expect(statSync(flagDb).isFile()).toBe(true);
  });

  it('the config file from XDG_CONFIG_HOME is read by default, and its time zone applies to dates', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'costctl-config.json'), '{}');
    const xdg = join(dir, 'xdg');
    spawnSync('mkdir', ['-p', join(xdg, 'costctl')]);
    writeFileSync(join(xdg, 'costctl', 'config.json'), JSON.stringify({ tz: 'Asia/Shanghai' }));
    const db = tempDbPath();
    runCli(
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
        '2026-03-02',
      ],
      { db, env: { XDG_CONFIG_HOME: xdg } },
    );
    const show = JSON.parse(runCli(['models', 'show', 'm', '--json'], { db }).stdout);
    // Local midnight in Shanghai (UTC+8) is 16:00 UTC the day before.
    expect(show.versions[0].effective_from).toBe('2026-03-01T16:00:00.000Z');
  });

  it('reports every unknown or invalid key at once, with the file and key, exit 2', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        db: 3,
        tz: 'Mars/Olympus',
        colour: 'blue',
        smtp: { url: 'http://x', port: 25 },
        jobs: { 'daily-digest': { schedule: 5 } },
      }),
    );
    const r = runCli(['models', 'list'], { env: { COSTCTL_CONFIG: config } });
    expect(r.code).toBe(2);
    for (const key of ['db', 'tz', 'colour', 'smtp.url', 'smtp.port', 'jobs.daily-digest.schedule']) {
      expect(r.stderr).toContain(`${config}: ${key}:`);
    }
    expect(r.stderr).toContain('6 problem(s)');
  });

  it.each([
    [{ COSTCTL_TZ: 'Nowhere/Town' }, [], /COSTCTL_TZ: "Nowhere\/Town" is not an IANA time zone/],
    [{}, ['--tz', 'Bad/Zone'], /--tz: "Bad\/Zone" is not an IANA time zone/],
    [{ COSTCTL_CONFIG: '/nonexistent/config.json' }, [], /config file \/nonexistent\/config.json does not exist/],
    [{ COSTCTL_LOCK_TIMEOUT_MS: 'soon' }, [], /COSTCTL_LOCK_TIMEOUT_MS="soon" must be a whole number/],
  ])('bad setting %j %j → exit 2', (env, flags, message) => {
    const r = runCli([...(flags as string[]), 'models', 'list'], { env: env as Record<string, string> });
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(2);
  });

  it('a config file that is not JSON is named', () => {
    const config = join(tempDir(), 'config.json');
    writeFileSync(config, '{ db: nope');
    const r = runCli(['models', 'list'], { env: { COSTCTL_CONFIG: config } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`config file ${config} is not valid JSON`);
  });
});
