// `costctl check` against 1,000 quotas and N usage rows: median wall time of the spawned command vs the
// floor (a bare node process opening the same file and running `select 1`), and the in-process check
// service median. Benchmarks are not tests: nothing here asserts on time.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, floorArgs, fmt, median, medianOf, ratio, timeNode } from './bench-util.mjs';

const USERS = 1000;
const DAYS = 90;

/**
 * The bench database: the ingest engineer's shared bench DB (test/bench/generate.mjs, real ingest of
 * generated rows) copied to our own folder, or, when that module is absent, synthetic rows inserted
 * directly. Either way 1,000 quotas over every scope type and a directory are added. Returns the
 * database, the instant to check at (the end of the data) and a user and model that exist in it.
 */
async function prepareDb(rows, workDir) {
  const dir = mkdtempSync(join(workDir, 'check-'));
  const db = join(dir, 'check.duckdb');
  let now;
  let model;
  const generator = join(ROOT, 'test', 'bench', 'generate.mjs');
  if (existsSync(generator)) {
    const { ensureBenchDb } = await import(pathToFileURL(generator).href);
    copyFileSync(await ensureBenchDb({ rows, workDir }), db);
    // generate.mjs spaces rows 250 ms apart from 2026-01-01.
    now = new Date(Date.UTC(2026, 0, 1) + rows * 250).toISOString();
    model = 'gpt-4o-mini';
  } else {
    now = '2026-03-31T12:00:00Z';
    model = 'bench-model';
    timeNode(
      [
        BIN,
        'models',
        'add',
        model,
        '--provider',
        'bench',
        '--input-price',
        '0.001',
        '--output-price',
        '0.002',
        '--effective-from',
        '2020-01-01',
      ],
      { COSTCTL_DB: db },
    );
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  await c.run("SET TimeZone = 'UTC'");
  if (model === 'bench-model') {
    // Synthetic, time-ordered usage rows straight into the table (the way a bulk ingest lays them out).
    const spanMs = DAYS * 86_400_000;
    const start = Date.parse(now) - spanMs;
    await c.run(`INSERT INTO usage (source, request_id, ts, model, input_tokens, output_tokens, requests, user_id, department, project,
        account_id, unpriced, total_cost, priced_model, price_version)
      SELECT 'bench', 'r-' || i, make_timestamp((${start}::BIGINT + (i * ${spanMs}::BIGINT) // ${rows}::BIGINT) * 1000),
        'bench-model', 1000 + i % 700, 200 + i % 300, 1, 'u-' || (i % ${USERS}),
        CASE WHEN i % 2 = 0 THEN 'dept-' || (i % ${USERS}) % 50 END, 'proj-' || (i % 20), 'acct-' || (i % 100), false,
        ((i % 100) * 0.0001)::DECIMAL(38,18), 'bench-model', 1
      FROM range(${rows}) t(i)`);
  }
  // Departments/accounts as both data sets name them; the directory adds organizations and projects.
  const dept = (i) =>
    model === 'bench-model'
      ? `'dept-' || ${i} % 50`
      : `list_extract(['sales-east','sales-west','customer-success','marketing','ops'], (${i} % 5) + 1)`;
  const acct = (i) => (model === 'bench-model' ? `'acct-' || ${i} % 100` : `'wx-' || ${i} % 120`);
  await c.run(
    `INSERT INTO directory SELECT 'u-' || i, ${dept('i')}, 'org-' || i % 5, 'proj-' || i % 20, NULL, now()::TIMESTAMP FROM range(${USERS}) t(i)`,
  );
  // 1,000 quotas over every scope type; limits high enough that the check is allowed (exit 0).
  await c.run(`INSERT INTO quotas (name, scope_type, scope_value, metric, period, limit_amount, daily_limit, hourly_limit,
      warning_threshold, critical_threshold, enforcement, model, recipients, created_at, updated_at)
    SELECT 'q-' || i,
      CASE WHEN i < 600 THEN 'user' WHEN i < 800 THEN 'department' WHEN i < 900 THEN 'project' WHEN i < 950 THEN 'account' WHEN i < 999 THEN 'organization' ELSE 'global' END,
      CASE WHEN i < 600 THEN 'u-' || i WHEN i < 800 THEN ${dept('i')} WHEN i < 900 THEN 'proj-' || i % 20 WHEN i < 950 THEN ${acct('i')} WHEN i < 999 THEN 'org-' || i % 5 END,
      'cost', CASE i % 3 WHEN 0 THEN 'monthly' WHEN 1 THEN 'weekly' ELSE 'daily' END, 1e12, CASE WHEN i % 3 < 2 THEN 1e11 END, 1e10,
      0.8, 0.95, 'hard', NULL, '[]', now()::TIMESTAMP, now()::TIMESTAMP
    FROM range(1000) t(i)`);
  const count = await c.runAndReadAll('SELECT count(*)::VARCHAR AS n FROM usage');
  c.closeSync();
  instance.closeSync();
  // The directory and quotas went in behind costctl's back: rebuild the rollup as costctl would after
  // a directory import (and time it: that is what a directory import or reprice costs at this size).
  const rollupMs = await rebuildRollupTimed(db);
  return {
    db,
    now,
    model,
    source: model === 'bench-model' ? 'synthetic rows' : 'generate.mjs ingest',
    usageRows: count.getRowObjectsJson()[0].n,
    rollupMs,
  };
}

async function rebuildRollupTimed(db) {
  const dist = (p) => pathToFileURL(join(ROOT, 'dist', p)).href;
  const { withDatabase } = await import(dist('src/db/database.js'));
  const { rebuildRollup } = await import(dist('src/services/limits/rollup.js'));
  return withDatabase(db, { lockTimeoutMs: 5000 }, async (handle) => {
    const t = process.hrtime.bigint();
    await rebuildRollup(handle, 'UTC', new Date());
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const n = await handle.one('SELECT count(*)::VARCHAR AS n FROM usage_rollup');
    return { ms, buckets: Number(n.n) };
  });
}

async function inProcessMedian(db, runs, now, model) {
  const dist = (p) => pathToFileURL(join(ROOT, 'dist', p)).href;
  const { withDatabase } = await import(dist('src/db/database.js'));
  const { checkRequest } = await import(dist('src/services/limits/check.js'));
  const { requestUnits } = await import(dist('src/domain/pricing.js'));
  return withDatabase(db, { lockTimeoutMs: 5000 }, async (handle) => {
    const req = {
      user: 'u-17',
      model,
      units: requestUnits({ inputTokens: 1000n, outputTokens: 500n }),
      at: new Date(now),
      tz: 'UTC',
      allowUnpriced: false,
    };
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
  if (!existsSync(join(ROOT, 'dist', 'src', 'services', 'check.js')))
    throw new Error('build first: npx tsc -p tsconfig.build.json');
  const t0 = Date.now();
  const { db, now, model, source, usageRows, rollupMs } = await prepareDb(rows, workDir);
  log(
    `setup: ${Number(usageRows).toLocaleString('en-US')} usage rows (${source}), 1,000 quotas, ${USERS} directory users (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  log(`rollup rebuild: ${(rollupMs.ms / 1000).toFixed(1)} s, ${rollupMs.buckets.toLocaleString('en-US')} buckets`);
  const env = { COSTCTL_DB: db, COSTCTL_NOW: now, COSTCTL_TZ: 'UTC' };
  const args = [
    BIN,
    'check',
    '--user',
    'u-17',
    '--model',
    model,
    '--input-tokens',
    '1000',
    '--max-output-tokens',
    '500',
    '--json',
  ];
  const runs = 9;
  const floor = medianOf(runs, () => timeNode(floorArgs(db, 'select 1')));
  const check = medianOf(runs, () => timeNode(args, env));
  const inProc = await inProcessMedian(db, 30, now, model);
  log(`floor (node + open + select 1): ${fmt(floor)}`);
  log(`costctl check --json:           ${fmt(check)}  (${ratio(check, floor)} of floor; target ≤ 1.50×)`);
  log(
    `check service in-process:       ${inProc.ms.toFixed(2)} ms median over 30 (${inProc.items} quota windows applied; target < 5 ms)`,
  );
}
