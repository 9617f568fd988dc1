// The Claude Code folder case of `npm run bench -- --only ingest` (#20): costctl against ccusage 20.0.24
// (`daily --offline --json`) on the same folder, measured in the same run:
//   1. first run: `costctl ingest <folder>` into a database holding only the catalog, vs ccusage;
//   2. a re-run after one new session appears, vs ccusage reading the folder again;
//   3. a re-run with nothing new;
//   4. the daily report from the database (`costctl report trend --by day --json`) vs ccusage;
// then 1–4 again with `costctl serve` owning the database, so that each command is a small process that
// sends it to the server (src/cli/forward.ts) and node's start, DuckDB's and the file's open are paid once.
// Wall and CPU time of each child (CPU: user + sys of the waited-for child, from /proc/self/stat).
// Not a test: nothing asserts on time. The totals of both tools are printed side by side as a check.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, startServer, stopServer } from './bench-util.mjs';
import { writeClaudeCorpus } from './claude-corpus.mjs';

const CCUSAGE_VERSION = '20.0.24';

/**
 * ccusage's CLI, installed from the npm registry on the bench's first run into a folder of its own. It is
 * not a devDependency: it ships one optional binary package per platform, and the lock file npm writes
 * here keeps only this machine's, which `npm ci` on a clean clone then refuses.
 */
function ccusageCli() {
  const dir = join(tmpdir(), `costctl-bench-ccusage-${CCUSAGE_VERSION}`);
  const cli = join(dir, 'node_modules', 'ccusage', 'src', 'cli.js');
  if (!existsSync(cli)) {
    const r = spawnSync(
      'npm',
      ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0 || !existsSync(cli))
      throw new Error(`bench: could not install ccusage@${CCUSAGE_VERSION} into ${dir}`);
  }
  return cli;
}
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds of this process's waited-for children so far (cutime + cstime). */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

