// handler(): how a command's action gets its Context. In a file of its own so that command files import it
// without importing the program that imports them (that was a 26-file import cycle).
import type { Command } from 'commander';
import { createContext, type Context, type ContextInput } from '../context.js';
import { UsageError } from '../errors.js';
import { setOutputFlags } from '../render/terminal.js';
import { sendToServer } from './forward.js';
import { lentRun } from './in-process.js';

/**
 * What a new database starts with: the bundled catalog, unless COSTCTL_NEW_DB_CATALOG=none (for a catalog
 * of one's own, and for tests, where importing 2,000+ models into every scratch database costs seconds).
 */
function seedsCatalog(env: NodeJS.ProcessEnv): boolean {
  const v = env.COSTCTL_NEW_DB_CATALOG;
  if (v === undefined || v === '' || v === 'bundled') return true;
  if (v === 'none') return false;
  throw new UsageError(`COSTCTL_NEW_DB_CATALOG="${v}" must be bundled or none`);
}

/**
 * A context for a user's command: a write that creates the database seeds it with the bundled catalog,
 * and after every write (`withDb(fn, { mutates: true })`) the quota rollup is brought up to date and the
 * audit trail gets its row, in the same database session as the write.
 */
export function commandContext(input: ContextInput & { seedCatalog?: boolean }): Context {
  const { seedCatalog = true, ...rest } = input;
  return createContext({
    ...rest,
    onCreate: !seedCatalog
      ? undefined
      : seedsCatalog(input.env ?? process.env)
        ? async (db, ctx) => {
            const { importBundledCatalog } = await import('../services/setup/init.js');
            const report = await importBundledCatalog(db, ctx.now());
            return `with the bundled LiteLLM price catalog: ${report.added.length} models`;
          }
        : async () => 'no price catalog: COSTCTL_NEW_DB_CATALOG=none',
    afterWrite: async (db, ctx) => {
      const { recordCommandWrite } = await import('../services/ops/audit.js');
      await recordCommandWrite(db, ctx);
    },
    afterOpen: async (db, ctx) => {
      const { healOnOpen } = await import('../services/ops/audit.js');
      await healOnOpen(db, ctx);
    },
  });
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Wraps a command implementation: resolves config (flag > env > file > default) into a Context and
 * hands over the command's own options and positional arguments.
 */
// biome-ignore lint/suspicious/noExplicitAny: commander hands options over untyped; each action declares its own shape
export function handler<O = any, A extends unknown[] = any[]>(
  fn: (ctx: Context, opts: O, ...args: A) => Promise<void>,
  /** local: never sent to a running server (`serve` itself). */
  options: { allowMissingConfig?: boolean; local?: boolean } = {},
) {
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const globals = cmd.optsWithGlobals() as {
      db?: string;
      tz?: string;
      config?: string;
      verbose?: boolean;
      color?: boolean;
      wide?: boolean;
      json?: boolean;
    };
    setOutputFlags({ colour: globals.color, wide: globals.wide });
    // Run by a server for a CLI that sent it: the sender's environment and arguments, the server's database.
    const lent = lentRun.getStore();
    const args = lent ? lent.argv : process.argv.slice(2);
    const ctx = commandContext({
      ...(lent ? { env: lent.env, out: lent.out, err: lent.err, lendDb: lent.lendDb, interactive: false } : {}),
      flags: {
        db: globals.db,
        tz: globals.tz,
        config: globals.config,
        verbose: globals.verbose,
        allowMissingConfig: options.allowMissingConfig,
      },
      invocation: { command: commandPath(cmd), args },
    });
    // A server owns this database: it runs the command and we print what it printed.
    if (!lent && !options.local && (await sendToServer(ctx, args))) return;
    // A group and its subcommand may both take --json (optimize, optimize accept); commander gives the
    // flag to the group, so the subcommand also honours it when given there.
    const opts = cmd.opts();
    if (globals.json && opts.json === undefined && cmd.options.some((o) => o.long === '--json')) opts.json = true;
    await fn(ctx, opts as O, ...(params.slice(0, -2) as A));
  };
}
