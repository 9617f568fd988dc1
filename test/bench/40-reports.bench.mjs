// Reports on the bench database: `dashboard`, `report trend --by day`, `report dist --by user`,
// `report forecast` and `report anomalies`, each spawned as a user runs it, against the floor (a bare node
// process that opens the same file and runs `select count(*) from usage`). Target: < 1 s and ≤ 3× floor.
// Benchmarks are not tests: nothing here asserts on time.
import { BIN, floorArgs, fmt, medianOf, ratio, timeNode } from './bench-util.mjs';
import { ensureBenchDb } from './generate.mjs';

const COMMANDS = [
  ['dashboard'],
  ['report', 'trend', '--by', 'day'],
  ['report', 'dist', '--by', 'user'],
  ['report', 'forecast'],
  ['report', 'anomalies'],
];

async function lastTimestamp(db) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  const r = await c.runAndReadAll(
    "SELECT strftime(max(ts), '%Y-%m-%dT%H:%M:%SZ') AS t, count(*)::BIGINT AS n FROM usage",
  );
  const [t, n] = r.getRows()[0];
  c.closeSync();
  instance.closeSync();
  return { t, n };
}

export async function run({ rows, workDir, log }) {
  const started = Date.now();
  const db = await ensureBenchDb({ rows, workDir });
  log(`bench database ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${db}`);
  const { t, n } = await lastTimestamp(db);
  // "Now" is the last row's time, so today, this month and the 30-day window all hold data.
  const env = { COSTCTL_DB: db, COSTCTL_NOW: t, TZ: 'UTC' };
  log(`${Number(n).toLocaleString('en-US')} usage rows, now pinned to ${t}`);
  const runs = 3;
  const floor = medianOf(runs, () => timeNode(floorArgs(db, 'select count(*) from usage')));
  log(`floor (node + open + count(*)): ${fmt(floor)}`);
  for (const args of COMMANDS) {
    const ms = medianOf(runs, () => timeNode([BIN, ...args], env));
    const verdict = ms < 1000 && ms <= 3 * floor ? 'ok' : 'over target';
    log(`${args.join(' ').padEnd(26)} ${fmt(ms).padStart(8)}  ${ratio(ms, floor)} floor  ${verdict}`);
  }
}
