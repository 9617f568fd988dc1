// kill -9 of a real `costctl ingest` at its commit point, for the e2e tests (torn commit, Claude Code kill)
// and scripts/torn-commit-repro.mjs. Plain ESM with no vitest in it, so the script can use it under plain
// node.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';

/**
 * Starts `node bin ingest target` on `db` and kills it with SIGKILL `delayMs` after its first commit starts
 * writing the WAL (DuckDB writes the WAL when a transaction commits: its first bytes mark the commit point),
 * or lets it be if it exits first. Resolves once the process is gone, to its signal or exit code.
 */
export async function killAtCommit({ bin, db, target, env, cwd, delayMs }) {
  const child = spawn(process.execPath, [bin, 'ingest', target], { env, cwd, stdio: 'ignore' });
  let exited = false;
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  closed.then(() => {
    exited = true;
  });
  while (!exited) {
    try {
      if (statSync(`${db}.wal`).size > 0) break;
    } catch {}
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  return closed;
}
