// While `costctl serve` owns a database, the CLI sends each command on that database to it (the file is
// locked to everyone else) and prints the same output with the same exit code. No server, or a server file
// left by one that died: today's direct mode.
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { DataError, SilentExit, UsageError } from '../errors.js';
import { CostctlApiError, CostctlClient } from '../services/serve/client.js';
import { processAlive, readServerFile } from '../services/serve/server-file.js';

/** What the server needs of the sender's environment to resolve config the same way. */
function sentEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (
      v !== undefined &&
      (k.startsWith('COSTCTL_') || ['HOME', 'XDG_CONFIG_HOME', 'USER', 'LOGNAME', 'CI', 'NO_COLOR'].includes(k))
    )
      out[k] = v;
  return out;
}

/** Sends the command to the database's server if one runs; false when there is none (run it here). */
export async function sendToServer(ctx: Context, argv: string[]): Promise<boolean> {
  const file = readServerFile(resolve(ctx.config.db));
  if (!file || !processAlive(file.pid)) return false;
  const command = ctx.invocation.command;
  if (command === 'jobs schedule')
    throw new UsageError(
      `costctl serve (pid ${file.pid}) runs the scheduled jobs for ${file.db}; stop it to run the scheduler here`,
    );
  if (argv.includes('-'))
    throw new UsageError(
      `costctl serve (pid ${file.pid}) owns ${file.db} and cannot read this terminal's stdin; write the input to a file and name it`,
    );
  const client = new CostctlClient(file.url, file.token, ctx.actor);
  let outcome: { stdout: string; stderr: string; exit_code: number };
  try {
    outcome = await client.post('/api/v1/cli', { argv, cwd: process.cwd(), env: sentEnv(ctx.env) });
  } catch (e) {
    if (e instanceof CostctlApiError)
      throw new DataError(
        `costctl serve (pid ${file.pid}, ${file.url}) refused the command: ${e.body.message ?? e.status}`,
      );
    // Not answering (stopping, or not yet listening): open the file ourselves, waiting for its lock.
    return false;
  }
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  if (outcome.exit_code !== 0) throw new SilentExit(outcome.exit_code as SilentExit['exitCode']);
  return true;
}
