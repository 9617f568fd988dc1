// Where email goes: an SMTP server (smtp:// or smtps://) or, with none configured, `.eml` files in the
// outbox folder. Checked up front so a bad URL or an unwritable folder fails at start-up, not at 2 a.m.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedConfig } from '../config/config.js';
import { parseSender } from './sanitize.js';

export interface SmtpDelivery {
  kind: 'smtp';
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  /** Never printed: `describe()` shows the URL with the password masked. */
  password?: string;
  from: string;
  /** How long to wait for the server at each step (`?timeout=SECONDS` on the URL; default 30 s). */
  timeoutMs?: number;
}

export interface FileDelivery {
  kind: 'file';
  dir: string;
  from: string;
}

export type Delivery = SmtpDelivery | FileDelivery;

/** Where the setting came from, for error messages that name the place to fix. */
function origin(env: NodeJS.ProcessEnv, config: ResolvedConfig, envName: string, key: string): string {
  if (env[envName]) return envName;
  return config.configFile ? `${config.configFile}: ${key}` : key;
}

export function deliveryFromConfig(config: ResolvedConfig, env: NodeJS.ProcessEnv): Delivery {
  const from = config.smtp.from;
  if (!parseSender(from)) {
    throw new UsageError(
      `${origin(env, config, 'COSTCTL_SMTP_FROM', 'smtp.from')}: "${from.replace(/[\r\n]/g, ' ')}" is not a sender address (e.g. "costctl <costctl@example.com>")`,
    );
  }
  const raw = config.smtp.url;
  if (raw === undefined || raw === '') return { kind: 'file', dir: resolve(config.outboxDir), from };
  const where = origin(env, config, 'COSTCTL_SMTP_URL', 'smtp.url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${where}: not a valid URL (expected smtp://user@host:587 or smtps://host:465)`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new UsageError(`${where}: must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  if (!url.hostname) throw new UsageError(`${where}: has no host name (expected smtp://host:port)`);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  if (port < 1 || port > 65535) throw new UsageError(`${where}: port ${port} is not 1-65535`);
  if (url.pathname && url.pathname !== '/')
    throw new UsageError(`${where}: has a path (${url.pathname}); write smtp://host:port only`);
  const timeoutMs = smtpTimeout(url, where);
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : config.smtp.password;
  if (password && !user) {
    throw new UsageError(`${where}: a password is set but no user name (write smtp://USER@host:port)`);
  }
  return { kind: 'smtp', host: url.hostname, port, secure, user, password, from, ...(timeoutMs ? { timeoutMs } : {}) };
}

/** `?timeout=SECONDS` (1-600), the only parameter an SMTP URL may carry. */
function smtpTimeout(url: URL, where: string): number | undefined {
  for (const key of url.searchParams.keys()) {
    if (key !== 'timeout') throw new UsageError(`${where}: unknown parameter "${key}" (only ?timeout=SECONDS)`);
  }
  const text = url.searchParams.get('timeout');
  if (text === null) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 600)
    throw new UsageError(`${where}: timeout "${text}" must be whole seconds from 1 to 600`);
  return Number(text) * 1000;
}

/** Human description with no secret in it. */
export function describeDelivery(d: Delivery): string {
  if (d.kind === 'file') return `.eml files in ${d.dir}`;
  const auth = d.user ? `${encodeURIComponent(d.user)}${d.password ? ':***' : ''}@` : '';
  return `${d.secure ? 'smtps' : 'smtp'}://${auth}${d.host}:${d.port}${d.timeoutMs ? `?timeout=${d.timeoutMs / 1000}` : ''}`;
}

/** The outbox folder exists (or can be made) and is writable; otherwise a config error naming it. */
export function ensureOutboxDir(dir: string, config: ResolvedConfig, env: NodeJS.ProcessEnv): void {
  const where = origin(env, config, 'COSTCTL_OUTBOX_DIR', 'outbox_dir');
  try {
    // One level only: a missing parent is a typo more often than a wish (and recursive mkdir can spin on /proc).
    if (!existsSync(dir)) mkdirSync(dir);
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'ENOENT: its parent folder does not exist' : (code ?? (e as Error).message);
    throw new UsageError(
      `${where}: outbox folder ${dir} is not writable (${reason}); choose another folder or fix its permissions`,
    );
  }
}
