#!/usr/bin/env node
// `npm run bench [-- --rows N] [-- --only NAME] [-- --claude-scale N] [-- --reps R]`: runs every
// test/bench/*.bench.mjs in name order.
// Each bench module exports `run({ rows, workDir, log })` and prints its own ratios against the DuckDB
// floor it measures in the same run. Benchmarks are not tests: nothing here asserts on time.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(flag('--rows', '10000000'));
const only = flag('--only', undefined);
const keep = args.includes('--keep');
// `--claude-scale N`: also the Claude Code daily report on N × the default folder (10: ~1.3 GB, minutes).
const claudeScale = flag('--claude-scale', undefined);
// `--reps R`: native ingest runs the floors and costctl R times, alternated, at sizes up to 1M rows (default
// 3; the shared 2-core machine moves single runs by ±30 %), and prints medians.
const reps = Number(flag('--reps', '3'));
if (!Number.isInteger(reps) || reps < 1)
  throw new Error(`bench: --reps must be a whole number ≥ 1, not ${flag('--reps')}`);
const workDir = flag('--dir', undefined) ?? mkdtempSync(join(tmpdir(), 'costctl-bench-'));

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort();
console.log(`costctl bench: ${rows.toLocaleString('en-US')} rows, work dir ${workDir}`);
for (const file of files) {
  console.log(`\n== ${file}`);
  const mod = await import(join(here, file));
  await mod.run({
    rows,
    workDir,
    reps,
    claudeScale: claudeScale && Number(claudeScale),
    log: (line) => console.log(line),
  });
}
if (!keep && !flag('--dir', undefined)) rmSync(workDir, { recursive: true, force: true });
