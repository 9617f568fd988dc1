// Runs bin/costctl.js as a user would: a child process in a hermetic environment.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tempDir, tempDbPath } from './temp.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'costctl.js');
/** Real public samples the tests read (fixtures/samples/ORIGIN.md: origin and licence of each). */
export const SAMPLES = join(ROOT, 'fixtures', 'samples');
export const LITELLM_CATALOG = join(ROOT, 'fixtures', 'pricing', 'litellm-model-prices.json');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliEnv {
  db?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
}

/** A hermetic environment: UTC, no colour, fixed width, temp HOME and config dir, a temp database. */
export function cliEnv(options: CliEnv = {}): NodeJS.ProcessEnv {
  const home = tempDir('costctl-home-');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    TZ: 'UTC',
    NO_COLOR: '1',
    COLUMNS: '120',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    COSTCTL_DB: options.db ?? tempDbPath(),
    COSTCTL_OUTBOX_DIR: join(home, 'outbox'),
    COSTCTL_ACTOR: 'test-runner',
    // A scratch database starts without the bundled catalog (2,000+ models, seconds per test); tests of
    // the catalog a new database gets unset this.
    COSTCTL_NEW_DB_CATALOG: 'none',
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the CLI synchronously and returns exit code and both streams. */
export function runCli(args: string[], options: CliEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: cliEnv(options),
    input: options.input,
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI without blocking, for concurrency tests. */
export function runCliAsync(args: string[], options: CliEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(options), cwd: options.cwd ?? ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The catalog model the CLI tests price with: $1 per 1K input tokens, $2 per 1K output, since 2020. */
export const DOLLAR_MODEL = [
  'models',
  'add',
  'm-dollar',
  '--provider',
  'test',
  '--input-price',
  '1',
  '--output-price',
  '2',
  '--effective-from',
  '2020-01-01',
];

/**
 * A fresh database at a pinned clock with the dollar model in its catalog, and `run(...args)` bound to it:
 * the setup every CLI test of quotas, budgets, alerts and check starts from.
 */
export function dollarModelCli(now: string, env: NodeJS.ProcessEnv = {}) {
  const db = tempDbPath();
  const run = (...args: string[]) => runCli(args, { db, env: { COSTCTL_NOW: now, ...env } });
  const model = run(...DOLLAR_MODEL);
  if (model.code !== 0) throw new Error(`models add m-dollar failed: ${model.stderr}`);
  return { db, run };
}

/** A database that exists and is empty (no catalog), created as a user would: `costctl init`. */
export function initializedDb(): string {
  const db = tempDbPath();
  const r = runCli(['init', '--yes', '--no-import-catalog'], { db });
  if (r.code !== 0) throw new Error(`costctl init failed: ${r.stderr}`);
  return db;
}
