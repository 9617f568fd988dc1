// Builds the commander program: global flags, the command groups, and how an action gets its context.
import { Command } from 'commander';
import { COMMAND_GROUPS } from '../commands/index.js';
import { createContext, type Context } from '../context.js';

export const VERSION = '0.1.0';

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Wraps a command implementation: resolves config (flag > env > file > default) into a Context and
 * hands over the command's own options and positional arguments.
 */
export function handler<O = any, A extends unknown[] = any[]>(
  fn: (ctx: Context, opts: O, ...args: A) => Promise<void>,
  options: { allowMissingConfig?: boolean } = {},
) {
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const globals = cmd.optsWithGlobals() as { db?: string; tz?: string; config?: string; verbose?: boolean };
    const ctx = createContext({
      flags: { db: globals.db, tz: globals.tz, config: globals.config, verbose: globals.verbose, allowMissingConfig: options.allowMissingConfig },
      invocation: { command: commandPath(cmd), args: process.argv.slice(2) },
    });
    await fn(ctx, cmd.opts() as O, ...(params.slice(0, -2) as A));
  };
}

export function buildProgram(): Command {
  const program = new Command('costctl')
    .description('Cost control for LLMs in production: ingest usage and bills, price exactly, enforce quotas, report.')
    .version(VERSION)
    .option('--db <path>', 'DuckDB file (env COSTCTL_DB; default ./costctl.duckdb)')
    .option('--tz <zone>', 'reporting time zone, IANA name (env COSTCTL_TZ; default UTC)')
    .option('--config <file>', 'config file (env COSTCTL_CONFIG; default $XDG_CONFIG_HOME/costctl/config.json)')
    .option('--verbose', 'print stack traces for internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  // Every subcommand inherits exitOverride so main.ts alone decides the exit code.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      sub.showHelpAfterError('(run with --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
