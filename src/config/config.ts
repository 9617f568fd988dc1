// Config precedence: flag > COSTCTL_* environment > config file > default.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { acceptedRange, type InstantRange } from '../domain/ingest-bounds.js';
import { isValidTimeZone } from '../domain/time.js';
import { CATALOG_CURRENCY, CURRENCY_REFUSAL, validateConfig } from './schema.js';

export interface JobConfig {
  schedule?: string;
  enabled?: boolean;
  recipients?: string[];
}

export interface ResolvedConfig {
  db: string;
  tz: string;
  currency: string;
  lockTimeoutMs: number;
  outboxDir: string;
  alertRecipients: string[];
  /** Local dates the anomaly scan treats as holidays (config `holidays`). */
  holidays: string[];
  smtp: { url?: string; from: string; password?: string };
  jobs: Record<string, JobConfig>;
  /** Instants a row may carry (accepted_from / accepted_to; `ingest` and `record` flags override it). */
  acceptedInstants: InstantRange;
  /** The configured first and last accepted day as written, if any (the flags combine with them). */
  accepted: { from?: string; to?: string };
  /** The config file that was read, if any. */
  configFile?: string;
  /** Where the config file is (or would be): the one `init` writes. */
  configPath: string;
  /** Where each value in force came from: a flag, an environment variable, the config file, or the default. */
  origins: Record<ConfigKey, string>;
}

export type ConfigKey =
  | 'config'
  | 'db'
  | 'tz'
  | 'currency'
  | 'lock_timeout_ms'
  | 'accepted_from'
  | 'accepted_to'
  | 'outbox_dir'
  | 'smtp.url'
  | 'smtp.from';

export interface ConfigFlags {
  db?: string;
  tz?: string;
  config?: string;
  /** `init` creates the file, so an explicit path that does not exist yet is fine. */
  allowMissingConfig?: boolean;
}

export const DEFAULTS = {
  db: './costctl.duckdb',
  tz: 'UTC',
  currency: 'USD',
  lockTimeoutMs: 30_000,
  outboxDir: './costctl-outbox',
  from: 'costctl <costctl@localhost>',
};

export function configFilePath(flags: ConfigFlags, env: NodeJS.ProcessEnv): { path: string; explicit: boolean } {
  if (flags.config) return { path: flags.config, explicit: true };
  if (env.COSTCTL_CONFIG) return { path: env.COSTCTL_CONFIG, explicit: true };
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return { path: join(base, 'costctl', 'config.json'), explicit: false };
}

