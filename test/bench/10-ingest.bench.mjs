// Ingest throughput against DuckDB's own floor, in the same run: for a generated native CSV and JSONL file
// of N rows (and of 1M rows too when N is larger: the default N = 10M prints both), (1) `CREATE TABLE … AS SELECT * FROM read_csv(…)` / `read_json(…)` in a child process, and
// (2) `costctl ingest FILE` spawned as a user runs it, into a database holding only the catalog.
// Prints wall and CPU time, the ratio (target ≤ 1.5×) and each child's peak RSS (target < 2 GiB).
// Leaves workDir/bench-<rows>.duckdb (catalog + the CSV rows) for later benches, as ensureBenchDb would.
// Then the Claude Code folder against ccusage (claude-code-ingest.mjs). Not a test: nothing asserts on time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClaudeCode, runClaudeCodeServed, runClaudeScale } from './claude-code-ingest.mjs';
import { generate } from './generate.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const BIN = join(ROOT, 'bin', 'costctl.js');
const CATALOG = join(ROOT, 'fixtures', 'pricing', 'litellm-model-prices.json');
const { FILE_OPTIONS } = await import(join(ROOT, 'dist', 'src', 'db', 'duckdb.js'));
const FORMAT = FILE_OPTIONS.storage_compatibility_version;

// How each child reports: its wall time since t, CPU time and peak RSS, on stderr.
const REPORT = `const u = process.resourceUsage();
process.stderr.write('BENCH ' + JSON.stringify({ ms: performance.now() - t, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }) + '\\n');`;

// A child that runs one piece of work and reports its own wall time, CPU time and peak RSS on stderr.
// The floor runs twice: in DuckDB's default storage format, as a user of DuckDB alone gets it, and in the
// format costctl creates its files in (src/db/duckdb.ts FILE_OPTIONS), which writes text more cheaply.
const FLOOR_CHILD = `
import { DuckDBInstance } from '@duckdb/node-api';
const [db, file, kind, format] = process.argv.slice(1);
const t = performance.now();
const inst = await DuckDBInstance.create(db, format ? { storage_compatibility_version: format } : {});
const c = await inst.connect();
await c.run(kind === 'csv'
  ? "CREATE TABLE t AS SELECT * FROM read_csv('" + file + "')"
  : "CREATE TABLE t AS SELECT * FROM read_json('" + file + "', format = 'newline_delimited')");
c.closeSync(); inst.closeSync();
${REPORT}
`;
// The cost of writing costctl's own rows alone: the usage table an ingest produced, copied as it is into
// a fresh database (37 columns, 16 of them text, against the floor's 12). No pipeline can ingest faster
// than it writes its rows, so this says how much of the ratio the schema itself takes.
const WRITE_CHILD = `
import { DuckDBInstance } from '@duckdb/node-api';
const [db, source, format] = process.argv.slice(1);
const t = performance.now();
const inst = await DuckDBInstance.create(db, { storage_compatibility_version: format });
const c = await inst.connect();
await c.run("SET memory_limit = '1000MB'");
await c.run("SET preserve_insertion_order = false");
await c.run("ATTACH '" + source + "' AS src (READ_ONLY)");
await c.run('CREATE TABLE u AS SELECT * FROM src.usage');
c.closeSync(); inst.closeSync();
${REPORT}
`;
const COSTCTL_CHILD = `
const t = performance.now();
process.argv = [process.argv[0], ${JSON.stringify(BIN)}, ...process.argv.slice(1)];
process.on('exit', () => {
  ${REPORT}
});
await import(${JSON.stringify(MAIN)});
`;

