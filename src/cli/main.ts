// The one place that turns an outcome into an exit code.
import { buildProgram } from './program.js';
import { ExitCode } from '../errors.js';
import { exitCodeFor } from './exit-code.js';
import { provideProgram } from './in-process.js';

// A running `costctl serve` runs the commands the CLI sends it through a fresh program of its own.
provideProgram(buildProgram);

// `costctl … | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  try {
    await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
    process.exitCode = ExitCode.ok;
  } catch (error) {
    process.exitCode = exitCodeFor(error, verbose, (t) => process.stderr.write(t));
  }
}

await main();
