// Shared bench helpers: spawn and time a process, medians, the DuckDB floor processes.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'costctl.js');

/** Wall milliseconds of one spawned node process (and its exit status). */
export function timeNode(args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time of `runs` runs of fn (after one warm-up run). */
export function medianOf(runs, fn) {
  fn();
  return median(Array.from({ length: runs }, fn));
}

/** The floor for a command: a bare node process that opens the DuckDB file and runs one query. */
export function floorArgs(dbPath, sql) {
  const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect(); await c.runAndReadAll(process.argv[2]); c.closeSync(); i.closeSync(); })`;
  return ['-e', script, dbPath, sql];
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/**
 * `costctl serve --no-jobs` on a free loopback port for the database `db`, with `env` added to this
 * process's environment; resolves once it listens, with the child, its URL and its bearer token.
 */
export function startServer(db, env = {}) {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--no-jobs'], {
    cwd: ROOT,
    env: { ...process.env, ...env, COSTCTL_DB: db },
  });
  // stderr is read all along: a full pipe would stop the server mid-bench; its end explains an early exit.
  let err = '';
  child.stderr.on('data', (d) => {
    err = (err + d).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], token: readFileSync(`${db}.serve-token`, 'utf8').trim() });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** Stops a server from startServer and waits for its exit, so the next bench does not share the cores. */
export async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}