function measure(script, args, env = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = r.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (r.status !== 0 || !line) throw new Error(`bench child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { ...JSON.parse(line.slice(6)), stdout: r.stdout };
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

export async function run({ rows, workDir, log, claudeScale, reps = 3 }) {
  const catalogDb = join(workDir, 'ingest-catalog.duckdb');
  if (!existsSync(catalogDb)) {
    const r = spawnSync(process.execPath, [BIN, 'models', 'import', CATALOG], {
      env: { ...process.env, COSTCTL_DB: catalogDb },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const results = [];
  // The figures are at 1M and 10M rows: one run measures 1M as well whenever it is asked for more.
  const sizes = rows > 1_000_000 ? [1_000_000, rows] : [rows];
  for (const size of sizes)
    results.push(
      ...(await runNative({
        rows: size,
        workDir,
        log,
        catalogDb,
        keep: size === rows,
        reps: size > 1_000_000 ? 1 : reps,
      })),
    );
  const claude = await runClaudeCode({ workDir, log, catalogDb });
  const served = await runClaudeCodeServed({ workDir, log, catalogDb });
  const scaled = claudeScale ? await runClaudeScale({ workDir, log, catalogDb, scale: claudeScale }) : undefined;
  writeFileSync(
    join(workDir, `10-ingest-${rows}.json`),
    JSON.stringify({ native: results, claude, served, scaled }, null, 2),
  );
  return results;
}

/** The run of median wall time among `runs` (its CPU and peak go with it), and the range of wall times. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], minMs: sorted[0].ms, maxMs: sorted.at(-1).ms };
}
const spread = (r) => (r.minMs === r.maxMs ? '' : ` [${fmt(r.minMs)}–${fmt(r.maxMs)}]`);

/**
 * Native CSV and JSONL of `rows` rows against DuckDB's readers, `reps` times alternated (medians);
 * `keep`: leave the CSV database for later benches.
 */
async function runNative({ rows, workDir, log, catalogDb, keep, reps }) {
  const results = [];
  for (const format of ['csv', 'jsonl']) {
    const file = join(workDir, `bench-${rows}.${format}`);
    if (!existsSync(file)) {
      const t = Date.now();
      generate({ rows, path: file, format });
      log(`generated ${file} in ${fmt(Date.now() - t)}`);
    }
    const floorDb = join(workDir, `floor-${format}.duckdb`);
    const ingestDb = join(workDir, `ingest-${format}.duckdb`);
    const kind = format === 'csv' ? 'csv' : 'json';
    const runs = { floor: [], sameFormat: [], ingest: [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const p of [floorDb, ingestDb]) for (const s of ['', '.wal']) rmSync(p + s, { force: true });
      copyFileSync(catalogDb, ingestDb);
      runs.floor.push(measure(FLOOR_CHILD, [floorDb, file, kind]));
      for (const s of ['', '.wal']) rmSync(floorDb + s, { force: true });
      runs.sameFormat.push(measure(FLOOR_CHILD, [floorDb, file, kind, FORMAT]));
      runs.ingest.push(measure(COSTCTL_CHILD, ['ingest', file, '--json'], { COSTCTL_DB: ingestDb }));
    }
    const floor = medianRun(runs.floor);
    const sameFormat = medianRun(runs.sameFormat);
    const ingest = medianRun(runs.ingest);
    const report = JSON.parse(runs.ingest.at(-1).stdout);
    const loaded = report.files[0].rows_loaded;
    const ratio = ingest.ms / floor.ms;
    const cpuRatio = ingest.cpuMs / floor.cpuMs;
    const sameRatio = ingest.ms / sameFormat.ms;
    const sameCpuRatio = ingest.cpuMs / sameFormat.cpuMs;
    const of = reps > 1 ? ` (median of ${reps} alternated runs [range])` : '';
    log(
      `${format.toUpperCase()} ${rows.toLocaleString('en-US')} rows${of}: floor ${fmt(floor.ms)}${spread(floor)} (cpu ${fmt(floor.cpuMs)}, peak ${Math.round(floor.maxRssMb)} MB) · ` +
        `costctl ingest ${fmt(ingest.ms)}${spread(ingest)} (cpu ${fmt(ingest.cpuMs)}, peak ${Math.round(ingest.maxRssMb)} MB, ${loaded.toLocaleString('en-US')} loaded) · ` +
        `ratio ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× cpu (target ≤ 1.5×; peak < 2048 MB)`,
    );
    log(
      `  floor in costctl's storage format (${FORMAT}): ${fmt(sameFormat.ms)}${spread(sameFormat)} (cpu ${fmt(sameFormat.cpuMs)}) · ratio ${sameRatio.toFixed(2)}× wall, ${sameCpuRatio.toFixed(2)}× cpu`,
    );
    const writeDb = join(workDir, `write-${format}.duckdb`);
    const write = measure(WRITE_CHILD, [writeDb, ingestDb, FORMAT]);
    for (const s of ['', '.wal']) rmSync(writeDb + s, { force: true });
    log(
      `  writing the same ${loaded.toLocaleString('en-US')} usage rows alone (copied table to table): ${fmt(write.ms)} = ${(write.ms / sameFormat.ms).toFixed(2)}× the floor in the same format`,
    );
    results.push({
      format,
      rows,
      floor,
      sameFormat,
      ingest: { ms: ingest.ms, cpuMs: ingest.cpuMs, maxRssMb: ingest.maxRssMb },
      write: { ms: write.ms },
      ratio,
      cpuRatio,
      sameRatio,
      sameCpuRatio,
      loaded,
    });
    rmSync(floorDb, { force: true });
    // The CSV run leaves exactly what ensureBenchDb builds: keep it for the benches that follow.
    const reusable = join(workDir, `bench-${rows}.duckdb`);
    if (keep && format === 'csv' && !existsSync(reusable)) renameSync(ingestDb, reusable);
    else rmSync(ingestDb, { force: true });
  }
  return results;
}
