// A route answered by a costctl command run here with --json (the server's CLI runner, as for a command a
// CLI sends): the command's own option parsing and JSON, not a second copy of them. A usage error (exit
// 2) is the caller's 400, naming the query field of the flag it names.
import { RequestError } from './http-errors.js';
import type { ServeState } from './state.js';

/** The server's own environment (its clock pin, config file), as the commands it runs see it. */
function serverEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (k.startsWith('COSTCTL_') || ['HOME', 'XDG_CONFIG_HOME'].includes(k))) out[k] = v;
  return out;
}

/**
 * Runs `argv` (a command with --json) on the server's database and returns its parsed stdout. `fieldOf`
 * turns a flag (`--request-type`) into the field the caller sent; `actor` names the caller in the audit
 * trail of a command that writes.
 */
export async function runJsonCommand(
  s: ServeState,
  argv: string[],
  o: { fieldOf: (flag: string) => string | undefined; actor?: string },
): Promise<unknown> {
  if (!s.runCli) throw new RequestError(404, 'not_found', 'this server does not run commands (no CLI runner)');
  const env = { ...serverEnv(), ...(o.actor ? { COSTCTL_ACTOR: o.actor } : {}) };
  const outcome = await s.runCli([...argv, '--db', s.db.path, '--tz', s.tz], env, process.cwd());
  if (outcome.exit_code === 0) return JSON.parse(outcome.stdout) as unknown;
  const message =
    outcome.stderr
      .trim()
      .replace(/^(costctl: |error: )/, '')
      .split('\n')[0] || `exit ${outcome.exit_code}`;
  const flag = /(--[a-z][a-z0-9-]*)/.exec(message)?.[1];
  if (outcome.exit_code === 2) throw new RequestError(400, 'bad_request', message, flag && o.fieldOf(flag));
  if (outcome.exit_code === 1) throw new RequestError(409, 'conflict', message);
  throw new RequestError(500, 'internal', message);
}
