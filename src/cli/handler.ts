// handler(): how a command's action gets its Context. In a file of its own so that command files import it
// without importing the program that imports them (that was a 26-file import cycle).
import type { Command } from 'commander';
import { createContext, type Context, type ContextInput } from '../context.js';

/**
 * A context for a user's command: after every write (`withDb(fn, { mutates: true })`) the quota rollup is
 * brought up to date and the audit trail gets its row, in the same database session as the write. Before
 * anything else, a write that a killed process left torn is healed (services/ops/heal.ts).
 */
export function commandContext(input: ContextInput): Context {
  return createContext({
    ...input,
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
  options: { allowMissingConfig?: boolean } = {},
) {
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const globals = cmd.optsWithGlobals() as { db?: string; tz?: string; config?: string; verbose?: boolean };
    const ctx = commandContext({
      flags: {
        db: globals.db,
        tz: globals.tz,
        config: globals.config,
        verbose: globals.verbose,
        allowMissingConfig: options.allowMissingConfig,
      },
      invocation: { command: commandPath(cmd), args: process.argv.slice(2) },
    });
    await fn(ctx, cmd.opts() as O, ...(params.slice(0, -2) as A));
  };
}
