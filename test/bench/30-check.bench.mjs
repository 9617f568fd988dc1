// `costctl check` against 1,000 quotas and N usage rows: median wall time of the spawned command vs the
// floor (a bare node process opening the same file and running `select 1`), and the in-process check
// service median. Benchmarks are not tests: nothing here asserts on time.
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, floorArgs, fmt, median, medianOf, ratio, timeNode } from './bench-util.mjs';

const NOW = '2026-03-31T12:00:00Z';
const DAYS = 90;
const USERS = 1000;

/** Synthetic, time-ordered usage rows straight into the table (the way a bulk ingest lays them out). */
async function fillUsage(db, rows) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  await c.run("SET TimeZone = 'UTC'");
  const spanMs = DAYS * 86_400_000;
  const start = Date.parse(NOW) - spanMs;
  await c.run(`INSERT INTO usage (source, request_id, ts, model, input_tokens, output_tokens, requests, user_id, department, project,
      account_id, unpriced, total_cost, priced_model, price_version)
    SELECT 'bench', 'r-' || i, make_timestamp((${start}::BIGINT + (i * ${spanMs}::BIGINT) // ${rows}::BIGINT) * 1000),
      'bench-model', 1000 + i % 700, 200 + i % 300, 1, 'u-' || (i % ${USERS}),
      CASE WHEN i % 2 = 0 THEN 'dept-' || (i % ${USERS}) % 50 END, 'proj-' || (i % 20), 'acct-' || (i % 100), false,
      ((i % 100) * 0.0001)::DECIMAL(38,18), 'bench-model', 1
    FROM range(${rows}) t(i)`);
  await c.run(`INSERT INTO directory SELECT 'u-' || i, 'dept-' || i % 50, 'org-' || i % 5, 'proj-' || i % 20, NULL, now()::TIMESTAMP FROM range(${USERS}) t(i)`);
  // 1,000 quotas over every scope type; limits high enough that the check is allowed (exit 0).
  await c.run(`INSERT INTO quotas (name, scope_type, scope_value, metric, period, limit_amount, daily_limit, hourly_limit,
      warning_threshold, critical_threshold, enforcement, model, recipients, created_at, updated_at)
    SELECT 'q-' || i,
      CASE WHEN i < 600 THEN 'user' WHEN i < 800 THEN 'department' WHEN i < 900 THEN 'project' WHEN i < 950 THEN 'account' WHEN i < 999 THEN 'organization' ELSE 'global' END,
      CASE WHEN i < 600 THEN 'u-' || i WHEN i < 800 THEN 'dept-' || i % 50 WHEN i < 900 THEN 'proj-' || i % 20 WHEN i < 950 THEN 'acct-' || i % 100 WHEN i < 999 THEN 'org-' || i % 5 END,
      'cost', CASE i % 3 WHEN 0 THEN 'monthly' WHEN 1 THEN 'weekly' ELSE 'daily' END, 1e12, CASE WHEN i % 3 < 2 THEN 1e11 END, 1e10,
      0.8, 0.95, 'hard', NULL, '[]', now()::TIMESTAMP, now()::TIMESTAMP
    FROM range(1000) t(i)`);
  c.closeSync();
  instance.closeSync();
}

async function inProcessMedian(db, runs) {
  const dist = (p) => pathToFileURL(join(ROOT, 'dist', p)).href;
  const { withDatabase } = await import(dist('src/db/database.js'));
  const { checkRequest } = await import(dist('src/services/check.js'));
  const { requestUnits } = await import(dist('src/domain/pricing.js'));
  return withDatabase(db, { lockTimeoutMs: 5000 }, async (handle) => {
    const req = { user: 'u-17', model: 'bench-model', units: requestUnits({ inputTokens: 1000n, outputTokens: 500n }), at: new Date(NOW), tz: 'UTC', allowUnpriced: false };
    let quotas = 0;
    const times = [];
    for (let i = 0; i < runs + 3; i++) {
      const t = process.hrtime.bigint();
      const r = await checkRequest(handle, req);
      if (i >= 3) times.push(Number(process.hrtime.bigint() - t) / 1e6);
      quotas = r.quotas.length;
      if (!r.allowed) throw new Error(`bench check refused: ${r.reason}`);
    }
    return { ms: median(times), items: quotas };
  });
}

export async function run({ rows, workDir, log }) {
  if (!existsSync(join(ROOT, 'dist', 'src', 'services', 'check.js'))) throw new Error('build first: npx tsc -p tsconfig.build.json');
  const db = join(mkdtempSync(join(workDir, 'check-')), 'check.duckdb');
  const env = { COSTCTL_DB: db, COSTCTL_NOW: NOW };
  timeNode([BIN, 'models', 'add', 'bench-model', '--provider', 'bench', '--input-price', '0.001', '--output-price', '0.002', '--effective-from', '2020-01-01'], env);
  const t0 = Date.now();
  await fillUsage(db, rows);
  log(`setup: ${rows.toLocaleString('en-US')} usage rows over ${DAYS} days, 1,000 quotas, ${USERS} users (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const args = [BIN, 'check', '--user', 'u-17', '--model', 'bench-model', '--input-tokens', '1000', '--max-output-tokens', '500', '--json'];
  const runs = 9;
  const floor = medianOf(runs, () => timeNode(floorArgs(db, 'select 1')));
  const check = medianOf(runs, () => timeNode(args, env));
  const inProc = await inProcessMedian(db, 30);
  log(`floor (node + open + select 1): ${fmt(floor)}`);
  log(`costctl check --json:           ${fmt(check)}  (${ratio(check, floor)} of floor; target ≤ 1.50×)`);
  log(`check service in-process:       ${inProc.ms.toFixed(2)} ms median over 30 (${inProc.items} quota windows applied; target < 5 ms)`);
}
