// A database file damaged on disk (bytes overwritten after it was written: a disk or copy fault): the
// first query that reads a damaged block fails DuckDB's checksum. The command exits 1 with one line that
// names the file and says to restore a backup, never "internal error".
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
// @ts-expect-error plain ESM helper without types
import { generate } from '../bench/generate.mjs';

/** Overwrites 100 KB at 30 %, 50 % and 70 % of the file with one byte pattern (the data blocks are there). */
function damage(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    for (const at of [0.3, 0.5, 0.7]) writeSync(fd, Buffer.alloc(100_000, 0xa5), 0, 100_000, Math.floor(size * at));
  } finally {
    closeSync(fd);
  }
}

describe('a damaged database file (e2e)', () => {
  it('a query that meets a damaged block exits 1 naming the file and the fix', () => {
    const db = initializedDb();
    const csv = join(tempDir(), 'usage.csv');
    generate({ rows: 50_000, path: csv, format: 'csv' });
    expect(runCli(['ingest', csv], { db }).code).toBe(0);
    damage(db);
    for (const args of [
      ['records', 'list', '--limit', '3'],
      ['report', 'dist', '--by', 'user', '--window', '2025-01-01..2027-12-31'],
    ]) {
      const r = runCli(args, { db });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(
        new RegExp(
          `^costctl: database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: a block at byte \\d+ fails its checksum, so its rows cannot be read; restore the latest backup \\(costctl restore BACKUP_DIR --db FILE\\)`,
        ),
      );
    }
  });
});
