// Reproduction for docs/torn-commit.md: node scripts/torn-commit-repro.mjs "$PWD" KILLS MAX_DELAY_MS [heal]
// (ROWS=500000 by default; work files in /tmp/k17). Not a test: it prints what each kill left.
// Kill -9 an ingest at its commit point (first growth of the .wal) N times; count torn outcomes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { killAtCommit } from '../test/helpers/kill-at-commit.mjs';
const ROOT = process.argv[2];
const N = Number(process.argv[3] ?? 10);
const MAXDELAY = Number(process.argv[4] ?? 300);
const { generate } = await import(join(ROOT, 'test/bench/generate.mjs'));
const { DuckDBInstance } = await import(join(ROOT, 'node_modules/@duckdb/node-api/lib/index.js'));
const BIN = join(ROOT, 'bin/costctl.js');
const W = '/tmp/k17';
(await import('node:fs')).mkdirSync(W, { recursive: true });
const env = (db) => ({
  PATH: process.env.PATH,
  TZ: 'UTC',
  NO_COLOR: '1',
  HOME: W,
  COSTCTL_DB: db,
  COSTCTL_NOW: '2026-03-01T00:00:00Z',
});
const run = (db, ...a) => spawnSync(process.execPath, [BIN, ...a], { env: env(db), encoding: 'utf8' });
const ROWS = Number(process.env.ROWS ?? 500000);
const big = join(W, `big${ROWS}.csv`);
if (!existsSync(big)) generate({ rows: ROWS, path: big, format: 'csv' });
const base = join(W, 'base.duckdb');
if (!existsSync(base)) {
  console.log(run(base, 'models', 'import', join(ROOT, 'fixtures/pricing/litellm-model-prices.json')).status);
  console.log(run(base, 'quotas', 'add', 'all', '--scope', 'global', '--period', 'monthly', '--limit', '1').stderr);
  console.log(run(base, 'ingest', join(ROOT, 'fixtures/usage/usage.jsonl')).status);
}
async function inspect(db) {
  const inst = await DuckDBInstance.create(db);
  const c = await inst.connect();
  const q = async (s) => (await c.runAndReadAll(s)).getRowObjectsJson()[0];
  const r = await q(`SELECT (SELECT count(*) FROM usage)::VARCHAR AS n,
    (SELECT count(*) FROM usage WHERE file_id IS NOT NULL AND file_id NOT IN (SELECT id FROM ingest_files))::VARCHAR AS orphans,
    (SELECT count(*) FROM ingest_files)::VARCHAR AS files,
    (SELECT sum(rows_) FROM usage_rollup r WHERE r.k % 16777216 = 0 AND (r.k // 16777216) % 8 = 5 AND (r.k // 16777216) // 8 = (SELECT scope_id FROM rollup_scopes WHERE scope_type='global' AND model=''))::VARCHAR AS rolled`);
  c.closeSync();
  inst.closeSync();
  return r;
}
let torn = 0,
  before = 0,
  after = 0;
for (let i = 0; i < N; i++) {
  const db = join(W, `t${i}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  copyFileSync(base, db);
  const delay = Math.floor(Math.random() * MAXDELAY);
  const how = await killAtCommit({ bin: BIN, db, target: big, env: env(db), delayMs: delay });
  let healLine = '';
  if (process.argv[5] === 'heal') {
    const h = run(db, 'quotas', 'status', '--json');
    healLine = h.stderr.trim().slice(0, 160);
  }
  const s = await inspect(db);
  const ok = s.orphans === '0' && s.rolled === s.n;
  if (!ok) torn++;
  else if (s.n === '8') before++;
  else after++;
  console.log(i, 'delay', delay, how, JSON.stringify(s), ok ? 'ok' : 'TORN', healLine);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
}
console.log(`kills ${N} torn ${torn} whole-before ${before} whole-after ${after}`);
