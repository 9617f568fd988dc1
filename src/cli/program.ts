// Builds the commander program: global flags, the command groups, and how an action gets its context.
import { Command } from 'commander';
import { COMMAND_GROUPS, type CommandGroup } from '../commands/index.js';

export const VERSION = '0.1.0';

// Global flags that take a value: the word after them is not the command.
const VALUE_FLAGS = new Set(['--db', '--tz', '--config']);

/** The command word of the user's arguments (without node and the script), if any. */
function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return a;
    if (VALUE_FLAGS.has(a)) i++;
  }
  return undefined;
}

/**
 * The groups a run of `args` needs: the named command's, or every group when there is no command word or it
 * names none (`--help`, `help`, a typo commander should answer with the full list). Omitted args: all.
 */
function groupsFor(args?: readonly string[]): CommandGroup[] {
  const word = args && commandWord(args);
  // `costctl --version` needs no command at all.
  if (args && word === undefined && (args.includes('--version') || args.includes('-V'))) return [];
  const named = word === undefined ? [] : COMMAND_GROUPS.filter((g) => g.commands.includes(word));
  return named.length ? named : COMMAND_GROUPS;
}

/**
 * The program for a run of `args` (the user's arguments, without node and the script): only the command
 * groups it names are loaded, so one command does not pay for importing all of them. No args: every group
 * (the README reference, a server running commands for senders).
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const registers = await Promise.all(groupsFor(args).map((g) => g.load()));
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
  for (const register of registers) register(program);
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
