// Builds the commander program: global flags, the command groups, and how an action gets its context.
import { Command } from 'commander';
import { COMMAND_GROUPS } from '../commands/index.js';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('costctl')
    .description('Cost control for LLMs in production: ingest usage and bills, price exactly, enforce quotas, report.')
    .version(VERSION)
    .option('--db <path>', 'DuckDB file (env COSTCTL_DB; default ./costctl.duckdb)')
    .option('--tz <zone>', 'reporting time zone, IANA name (env COSTCTL_TZ; default UTC)')
    .option('--config <file>', 'config file (env COSTCTL_CONFIG; default $XDG_CONFIG_HOME/costctl/config.json)')
    .option('--verbose', 'print stack traces for internal errors')
    .option('--no-color', 'no colour (also NO_COLOR; colour is only ever used when stdout is a terminal)')
    .option('--wide', 'show long table cells whole (tables otherwise fit $COLUMNS, cutting long text with …)')
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
