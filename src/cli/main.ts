// The one place that turns an outcome into an exit code.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { CostctlError, ExitCode } from '../errors.js';

function exitCodeFor(error: unknown, verbose: boolean): number {
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
    if (error.message) process.stderr.write(`costctl: ${error.message}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  process.stderr.write(`costctl: internal error: ${e?.message ?? String(error)}\n`);
  if (verbose && e?.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('(run with --verbose for details)\n');
  return ExitCode.failure;
}

// `costctl … | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  try {
    await buildProgram().parseAsync(process.argv);
    process.exitCode = ExitCode.ok;
  } catch (error) {
    process.exitCode = exitCodeFor(error, verbose);
  }
}

await main();
