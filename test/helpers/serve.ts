// A real `costctl serve` child process on loopback (port 0) over a temp database, and a tiny HTTP caller.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { BIN, ROOT, cliEnv, runCli } from './cli.js';

export interface Served {
  url: string;
  token: string;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  api: (method: string, path: string, body?: unknown, opts?: ApiOptions) => Promise<ApiResult>;
}

export interface ApiOptions {
  token?: string | null;
  contentType?: string;
  raw?: string;
}

export interface ApiResult {
  status: number;
  body: any;
}

export async function callApi(
  url: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  opts: Omit<ApiOptions, 'token'> = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Starts the server and resolves once it listens (it prints `listening URL` on stdout). */
export function startServe(db: string, env: Record<string, string> = {}, args: string[] = []): Promise<Served> {
  // Jobs off unless the test asks (`args` with '--jobs'): a test's few seconds should not race a cron tick.
  const jobs = args.includes('--jobs') ? [] : ['--no-jobs'];
  const rest = args.filter((a) => a !== '--jobs');
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...jobs, ...rest], {
    env: cliEnv({ db, env }),
    cwd: ROOT,
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (!m) return;
      const url = m[1]!;
      const token = readFileSync(`${db}.serve-token`, 'utf8').trim();
      resolve({
        url,
        token,
        child,
        stderr: () => err,
        exited,
        api: (method, path, body, opts = {}) =>
          callApi(url, opts.token === undefined ? token : opts.token, method, path, body, opts),
      });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code} before listening: ${err}`)));
  });
}

/** A model at $1 per 1K input tokens and $2 per 1K output tokens, so a test knows every cost. */
export function seedDollarModel(db: string, env: Record<string, string> = {}): void {
  const args = ['models', 'add', 'm-dollar', '--provider', 'test', '--input-price', '1', '--output-price', '2'];
  const add = runCli([...args, '--effective-from', '2020-01-01'], { db, env });
  expect(add.code, add.stderr).toBe(0);
}
