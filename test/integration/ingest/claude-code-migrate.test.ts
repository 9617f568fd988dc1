// A database built by the code before #20 (fixtures/db/main-fd6f528.duckdb.gz, schema 9) opens with the
// current code: migration 016 adds the file positions in place and every stored total is unchanged. The
// exactly-once key is unchanged too: ingesting the same Claude Code folder again (now read through the
// batch reader, with no positions yet) adds only what the old reader did not read — the 5 sub-agent
// responses that only subagent.jsonl's progress lines carry — and nothing twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Db, withDatabase } from '../../../src/db/database.js';
import { tempDbPath } from '../../helpers/temp.js';
import { FIXTURES, SAMPLES, ingest, scalar } from './ingest-helpers.js';

const totals = (db: Db) =>
  db.one<Record<string, string>>(
    `SELECT count(*)::VARCHAR AS n, sum(total_cost)::VARCHAR AS total,
       sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens)::VARCHAR AS tokens,
       count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced, (SELECT count(*) FROM ingest_files)::VARCHAR AS files
     FROM usage`,
  );

describe('migration 016 on a database built before #20', () => {
  it('migrates in place with totals unchanged; the same folder again adds only the rows the old reader missed', async () => {
    const path = tempDbPath();
    writeFileSync(path, gunzipSync(readFileSync(join(FIXTURES, 'db', 'main-fd6f528.duckdb.gz'))));
    await withDatabase(path, { lockTimeoutMs: 5_000 }, async (db) => {
      expect(await scalar(db, 'SELECT max(version)::VARCHAR FROM schema_migrations')).toBe('16');
      // As stored by fd6f528 (fixtures/db/README.md).
      expect(await totals(db)).toEqual({
        n: '398',
        total: '17.191569350000000000',
        tokens: '30825522',
        unpriced: '5',
        files: '10',
      });
      const dir = join(SAMPLES, 'claude-code', 'spotter');
      const r = await ingest(db, [dir]);
      const loaded = r.files.filter((f) => f.rows_loaded > 0).map((f) => [f.path.slice(dir.length + 1), f.rows_loaded]);
      expect(loaded).toEqual([['subagent.jsonl', 5]]);
      expect(await scalar(db, 'SELECT (count(*) - count(DISTINCT (source, request_id)))::VARCHAR FROM usage')).toBe(
        '0',
      );
      const after = await totals(db);
      expect(after!.n).toBe('403');
      // The old rows are untouched: their total is the same to the last digit.
      expect(await scalar(db, 'SELECT sum(total_cost)::VARCHAR FROM usage WHERE file_id <= 10')).toBe(
        '17.191569350000000000',
      );
      expect((await ingest(db, [dir])).unchanged).toBe(9);
    });
  });
});
