// Staging one input file through its adapter. A JSON Lines file with a line that is not UTF-8 or is longer
// than the reader's limit fails DuckDB's line reader as a whole: then it is staged again from a copy with
// those lines blanked, and each of them becomes a reject with its own line number; the rest of the file
// loads, as with a CSV.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertRows } from '../../db/bulk-insert.js';
import type { Db } from '../../db/database.js';
import { CostctlError, DataError } from '../../errors.js';
import { isJsonLines } from '../../ingest/jsonl-source.js';
import { type BadLine, copyWithoutBadLines } from '../../ingest/line-check.js';
import type { Adapter, IngestFile, StageResult } from '../../ingest/types.js';

/** Runs the adapter (again without unreadable lines); a reader failure names the file, not DuckDB. */
export async function stageFile(db: Db, file: IngestFile, adapter: Adapter, source: string) {
  try {
    return await adapter.stage(db, file, { source });
  } catch (e) {
    if (e instanceof CostctlError) throw e;
    const retried = await stageWithoutBadLines(db, file, adapter, source).catch((again: unknown) => {
      throw again instanceof CostctlError ? again : unreadable(file, adapter, again);
    });
    if (retried) return retried;
    throw unreadable(file, adapter, e);
  }
}

function unreadable(file: IngestFile, adapter: Adapter, e: unknown): DataError {
  const first = ((e as Error).message ?? String(e)).split('\n')[0];
  return new DataError(`${file.displayPath}: cannot be read as ${adapter.format}: ${first}`);
}

/**
 * After `adapter.stage` failed on `file`: when it is JSON Lines with unreadable lines, stages it without
 * them and adds them to `staged_rejects`; returns undefined when that is not why it failed.
 */
export async function stageWithoutBadLines(
  db: Db,
  file: IngestFile,
  adapter: Adapter,
  source: string,
): Promise<StageResult | undefined> {
  if (!/^\s*\{/.test(file.head) || !isJsonLines(file.head)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'costctl-lines-'));
  try {
    const copy = join(dir, 'lines.jsonl');
    let bad: BadLine[];
    try {
      bad = await copyWithoutBadLines(file.localPath, copy);
    } catch (e) {
      throw new DataError(
        `${file.displayPath}: has unreadable lines, and setting them aside failed writing ${copy}: ${(e as Error).message}`,
      );
    }
    if (bad.length === 0) return undefined;
    const staged = await adapter.stage(db, { ...file, localPath: copy }, { source });
    await addStagedRejects(db, bad);
    return { rowsRead: staged.rowsRead + bad.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Makes `staged_rejects` a table (the adapters leave a view over their checked rows) and adds `bad` to it,
 * each with `file`, its input's index, where the rejects carry one (the Claude Code batch reader's `_file`).
 */
export async function addStagedRejects(db: Db, bad: (BadLine & { file?: number })[]): Promise<void> {
  const columns = bad.some((b) => b.file !== undefined) ? 'line, reason, raw, _file' : 'line, reason, raw';
  const kind = await db.one<{ t: string }>(
    "SELECT table_type AS t FROM information_schema.tables WHERE table_name = 'staged_rejects' AND table_catalog = 'temp'",
  );
  if (kind?.t === 'VIEW') {
    await db.run(`CREATE OR REPLACE TEMP TABLE ingest_read_rejects AS SELECT ${columns} FROM staged_rejects`);
    await db.run('DROP VIEW temp.staged_rejects');
    await db.run('ALTER TABLE ingest_read_rejects RENAME TO staged_rejects');
  }
  await insertRows(
    db,
    `INSERT INTO staged_rejects (${columns})`,
    ['BIGINT', 'VARCHAR', 'VARCHAR', 'BIGINT'].slice(0, columns.split(',').length),
    bad.map((b) => [b.line, b.reason, b.raw, ...(b.file === undefined ? [] : [b.file])]),
  );
}