function timed(args, env) {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { ms, cpuMs: childrenCpuMs() - cpu0, stdout: r.stdout, stderr: r.stderr };
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const x = (a, b) => `${(a / b).toFixed(2)}×`;
const line = (name, t) => `${name} ${s(t.ms)} (cpu ${s(t.cpuMs)})`;

/**
 * A fresh Claude Code folder of `copies` copies of the sample under workDir, a database holding only the
 * catalog, and how each side runs against them: ccusage on the folder, costctl on the database.
 */
function claudeSetup({ workDir, catalogDb, copies, dbName }) {
  const home = join(workDir, `claude-${copies}`);
  rmSync(home, { recursive: true, force: true });
  writeClaudeCorpus({ dir: home, count: copies });
  const folder = join(home, 'projects');
  const env = { CLAUDE_CONFIG_DIR: home };
  const cli = ccusageCli();
  const db = join(workDir, dbName);
  for (const suffix of ['', '.wal']) rmSync(db + suffix, { force: true });
  copyFileSync(catalogDb, db);
  const costctl = (...args) => timed([BIN, ...args], { COSTCTL_DB: db, COSTCTL_NOW: '2026-04-01T00:00:00Z' });
  const ccusage = () => timed([cli, 'daily', '--offline', '--json'], env);
  return { home, folder, db, costctl, ccusage };
}

/**
 * The four steps on a fresh folder: the first run, a re-run after one new session, a re-run with nothing
 * new, the daily report; each against ccusage where the goal names it. `cpu`: print CPU ratios too (not
 * when a server does the work: its CPU is not a waited-for child's).
 */
function fourSteps({ home, folder, costctl, ccusage }, copies, log, cpu) {
  const ratios = (a, b) => `ratio ${x(a.ms, b.ms)} wall${cpu ? `, ${x(a.cpuMs, b.cpuMs)} cpu` : ''}`;
  ccusage(); // warm the page cache for both
  const ccFirst = ccusage();
  const first = costctl('ingest', folder, '--json');
  log(
    `  first run: ${line('costctl ingest', first)} · ${line('ccusage daily', ccFirst)} · ${ratios(first, ccFirst)} (goal ≤ 1×)`,
  );
  log(
    `  totals: costctl ${JSON.parse(first.stdout).total_cost} USD · ccusage ${JSON.parse(ccFirst.stdout).totals.totalCost} USD`,
  );

  writeClaudeCorpus({ dir: home, first: copies, count: 1, only: '4d5611e5' });
  const ccNew = ccusage();
  const grown = costctl('ingest', folder, '--json');
  log(
    `  re-run after one new session: ${line('costctl ingest', grown)} · ${line('ccusage daily', ccNew)} · ${ratios(grown, ccNew)} (goal ≤ 0.5×)`,
  );
  const same = costctl('ingest', folder, '--json');
  log(`  re-run with nothing new: ${line('costctl ingest', same)} · ${ratios(same, ccNew)} to ccusage`);
  const report = costctl('report', 'trend', '--by', 'day', '--window', '2026-01-01..2026-12-31', '--json');
  log(
    `  daily report from the database: ${line('costctl report trend', report)} · ${ratios(report, ccNew)} to ccusage`,
  );
  return { copies, first, ccFirst, grown, ccNew, same, report };
}

export async function runClaudeCode({ workDir, log, catalogDb, copies = 20 }) {
  const setup = claudeSetup({ workDir, catalogDb, copies, dbName: 'claude-code.duckdb' });
  log(`Claude Code folder: ${copies} copies of the spotter sample (${sizeMb(setup.folder)} MB)`);
  const result = fourSteps(setup, copies, log, true);
  rmSync(setup.home, { recursive: true, force: true });
  for (const suffix of ['', '.wal']) rmSync(setup.db + suffix, { force: true });
  return result;
}

/**
 * The same four steps on a fresh folder and database, with `costctl serve` owning the database: every
 * `costctl` is then a small process that sends the command to the server (wall time only).
 */
export async function runClaudeCodeServed({ workDir, log, catalogDb, copies = 20 }) {
  const setup = claudeSetup({ workDir, catalogDb, copies, dbName: 'claude-code-served.duckdb' });
  const server = await startServer(setup.db, { TZ: 'UTC', NO_COLOR: '1', COSTCTL_NOW: '2026-04-01T00:00:00Z' });
  try {
    log(`Claude Code folder, through costctl serve (${server.url}):`);
    return fourSteps(setup, copies, log, false);
  } finally {
    await stopServer(server);
    rmSync(setup.home, { recursive: true, force: true });
    for (const suffix of ['', '.wal', '.serve-token']) rmSync(setup.db + suffix, { force: true });
  }
}

/**
 * `--claude-scale N` (not in the default run: at N = 10 it writes ~1.3 GB and takes minutes): N × the
 * default folder, ingested once, then the daily report from the database against ccusage reading the
 * folder, `runs` times each back to back; medians of wall and CPU time.
 */
export async function runClaudeScale({ workDir, log, catalogDb, scale, runs = 3 }) {
  const copies = 20 * scale;
  const { home, folder, db, costctl, ccusage } = claudeSetup({
    workDir,
    catalogDb,
    copies,
    dbName: `claude-code-${copies}.duckdb`,
  });
  log(`Claude Code folder ×${scale}: ${copies} copies of the spotter sample (${sizeMb(folder)} MB)`);
  const ingest = costctl('ingest', folder, '--json');
  log(`  ingest once: ${line('costctl ingest', ingest)} · total ${JSON.parse(ingest.stdout).total_cost} USD`);
  const reports = [];
  const ccs = [];
  for (let i = 0; i < runs; i++) {
    reports.push(costctl('report', 'trend', '--by', 'day', '--window', '2026-01-01..2026-12-31', '--json'));
    ccs.push(ccusage());
  }
  const median = (list, k) => [...list].sort((a, b) => a[k] - b[k])[Math.floor(list.length / 2)][k];
  const report = { ms: median(reports, 'ms'), cpuMs: median(reports, 'cpuMs') };
  const cc = { ms: median(ccs, 'ms'), cpuMs: median(ccs, 'cpuMs') };
  const sum = (rows) => rows.reduce((n, r) => n + Number(r.total_cost), 0);
  log(
    `  daily report (median of ${runs}): ${line('costctl report trend', report)} · ${line('ccusage daily', cc)} · ccusage / costctl ${x(cc.ms, report.ms)} wall, ${x(cc.cpuMs, report.cpuMs)} cpu (goal ≥ 10×)`,
  );
  log(
    `  totals: costctl ${sum(JSON.parse(reports[0].stdout)).toFixed(2)} USD over the days · ccusage ${JSON.parse(ccs[0].stdout).totals.totalCost.toFixed(2)} USD`,
  );
  rmSync(home, { recursive: true, force: true });
  for (const suffix of ['', '.wal']) rmSync(db + suffix, { force: true });
  return { scale, copies, ingest, report, ccusage: cc, runs: { reports, ccusage: ccs } };
}

function sizeMb(dir) {
  const r = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return r.stdout.split('\t')[0];
}
