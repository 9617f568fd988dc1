// What every command and job gets: resolved config, the clock, the actor, output streams, and the database.
// Only this file loads the DuckDB layer, lazily, so `costctl --help` never pays for the native module.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { resolveConfig, type ConfigFlags, type ResolvedConfig } from './config/config.js';
import type { Db } from './db/database.js';
import { parseInstant } from './domain/time.js';
import { DataError, UsageError } from './errors.js';

export interface Context {
  config: ResolvedConfig;
  env: NodeJS.ProcessEnv;
  /** The current instant; COSTCTL_NOW pins it for tests and reproducible demos. */
  now: () => Date;
  actor: string;
  verbose: boolean;
  /** stderr is a terminal: progress and spinners may be shown there. */
  interactive: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** The command path and its raw arguments, for the audit trail. */
  invocation: { command: string; args: string[] };
  /** Opens the database, runs fn, closes. `mutates` runs the context's afterWrite in the same session. */
  withDb: <T>(fn: (db: Db) => Promise<T>, options?: { mutates?: boolean }) => Promise<T>;
}

export interface ContextInput {
  flags: ConfigFlags & { verbose?: boolean };
  env?: NodeJS.ProcessEnv;
  invocation?: { command: string; args: string[] };
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Runs after every `withDb(fn, { mutates: true })`, in the same session (the CLI's audit and rollup upkeep). */
  afterWrite?: (db: Db, ctx: Context) => Promise<void>;
  /**
   * Runs fn with a database someone else keeps open (a running `costctl serve` owns the file and lends
   * its connection to the commands it runs for the CLI). Default: open the file, run, close.
   */
  lendDb?: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  /** Overrides the terminal test (a command the server runs for a CLI never has a terminal). */
  interactive?: boolean;
  /** Runs once the database is open, before `fn` (the CLI heals a write a killed process left torn). */
  afterOpen?: (db: Db, ctx: Context) => Promise<void>;
  /**
   * Runs once when a write creates the database file, before the command's own work (the CLI loads the
   * bundled catalog: a database without prices would price every row as unpriced). Returns what it did.
   */
  onCreate?: (db: Db, ctx: Context) => Promise<string>;
}

/** The database file a path names, absolute, so every message says which file it means. */
export function databasePath(db: string): string {
  return db === ':memory:' ? db : resolve(db);
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function createContext(input: ContextInput): Context {
  const env = input.env ?? process.env;
  const config = resolveConfig(input.flags, env);
  let pinned: Date | undefined;
  if (env.COSTCTL_NOW) {
    pinned = parseInstant(env.COSTCTL_NOW);
    if (!pinned)
      throw new UsageError(`COSTCTL_NOW="${env.COSTCTL_NOW}" is not a timestamp (e.g. 2026-03-02T09:00:00Z)`);
  }
  const invocation = input.invocation ?? { command: '', args: [] };
  const err = input.err ?? ((t: string) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`));
  const ctx: Context = {
    config,
    env,
    now: () => (pinned ? new Date(pinned) : new Date()),
    actor: env.COSTCTL_ACTOR || currentUser(),
    verbose: Boolean(input.flags.verbose),
    interactive: input.interactive ?? (Boolean(process.stderr.isTTY) && !env.CI),
    out: input.out ?? ((t: string) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
    err,
    invocation,
    withDb: async (fn, options) => {
      const afterFn = async (db: Db) => {
        const result = await fn(db);
        if (options?.mutates && input.afterWrite) await input.afterWrite(db, ctx);
        return result;
      };
      // The server that lends its connection made and keeps its database.
      if (input.lendDb) return input.lendDb(afterFn);
      // Only a write may create the database: a read on a path nobody initialized would otherwise show an
      // empty database (zeros) as if it were the answer, and leave a stray file behind.
      const path = databasePath(config.db);
      const creating = path !== ':memory:' && !existsSync(path);
      if (creating && !options?.mutates) {
        throw new DataError(
          `database ${path} does not exist: run \`costctl init\` to create it, or give --db (or COSTCTL_DB) the file you meant`,
        );
      }
      const { withDatabase } = await import('./db/database.js');
      return withDatabase(
        path,
        {
          lockTimeoutMs: config.lockTimeoutMs,
          onWait: (pid) => {
            if (ctx.interactive) err(`waiting for database ${config.db} (held by pid ${pid ?? 'unknown'})…`);
          },
        },
        async (db) => {
          if (creating) {
            const seeded = input.onCreate ? await input.onCreate(db, ctx) : '';
            err(`created database ${path}${seeded ? ` (${seeded})` : ''}`);
          }
          if (input.afterOpen) await input.afterOpen(db, ctx);
          return afterFn(db);
        },
      );
    },
  };
  return ctx;
}
