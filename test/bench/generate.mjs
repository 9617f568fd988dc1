// Deterministic native usage rows for benchmarks (and tests that need a big file): CSV or JSONL.
// `generate({ rows, path, format })` writes the file; `ensureBenchDb({ rows, workDir })` builds, once,
// workDir/bench-<rows>.duckdb with the bundled catalog and those rows ingested, for other benches.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'costctl.js');
const CATALOG = join(ROOT, 'fixtures', 'pricing', 'litellm-model-prices.json');

const MODELS = [
  'gpt-4o-mini',
  'gpt-4o-mini',
  'gpt-4o-mini',
  'claude-haiku-4-5',
  'claude-sonnet-4-5',
  'gpt-4.1-mini',
  'text-embedding-3-small',
  'acme-intent-classifier-v2',
];
const DEPARTMENTS = ['sales-east', 'sales-west', 'customer-success', 'marketing', 'ops'];
const TYPES = ['chat', 'chat', 'chat', 'summary', 'sop', 'embedding', 'batch'];
export const COLUMNS = [
  'request_id',
  'timestamp',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'user_id',
  'department',
  'account_id',
  'session_id',
  'request_type',
];
const START = Date.UTC(2026, 0, 1);

/** Row i, always the same for the same i (a small integer hash instead of a stateful PRNG). */
export function benchRow(i) {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = () => {
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    return h;
  };
  const model = MODELS[next() % MODELS.length];
  const user = next() % 500;
  return {
    request_id: `b-${i}`,
    timestamp: new Date(START + i * 250).toISOString(),
    model,
    input_tokens: 100 + (next() % 4000),
    output_tokens: model === 'text-embedding-3-small' ? 0 : 10 + (next() % 800),
    cache_read_tokens: model.startsWith('claude') ? next() % 20000 : 0,
    cache_write_tokens: model.startsWith('claude') && next() % 5 === 0 ? next() % 10000 : 0,
    user_id: `u-${user}`,
    department: DEPARTMENTS[user % DEPARTMENTS.length],
    account_id: `wx-${user % 120}`,
    session_id: `s-${Math.floor(i / 6)}`,
    request_type: model === 'text-embedding-3-small' ? 'embedding' : TYPES[next() % TYPES.length],
  };
}

/** Writes `rows` rows to `path` as `csv` or `jsonl`; returns the path. */
export function generate({ rows, path, format }) {
  if (format !== 'csv' && format !== 'jsonl') throw new Error(`format must be csv or jsonl (got ${format})`);
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  try {
    let buf = format === 'csv' ? `${COLUMNS.join(',')}\n` : '';
    for (let i = 1; i <= rows; i++) {
      const r = benchRow(i);
      buf += format === 'csv' ? `${COLUMNS.map((c) => r[c]).join(',')}\n` : `${JSON.stringify(r)}\n`;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

function costctl(args, db) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, COSTCTL_DB: db, TZ: 'UTC', NO_COLOR: '1', COSTCTL_NOW: '2026-06-01T00:00:00Z' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`costctl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

/** workDir/bench-<rows>.duckdb with the bundled catalog and `rows` generated rows; built once. */
export async function ensureBenchDb({ rows, workDir }) {
  const db = join(workDir, `bench-${rows}.duckdb`);
  if (existsSync(db)) return db;
  const building = `${db}.building`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  const csv = join(workDir, `bench-${rows}.csv`);
  if (!existsSync(csv)) generate({ rows, path: csv, format: 'csv' });
  costctl(['models', 'import', CATALOG], building);
  costctl(['ingest', csv, '--json'], building);
  renameSync(building, db);
  return db;
}

// `node test/bench/generate.mjs ROWS PATH csv|jsonl`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [rows, path, format] = process.argv.slice(2);
  generate({ rows: Number(rows), path, format });
}
