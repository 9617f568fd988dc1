// A command line run inside this process instead of by a new one: how `costctl serve` answers the CLI while
// it owns the database. The command runs through a fresh program (commander keeps parsed values on its
// commands), with the sender's environment and working folder, the server's database connection, and its
// output captured; the sender prints the output and exits with the code.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Command } from 'commander';
import type { Db } from '../db/database.js';
import type { ServerCheck } from '../services/serve/check-hold.js';
import type { HoldLedger } from '../services/serve/holds.js';
import { exitCodeFor } from './exit-code.js';

/** What handler() gives a command run for a sender (see handler.ts). */
export interface LentRun {
  /** The sender's arguments (the audit trail's), not this process's. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  lendDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  /** The server's holds: a record run for a sender ends the hold of its request id. */
  holds?: HoldLedger;
  /** The server's check: a check run for a sender checks and holds as `POST check` does. */
  check?: ServerCheck;
}

export const lentRun = new AsyncLocalStorage<LentRun>();

/** The running server's holds when this command runs inside it for a sender; undefined in a CLI's own process. */
export function serverHolds(): HoldLedger | undefined {
  return lentRun.getStore()?.holds;
}

/** The running server's check-and-hold when this command runs inside it for a sender. */
export function serverCheck(): ServerCheck | undefined {
  return lentRun.getStore()?.check;
}

let programFactory: ((args: readonly string[]) => Promise<Command>) | undefined;

/** main.ts hands its program down, so that a server can run commands without importing the program. */
export function provideProgram(factory: (args: readonly string[]) => Promise<Command>): void {
  programFactory = factory;
}

export interface InProcessOutcome {
  stdout: string;
  stderr: string;
  exit_code: number;
}

function quiet(cmd: Command, write: { out: (t: string) => void; err: (t: string) => void }): void {
  cmd.configureOutput({ writeOut: write.out, writeErr: write.err, outputError: (t, w) => w(t) });
  for (const sub of cmd.commands) quiet(sub, write);
}

// One at a time: the sender's working folder becomes this process's for the run (relative file paths).
let queue: Promise<unknown> = Promise.resolve();

export function runInProcess(
  argv: string[],
  run: Omit<LentRun, 'out' | 'err' | 'argv'> & { cwd: string },
): Promise<InProcessOutcome> {
  const next = queue.then(() => runNow(argv, run));
  queue = next.catch(() => undefined);
  return next;
}

async function runNow(
  argv: string[],
  run: Omit<LentRun, 'out' | 'err' | 'argv'> & { cwd: string },
): Promise<InProcessOutcome> {
  if (!programFactory) throw new Error('no program to run commands with (provideProgram was not called)');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const line = (into: string[]) => (t: string) => into.push(t.endsWith('\n') ? t : `${t}\n`);
  const program = await programFactory(argv);
  quiet(program, { out: (t) => stdout.push(t), err: (t) => stderr.push(t) });
  const home = process.cwd();
  // Tables read NO_COLOR from the process: the sender's choice, for this run.
  const noColor = process.env.NO_COLOR;
  const setNoColor = (v: string | undefined) => {
    if (v === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = v;
  };
  let code = 0;
  try {
    setNoColor(run.env.NO_COLOR);
    process.chdir(run.cwd);
    await lentRun.run({ ...run, argv, out: line(stdout), err: line(stderr) }, () =>
      program.parseAsync(argv, { from: 'user' }),
    );
  } catch (e) {
    code = exitCodeFor(e, argv.includes('--verbose'), (t) => stderr.push(t));
  } finally {
    process.chdir(home);
    setNoColor(noColor);
  }
  return { stdout: stdout.join(''), stderr: stderr.join(''), exit_code: code };
}
