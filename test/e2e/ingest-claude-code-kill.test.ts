// kill -9 of a real `costctl ingest` of a Claude Code folder mid-run (#20): a folder larger than one batch
// commits in several transactions, so a kill can land before any, between two, or during one. Wherever it
// lands, the next run reads what was not committed (and only that) and the database ends with exactly the
// rows, cost and ledger of an ingest that was never interrupted; the same after the files grew.
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { BIN, LITELLM_CATALOG, ROOT, cliEnv, runCli } from '../helpers/cli.js';
import { killAtCommit } from '../helpers/kill-at-commit.mjs';
import { tempDbPath, tempDir } from '../helpers/temp.js';
// @ts-expect-error plain ESM helper without types
import { writeClaudeCorpus } from '../bench/claude-corpus.mjs';

// 12 copies of the spotter sample are ~76 MB: two batches of 64 MiB (the default batch, 256 MiB, would
// read them in one).
const NOW = { COSTCTL_NOW: '2026-04-01T00:00:00Z', COSTCTL_INGEST_BATCH_MB: '64' };
const COPIES = 12;

/** What the file holds, read by DuckDB itself (after the process is gone). */
async function state(db: string) {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  try {
    const reader = await c.runAndReadAll(`SELECT (SELECT count(*) FROM usage)::VARCHAR AS n,
      (SELECT count(DISTINCT request_id) FROM usage)::VARCHAR AS keys,
      (SELECT sum(total_cost) FROM usage)::VARCHAR AS cost,
      (SELECT sum(output_tokens) FROM usage)::VARCHAR AS output,
      (SELECT count(*) FROM usage WHERE file_id NOT IN (SELECT id FROM ingest_files))::VARCHAR AS orphans,
      (SELECT count(*) FROM ingest_file_positions)::VARCHAR AS positions`);
    return reader.getRowObjectsJson()[0] as Record<string, string>;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Kills an ingest of `folder` with SIGKILL `delayMs` after its first commit starts (or lets it finish). */
const killMidRun = (db: string, folder: string, delayMs: number) =>
  killAtCommit({ bin: BIN, db, target: folder, env: cliEnv({ db, env: NOW }), cwd: ROOT, delayMs });

describe('kill -9 mid-run of a Claude Code folder ingest (e2e)', () => {
  it('the next run completes it exactly once, before and after the files grow', async () => {
    const dir = tempDir();
    const files: string[] = writeClaudeCorpus({ dir, count: COPIES });
    const folder = join(dir, 'projects');
    const base = tempDbPath();
    expect(runCli(['models', 'import', LITELLM_CATALOG], { db: base }).code).toBe(0);
    const reference = tempDbPath();
    copyFileSync(base, reference);
    expect(runCli(['ingest', folder], { db: reference, env: NOW }).code).toBe(0);
    const whole = await state(reference);
    expect(whole.n).toBe(whole.keys);

    let midRun = 0;
    for (const delayMs of [0, 150, 1500]) {
      const db = join(dir, `kill-${delayMs}.duckdb`);
      copyFileSync(base, db);
      await killMidRun(db, folder, delayMs);
      const killed = Number((await state(db)).n);
      if (killed > 0 && killed < Number(whole.n)) midRun++;
      const rerun = runCli(['ingest', folder, '--json'], { db, env: NOW });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await state(db)).toEqual(whole);
    }
    // Worth its name only if a kill landed between two batches' commits.
    expect(midRun).toBeGreaterThan(0);

    // The sessions grow (every response appended again with a larger output, and a new one): both runs see
    // the same tails; one of them is killed first.
    const grownRef = join(dir, 'grown-ref.duckdb');
    const grownKill = join(dir, 'grown-kill.duckdb');
    copyFileSync(reference, grownRef);
    copyFileSync(reference, grownKill);
    for (const f of files.filter((_, i) => i % 3 === 0)) {
      const last = readFileSync(f, 'utf8').trimEnd().split('\n').at(-1)!;
      appendFileSync(f, `${last.replace(/"output_tokens":(\d+)/, (_, n) => `"output_tokens":${Number(n) + 7}`)}\n`);
    }
    expect(runCli(['ingest', folder], { db: grownRef, env: NOW }).code).toBe(0);
    await killMidRun(grownKill, folder, 0);
    expect(runCli(['ingest', folder], { db: grownKill, env: NOW }).code).toBe(0);
    const grown = await state(grownRef);
    expect(await state(grownKill)).toEqual(grown);
    expect(grown.n).toBe(whole.n);
    expect(BigInt(grown.output!)).toBeGreaterThan(BigInt(whole.output!));
  }, 900_000);
});
