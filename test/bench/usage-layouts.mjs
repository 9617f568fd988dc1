#!/usr/bin/env node
// What the usage row's layout costs to write (issue #20), against DuckDB's own read_csv into a table, in one
// process, interleaved: `node test/bench/usage-layouts.mjs [--rows N] [--dir DIR] [--reps R]`.
// The rows are a real ingest's usage table (ensureBenchDb), held in memory first so only the writing is
// timed; each layout is written into a fresh database file, as an ingest writes its rows. Layouts:
//   today            the usage table as it is
//   money-int64      the 7 money columns as DECIMAL(18,12) (8 bytes instead of 16; the source is converted
//                    before timing). NOT exact: costs carry up to 18 decimals (see the note printed)
//   no-components    input/output/cache read/cache write/base cost not stored (derived on read)
//   no-costs         no cost column, no price_rules, no unpriced_parts (everything derived on read)
//   dict-ids         the 15 repeated text columns as INTEGER ids (the id lookups themselves NOT timed)
//   no-line          no per-row line number
//   leanest          no-costs + dict-ids + no-line: the least a row could store
// Not a test: nothing asserts on time. CPU time is the figure to compare on a shared machine.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureBenchDb } from './generate.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(flag('--rows', '1000000'));
const reps = Number(flag('--reps', '2'));
const workDir = flag('--dir', undefined) ?? mkdtempSync(join(tmpdir(), 'costctl-layouts-'));

const MONEY = [
  'reported_cost',
  'input_cost',
  'output_cost',
  'cache_read_cost',
  'cache_write_cost',
  'base_cost',
  'total_cost',
];
const COMPONENTS = ['input_cost', 'output_cost', 'cache_read_cost', 'cache_write_cost', 'base_cost'];
const DERIVED = [...COMPONENTS, 'total_cost', 'price_rules', 'unpriced_parts'];
const TEXT = ['source', 'model', 'provider', 'cost_type', 'department', 'organization', 'project', 'request_type'];
const DICT = [...TEXT, 'currency', 'priced_model', 'price_rules', 'service_tier', 'speed', 'region', 'unpriced_parts'];
const LAYOUTS = {
  today: {},
  'money-int64': { money: 'DECIMAL(18,12)' },
  'no-components': { drop: COMPONENTS },
  'no-costs': { drop: DERIVED },
  'dict-ids': { dict: true },
  'no-line': { drop: ['line'] },
  leanest: { drop: [...DERIVED, 'line'], dict: true },
};

const source = await ensureBenchDb({ rows, workDir });
const csv = join(workDir, `bench-${rows}.csv`);
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
await c.run("SET memory_limit = '1500MB'");
// An in-memory database spills into ./.tmp by default: keep that in the work dir.
await c.run(`SET temp_directory = '${join(workDir, 'spill')}'`);
await c.run(`ATTACH '${source}' AS src (READ_ONLY)`);
await c.run('CREATE TEMP TABLE u AS SELECT * FROM src.usage');
// The int64 layout's money, converted once before timing (the conversion is not the layout's cost).
await c.run(
  `CREATE TEMP TABLE u18 AS SELECT * REPLACE (${MONEY.map((m) => `${m}::DECIMAL(18,12) AS ${m}`).join(', ')}) FROM u`,
);
await c.run('DETACH src');
const columns = (
  await c.runAndReadAll(
    "SELECT column_name AS n, data_type AS t FROM information_schema.columns WHERE table_name = 'u' ORDER BY ordinal_position",
  )
).getRowObjectsJson();
// How many decimals the stored costs really use: an int64 decimal keeps 18 digits in all.
const scale = (
  await c.runAndReadAll(
    `SELECT max(18 - length(regexp_extract(total_cost::VARCHAR, '0*$')))::INTEGER AS s, max(total_cost)::VARCHAR AS m FROM u`,
  )
).getRowObjectsJson()[0];

function layoutSql({ money, drop = [], dict = false }) {
  const defs = [];
  const select = [];
  for (const { n, t } of columns) {
    if (drop.includes(n)) continue;
    if (dict && DICT.includes(n)) {
      defs.push(`${n} INTEGER`);
      select.push(`(hash(${n}) % 1000)::INTEGER`);
    } else {
      defs.push(`${n} ${money && MONEY.includes(n) ? money : t}`);
      select.push(n);
    }
  }
  return { defs: defs.join(', '), select: select.join(', '), from: money ? 'temp.main.u18' : 'temp.main.u' };
}

async function timed(fn) {
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Runs `statements` in a fresh database file; returns the time and the file's size. */
async function inFreshFile(name, statements) {
  const file = join(workDir, `layout-${name}.duckdb`);
  for (const s of ['', '.wal']) rmSync(file + s, { force: true });
  await c.run(`ATTACH '${file}' AS w`);
  await c.run('USE w');
  const time = await timed(async () => {
    for (const s of statements) await c.run(s);
    await c.run('CHECKPOINT w');
  });
  await c.run('USE memory');
  await c.run('DETACH w');
  const bytes = statSync(file).size;
  rmSync(file, { force: true });
  return { ...time, bytes };
}

const runs = Object.fromEntries(['floor', ...Object.keys(LAYOUTS)].map((name) => [name, []]));
for (let r = 0; r < reps; r++) {
  runs.floor.push(await inFreshFile('floor', [`CREATE TABLE t AS SELECT * FROM read_csv('${csv}')`]));
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    const { defs, select, from } = layoutSql(layout);
    runs[name].push(
      await inFreshFile(name, [
        // As the ingest writes: any row order, both threads writing row groups.
        'SET preserve_insertion_order = false',
        `CREATE TABLE t (${defs})`,
        `INSERT INTO t SELECT ${select} FROM ${from}`,
        'RESET preserve_insertion_order',
      ]),
    );
  }
}
const mean = (xs, k) => xs.reduce((a, x) => a + x[k], 0) / xs.length;
const floorMs = mean(runs.floor, 'ms');
const floorCpu = mean(runs.floor, 'cpuMs');
console.log(`usage layouts: ${rows.toLocaleString('en-US')} rows, ${reps} run(s) each, interleaved`);
for (const [name, rs] of Object.entries(runs)) {
  const ms = mean(rs, 'ms');
  const cpu = mean(rs, 'cpuMs');
  console.log(
    `${name.padEnd(14)} wall ${(ms / 1000).toFixed(2)} s (${(ms / floorMs).toFixed(2)}×) · cpu ${(cpu / 1000).toFixed(2)} s (${(cpu / floorCpu).toFixed(2)}×) · ${(rs[0].bytes / 1e6).toFixed(0)} MB`,
  );
}
console.log(
  `stored total_cost uses up to ${scale.s} decimals (largest ${scale.m}); DECIMAL(18,x) holds 18 digits, so x = 18 caps a row at $0.99`,
);
if (!flag('--dir', undefined)) rmSync(workDir, { recursive: true, force: true });
