// The CLI while a server owns the database: every command (reads and writes, allowed and refused, bad
// flags) prints the same output with the same exit code as on a database no server holds. Two copies of
// one database, one served: the same commands on both must answer the same.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/temp.js';

// A short lock wait: were a command not sent to the server, it would fail busy (4) quickly, not pass.
const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z', COSTCTL_LOCK_TIMEOUT_MS: '500' };

const COMMANDS: string[][] = [
  ['quotas', 'add', 'q', '--scope', 'user:u1', '--period', 'monthly', '--limit', '5'],
  ['record', '--model', 'm-dollar', '--user', 'u1', '--input-tokens', '1000', '--request-id', 'x1', '--json'],
  ['record', '--model', 'm-dollar', '--user', 'u1', '--input-tokens', '1000', '--request-id', 'x1'],
  ['record', '--model', 'm-dollar', '--user', 'u1', '--input-tokens', '3500', '--request-id', 'x2'],
  ['check', '--user', 'u1', '--model', 'm-dollar', '--input-tokens', '1000'],
  ['check', '--user', 'u1', '--model', 'm-dollar', '--input-tokens', '100', '--json'],
  ['check', '--user', 'u1', '--model', 'm-dollar', '--input-tokens', 'abc'],
  ['estimate', '--model', 'no-such-model', '--input-tokens', '10'],
  ['quotas', 'status'],
  ['quotas', 'status', '--json'],
  ['records', 'list', '--json'],
  ['alerts', 'list', '--json'],
  ['dashboard', '--json'],
  ['audit', 'list'],
];

/** `check`'s output without what the server holds (its `held:` line, its --json hold fields), kept in `holds`. */
function withoutHold(stdout: string, holds: string[]): string {
  if (stdout.startsWith('{')) {
    const { request_id, held, held_until, ...rest } = JSON.parse(stdout);
    if (held.length)
      holds.push(
        `held: ${held.map((h: { amount: string; limit: string }) => `${h.amount} against ${h.limit}`).join(', ')} until ${held_until} (request id ${request_id})`,
      );
    return `${JSON.stringify(rest, null, 2)}\n`;
  }
  const lines = stdout.split('\n');
  holds.push(...lines.filter((l) => l.startsWith('held: ')));
  return lines.filter((l) => !l.startsWith('held: ')).join('\n');
}

describe('serve: the CLI is never locked out', () => {
  it('every command answers the same through a running server as on the file', async () => {
    const direct = join(tempDir(), 'costctl.duckdb');
    seedDollarModel(direct, env);
    const served = join(tempDir(), 'costctl.duckdb');
    copyFileSync(direct, served);
    const server = await startServe(served, env);
    const same = (r: CliResult, db: string) => ({
      code: r.code,
      stdout: r.stdout.replaceAll(db, 'DB'),
      stderr: r.stderr.replaceAll(db, 'DB'),
    });
    try {
      const holds: string[] = [];
      for (const args of COMMANDS) {
        const a = same(runCli(args, { db: direct, env }), direct);
        const b = same(runCli(args, { db: served, env }), served);
        // A check sent to the server also holds its worst case, and says so: set that part aside.
        if (args[0] === 'check') b.stdout = withoutHold(b.stdout, holds);
        expect({ args, ...b }).toEqual({ args, ...a });
      }
      // The allowed checks held their worst case (text and --json); the refused one held nothing.
      expect(holds).toEqual([
        expect.stringMatching(/^held: 0\.1 against quota q \(monthly\) until .*request id [0-9a-f-]{36}/),
      ]);
      // The refusal is a refusal both ways (exit 3), and the writes reached the served file.
      expect(runCli(COMMANDS[4]!, { db: served, env }).code).toBe(3);
      const status = runCli(['serve', 'status', '--json'], { db: served, env });
      expect(JSON.parse(status.stdout)).toMatchObject({ running: true, answering: true, pid: server.child.pid });
      // The scheduler belongs to the server while it runs; stdin cannot travel to it.
      const sched = runCli(['jobs', 'schedule'], { db: served, env });
      expect(sched.code).toBe(2);
      expect(sched.stderr).toMatch(/costctl serve \(pid \d+\) runs the scheduled jobs/);
      const twice = runCli(['serve', '--listen', '127.0.0.1:0'], { db: served, env });
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/already serves/);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    const none = runCli(['serve', 'status'], { db: served, env });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/no server for/);
  }, 300_000);
});
