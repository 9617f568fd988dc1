// What every command and job gets: resolved config, the clock, the actor, output streams, and the database.
// Only this file loads the DuckDB layer, lazily, so `costctl --help` never pays for the native module.
import { userInfo } from 'node:os';
import { resolveConfig, type ConfigFlags, type ResolvedConfig } from './config/config.js';
import type { Db } from './db/database.js';
import { parseInstant } from './domain/time.js';
import { UsageError } from './errors.js';

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
  /** Runs once the database is open, before `fn` (the CLI heals a write a killed process left torn). */
  afterOpen?: (db: Db, ctx: Context) => Promise<void>;
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
    interactive: Boolean(process.stderr.isTTY) && !env.CI,
    out: input.out ?? ((t: string) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
    err,
    invocation,
    withDb: async (fn, options) => {
      const { withDatabase } = await import('./db/database.js');
      return withDatabase(
        config.db,
        {
          lockTimeoutMs: config.lockTimeoutMs,
          onWait: (pid) => {
            if (ctx.interactive) err(`waiting for database ${config.db} (held by pid ${pid ?? 'unknown'})…`);
          },
        },
        async (db) => {
          if (input.afterOpen) await input.afterOpen(db, ctx);
          const result = await fn(db);
          if (options?.mutates && input.afterWrite) await input.afterWrite(db, ctx);
          return result;
        },
      );
    },
  };
  return ctx;
}
