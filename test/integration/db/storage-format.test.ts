// The storage format of costctl's database files (src/db/duckdb.ts FILE_OPTIONS, #20): a file costctl
// creates is in DuckDB's v1.3.0 format (text written with DICT_FSST); a file made before keeps its own
// format and every row; `backup` then `restore` rewrites an old file in the new format with every row.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Db, withDatabase } from '../../../src/db/database.js';
import { backupDatabase, restoreDatabase, summarizeTables } from '../../../src/services/ops/backup.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertPricedUsage } from '../../helpers/seed.js';
import { tempDbPath, tempDir } from '../../helpers/temp.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const open = <T>(path: string, fn: (db: Db) => Promise<T>) => withDatabase(path, { lockTimeoutMs: 5_000 }, fn);

/**
 * The storage version number in DuckDB's main file header (the magic "DUCK" at byte 8, the number after
 * it): 64 for the v0.10.2 format DuckDB creates by default, 66 for v1.3.0.
 */
function storageVersion(path: string): number {
  const head = readFileSync(path).subarray(0, 20);
  expect(head.subarray(8, 12).toString('latin1')).toBe('DUCK');
  return Number(head.readBigUInt64LE(12));
}
const V0_10_2 = 64;
const V1_3_0 = 66;

/** How DuckDB compresses 100k rows of repeated text written to this file (the table is dropped after). */
async function textCompressions(db: Db): Promise<string[]> {
  await db.run(`CREATE TABLE format_probe AS SELECT 'user-' || (range % 7) AS user_id FROM range(100000)`);
  await db.run('CHECKPOINT');
  const rows = await db.all<{ c: string }>(
    `SELECT DISTINCT compression AS c FROM pragma_storage_info('format_probe') WHERE segment_type = 'VARCHAR'`,
  );
  await db.run('DROP TABLE format_probe');
  return rows.map((r) => r.c);
}

const rows = (db: Db) =>
  db.all('SELECT request_id, model, user_id, total_cost::VARCHAR AS cost FROM usage ORDER BY request_id');

const USAGE = Array.from({ length: 20 }, (_, i) => ({
  request_id: `r-${i}`,
  ts: '2026-03-01 10:00:00',
  model: 'gpt-x',
  user_id: `user-${i % 7}`,
  input_tokens: 1_000_000 + i,
  output_tokens: 7,
}));

describe('storage format', () => {
  it('a database costctl creates is in the v1.3.0 format, its text in DICT_FSST', async () => {
    const path = tempDbPath();
    await open(path, async (db) => {
      await addTokenModel(db, 'gpt-x', 'openai', { input: '2.000001', output: '8' });
      await insertPricedUsage(db, USAGE);
      expect(await textCompressions(db)).toContain('DICT_FSST');
    });
    expect(storageVersion(path)).toBe(V1_3_0);
  });

  it('a file made before keeps its format and its rows; backup then restore rewrites it in v1.3.0', async () => {
    // Built by fd6f528 (fixtures/db/README.md) with DuckDB's default format.
    const old = tempDbPath();
    writeFileSync(old, gunzipSync(readFileSync(join(FIXTURES, 'db', 'main-fd6f528.duckdb.gz'))));
    expect(storageVersion(old)).toBe(V0_10_2);
    const dir = join(tempDir(), 'bk');
    const before = await open(old, async (db) => {
      await addTokenModel(db, 'gpt-x', 'openai', { input: '2.000001', output: '8' });
      await insertPricedUsage(db, USAGE);
      expect(await textCompressions(db)).toEqual(['Dictionary']);
      await backupDatabase(db, dir, new Date('2026-03-05T00:00:00Z'));
      return { summary: await summarizeTables(db), rows: await rows(db) };
    });
    expect(storageVersion(old)).toBe(V0_10_2);
    expect(before.rows).toHaveLength(398 + USAGE.length);

    const restored = tempDbPath();
    await restoreDatabase(dir, restored, { force: false, lockTimeoutMs: 5_000 });
    expect(storageVersion(restored)).toBe(V1_3_0);
    await open(restored, async (db) => {
      expect(await summarizeTables(db)).toEqual(before.summary);
      expect(await rows(db)).toEqual(before.rows);
    });
  });
});
