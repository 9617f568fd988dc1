// `costctl serve` on loopback: records per second and check latency (p50/p99) at 1, 4 and 16 concurrent
// clients, beside the per-process CLI (`costctl record` / `costctl check` spawned per request) on a copy
// of the same database in the same run. Bounded in request count. Not a test: nothing asserts on time.
// Uses its own small database (a model, two quotas): the serve path's cost is per request, not per row.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, medianOf, startServer, stopServer, timeNode } from './bench-util.mjs';

const LEVELS = [1, 4, 16];
// COSTCTL_BENCH_SERVE_N: fewer requests per level for a quick look (default 800).
const PER_LEVEL = Number(process.env.COSTCTL_BENCH_SERVE_N ?? 800);
const RECORDS_PER_LEVEL = PER_LEVEL;
const CHECKS_PER_LEVEL = PER_LEVEL;
const CLI_RUNS = 5;
const ENV = { COSTCTL_NOW: '2026-03-02T12:00:00Z', NO_COLOR: '1' };

/**
 * The server process's CPU time so far (user + sys, ms) from /proc: unlike wall time, other engineers'
 * load on the shared host barely changes it, so per-1,000-request CPU is the figure to compare.
 */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function post(server, path, body) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `total` requests split over `clients` sequential loops; per-request latencies and the wall time. */
async function drive(clients, total, send) {
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; i < total; i += clients) {
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { wallMs: performance.now() - started, sorted: latencies.sort((a, b) => a - b) };
}

export async function run({ workDir, log }) {
  const dir = mkdtempSync(join(workDir, 'serve-'));
  const db = join(dir, 'serve.duckdb');
  const cliDb = join(dir, 'cli.duckdb');
  const env = { ...ENV, COSTCTL_DB: db };
  timeNode(
    [
      BIN,
      'models',
      'add',
      'm',
      '--provider',
      'b',
      '--input-price',
      '0.001',
      '--output-price',
      '0.002',
      '--effective-from',
      '2020-01-01',
    ],
    env,
  );
  timeNode([BIN, 'quotas', 'add', 'users', '--scope', 'global', '--period', 'monthly', '--limit', '1000000'], env);
  timeNode([BIN, 'quotas', 'add', 'u1', '--scope', 'user:u1', '--period', 'daily', '--limit', '1000000'], env);
  copyFileSync(db, cliDb);

  // The per-process CLI, one spawned command per request.
  let n = 0;
  const cliRecord = medianOf(CLI_RUNS, () =>
    timeNode([BIN, 'record', '--model', 'm', '--user', 'u1', '--input-tokens', '100', '--request-id', `cli-${n++}`], {
      ...ENV,
      COSTCTL_DB: cliDb,
    }),
  );
  const cliCheck = medianOf(CLI_RUNS, () =>
    timeNode([BIN, 'check', '--user', 'u1', '--model', 'm', '--input-tokens', '100', '--max-output-tokens', '100'], {
      ...ENV,
      COSTCTL_DB: cliDb,
    }),
  );
  log(
    `cli (a process per request): record ${cliRecord.toFixed(0)} ms → ${(1000 / cliRecord).toFixed(1)} records/s; check ${cliCheck.toFixed(0)} ms`,
  );

  const server = await startServer(db, ENV);
  try {
    let id = 0;
    for (const clients of LEVELS) {
      const cpu0 = cpuMsOf(server.child.pid);
      const rec = await drive(clients, RECORDS_PER_LEVEL, () =>
        post(server, '/api/v1/cost/records', { request_id: `r-${id++}`, model: 'm', user_id: 'u1', input_tokens: 100 }),
      );
      const cpu1 = cpuMsOf(server.child.pid);
      const chk = await drive(clients, CHECKS_PER_LEVEL, (i) =>
        // Distinct request ids, each holding for 30 s: the holds build up as a gateway's would.
        post(server, '/api/v1/cost/check', {
          request_id: `c-${clients}-${i}`,
          user: 'u1',
          model: 'm',
          input_tokens: 100,
          max_output_tokens: 100,
        }),
      );
      const cpu2 = cpuMsOf(server.child.pid);
      log(
        `serve, ${String(clients).padStart(2)} client(s): records ${((RECORDS_PER_LEVEL / rec.wallMs) * 1000).toFixed(0)}/s ` +
          `(p50 ${pct(rec.sorted, 50).toFixed(1)} ms, p99 ${pct(rec.sorted, 99).toFixed(1)} ms); ` +
          `checks ${((CHECKS_PER_LEVEL / chk.wallMs) * 1000).toFixed(0)}/s, p50 ${pct(chk.sorted, 50).toFixed(2)} ms, p99 ${pct(chk.sorted, 99).toFixed(2)} ms; load ${loadavg()[0].toFixed(1)}; ` +
          `server CPU ${(((cpu1 - cpu0) * 1000) / RECORDS_PER_LEVEL).toFixed(0)} ms per 1,000 records, ` +
          `${(((cpu2 - cpu1) * 1000) / CHECKS_PER_LEVEL).toFixed(0)} ms per 1,000 checks`,
      );
    }
    // One POST of many records: what a gateway that buffers a few ms sends.
    const many = Array.from({ length: 1000 }, () => ({
      request_id: `b-${id++}`,
      model: 'm',
      user_id: 'u1',
      input_tokens: 100,
    }));
    const cpu0 = cpuMsOf(server.child.pid);
    const t0 = performance.now();
    await post(server, '/api/v1/cost/records', many);
    const ms = performance.now() - t0;
    log(
      `serve, one POST of 1000 records: ${ms.toFixed(0)} ms → ${(1000 / (ms / 1000)).toFixed(0)} records/s; ` +
        `server CPU ${(cpuMsOf(server.child.pid) - cpu0).toFixed(0)} ms`,
    );
  } finally {
    await stopServer(server);
  }
}