/** A config file as validateConfig has checked it: every key optional, every present value of its type. */
interface ConfigFile {
  db?: string;
  tz?: string;
  currency?: string;
  lock_timeout_ms?: number;
  accepted_from?: string;
  accepted_to?: string;
  outbox_dir?: string;
  alert_recipients?: string[];
  holidays?: string[];
  smtp?: { url?: string; from?: string; password?: string };
  jobs?: Record<string, JobConfig>;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`config file ${path} cannot be read: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const problems = validateConfig(parsed);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${path}: ${p.key}: ${p.message}`).join('\n');
    throw new UsageError(`config file ${path} has ${problems.length} problem(s):\n${lines}`);
  }
  return parsed as ConfigFile;
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name}="${v}" must be a whole number ≥ 0`);
  return Number(v);
}

export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): ResolvedConfig {
  const located = configFilePath(flags, env);
  let file: ConfigFile = {};
  let configFile: string | undefined;
  if ((located.explicit && !flags.allowMissingConfig) || existsSync(located.path)) {
    if (!existsSync(located.path)) {
      throw new UsageError(`config file ${located.path} does not exist (from --config or COSTCTL_CONFIG)`);
    }
    file = readConfigFile(located.path);
    configFile = located.path;
  }
  const tz = flags.tz ?? env.COSTCTL_TZ ?? file.tz ?? DEFAULTS.tz;
  if (!isValidTimeZone(tz)) {
    const origin = flags.tz ? '--tz' : env.COSTCTL_TZ ? 'COSTCTL_TZ' : `${configFile}: tz`;
    throw new UsageError(`${origin}: "${tz}" is not an IANA time zone (e.g. UTC, Asia/Shanghai)`);
  }
  const currency = env.COSTCTL_CURRENCY ?? file.currency ?? DEFAULTS.currency;
  if (!/^[A-Z]{3}$/.test(currency))
    throw new UsageError(`COSTCTL_CURRENCY: "${currency}" must be a 3-letter code such as USD`);
  // A config file's value was checked with the file; the environment's is checked here.
  if (currency !== CATALOG_CURRENCY)
    throw new UsageError(`COSTCTL_CURRENCY: "${currency}" must be ${CATALOG_CURRENCY}: ${CURRENCY_REFUSAL}`);
  const smtpUrl = env.COSTCTL_SMTP_URL ?? file.smtp?.url;
  const accepted = {
    from: env.COSTCTL_ACCEPTED_FROM || file.accepted_from,
    to: env.COSTCTL_ACCEPTED_TO || file.accepted_to,
  };
  const where = (envName: string) => (env[envName] ? envName : `${configFile}: ${envName.slice(8).toLowerCase()}`);
  const acceptedInstants = acceptedRange(accepted.from, accepted.to, {
    first: where('COSTCTL_ACCEPTED_FROM'),
    last: where('COSTCTL_ACCEPTED_TO'),
  });
  if (typeof acceptedInstants === 'string') throw new UsageError(acceptedInstants);
  const from = (flag: string | undefined, flagName: string, envName: string, fileValue: unknown): string => {
    if (flag !== undefined) return `flag ${flagName}`;
    if (env[envName] !== undefined && env[envName] !== '') return `env ${envName}`;
    if (fileValue !== undefined) return `config file ${configFile}`;
    return 'default';
  };
  const origins: Record<ConfigKey, string> = {
    config: flags.config ? 'flag --config' : env.COSTCTL_CONFIG ? 'env COSTCTL_CONFIG' : 'default location',
    db: from(flags.db, '--db', 'COSTCTL_DB', file.db),
    tz: from(flags.tz, '--tz', 'COSTCTL_TZ', file.tz),
    currency: from(undefined, '', 'COSTCTL_CURRENCY', file.currency),
    lock_timeout_ms: from(undefined, '', 'COSTCTL_LOCK_TIMEOUT_MS', file.lock_timeout_ms),
    accepted_from: from(undefined, '', 'COSTCTL_ACCEPTED_FROM', file.accepted_from),
    accepted_to: from(undefined, '', 'COSTCTL_ACCEPTED_TO', file.accepted_to),
    outbox_dir: from(undefined, '', 'COSTCTL_OUTBOX_DIR', file.outbox_dir),
    'smtp.url': from(undefined, '', 'COSTCTL_SMTP_URL', file.smtp?.url),
    'smtp.from': from(undefined, '', 'COSTCTL_SMTP_FROM', file.smtp?.from),
  };
  return {
    origins,
    db: flags.db ?? env.COSTCTL_DB ?? file.db ?? DEFAULTS.db,
    tz,
    currency,
    lockTimeoutMs: envInt(env, 'COSTCTL_LOCK_TIMEOUT_MS') ?? file.lock_timeout_ms ?? DEFAULTS.lockTimeoutMs,
    outboxDir: env.COSTCTL_OUTBOX_DIR ?? file.outbox_dir ?? DEFAULTS.outboxDir,
    alertRecipients: env.COSTCTL_ALERT_RECIPIENTS
      ? env.COSTCTL_ALERT_RECIPIENTS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : (file.alert_recipients ?? []),
    holidays: file.holidays ?? [],
    smtp: {
      url: smtpUrl,
      from: env.COSTCTL_SMTP_FROM ?? file.smtp?.from ?? DEFAULTS.from,
      password: env.COSTCTL_SMTP_PASSWORD ?? file.smtp?.password,
    },
    jobs: file.jobs ?? {},
    acceptedInstants,
    accepted,
    configFile,
    configPath: located.path,
  };
}
