// An outcome as an exit code, with the one line that explains a failure. main.ts uses it for a command run
// here; a server uses it for a command a CLI sent it, so both print and exit the same.
import { CommanderError } from 'commander';
import { CostctlError, ExitCode } from '../errors.js';

export function exitCodeFor(error: unknown, verbose: boolean, writeErr: (text: string) => void): number {
  if (error instanceof CommanderError) {
    // Help and version are successes; every other commander error is a usage error it already printed.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  if (error instanceof CostctlError) {
    if (error.message) writeErr(`costctl: ${error.message}\n`);
    if (verbose && error.stack) writeErr(`${error.stack}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  writeErr(`costctl: internal error: ${e?.message ?? String(error)}\n`);
  if (verbose && e?.stack) writeErr(`${e.stack}\n`);
  else writeErr('(run with --verbose for details)\n');
  return ExitCode.failure;
}
