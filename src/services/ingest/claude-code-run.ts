// Claude Code session files, read many per statement and only as far as they are new (issue #20).
// Each file is checked against its position (file-positions.ts): unchanged files are not opened, grown
// ones are read from where the last read ended (the tail), new, shorter or edited
// ones from their first line. The files of a batch are staged in one DuckDB scan, then in ONE transaction
// their rows are loaded (the exactly-once key is message.id:requestId per source, as before), their rejects
// kept, and each gets its ingest_files entry and its new position: a kill mid-run leaves the database as
// it was before the batch, and the next run reads the same bytes again.
import { resolve } from 'node:path';
import type { Db } from '../../db/database.js';
import { dropModelMap } from '../../db/pricing-sql.js';
import { dropTempRelation } from '../../db/temp-relations.js';
import { sqlTimestamp } from '../../domain/time.js';
import { Decimal } from '../../domain/money.js';
import type { BatchInput } from '../../ingest/claude-code-batch.js';
import type { SessionScan } from '../../ingest/session-scan.js';
import { stageClaudeCodeOrSetAside } from './claude-code-bad-lines.js';
import { type FileCheck, checkFile, loadPositions, savePositions } from './file-positions.js';
import type { InputFile } from './inputs.js';
import { loadUsage } from './load.js';
import { type FileReport, type IngestOptions, type RejectRow, StrictRejects } from './ingest-types.js';
import { CLAUDE_CODE_RESTATE } from './restate.js';

const FORMAT = 'claude-code';
/**
 * Bytes scanned per statement (and per transaction): bounds the staged lines' memory on a huge folder
 * (about a fifth of the bytes are lines to parse). Each batch pays ~0.1 s of planning and loading whatever
 * its size, so a 127 MB folder is one batch.
 */
const BATCH_BYTES = 256 * 1024 * 1024;

export interface ClaudeCodeRun {
  files: FileReport[];
  /** Files with nothing new since their last read (not opened). */
  unchanged: number;
  /** Last lines still being written, left for the next read. */
  incomplete: { path: string; line: number }[];
}

interface ToRead {
  file: InputFile;
  check: FileCheck & { scan: SessionScan };
  input: BatchInput;
}

class DryRun extends Error {}

export async function ingestClaudeCode(db: Db, files: InputFile[], options: IngestOptions): Promise<ClaudeCodeRun> {
  const source = options.source ?? FORMAT;
  const positions = await loadPositions(db, source);
  const run: ClaudeCodeRun = { files: [], unchanged: 0, incomplete: [] };
  const touched: { check: FileCheck & { scan: SessionScan }; fileId: number }[] = [];
  let batch: ToRead[] = [];
  let bytes = 0;
  for (const file of files) {
    const before = positions.get(resolve(file.localPath));
    const check = checkFile(file.localPath, before);
    if (!check.scan) {
      run.unchanged++;
      continue;
    }
    const scan = check.scan;
    if (scan.incompleteLine !== undefined) run.incomplete.push({ path: file.displayPath, line: scan.incompleteLine });
    if (scan.consumedBytes === scan.startByte) {
      // Touched, or only an incomplete line added: nothing to read, the position still moves on.
      if (before) touched.push({ check: { ...check, scan }, fileId: before.fileId });
      run.unchanged++;
      continue;
    }
    batch.push({ file, check: { ...check, scan }, input: { lines: scan.lines } });
    bytes += scan.consumedBytes - scan.startByte;
    if (bytes >= (options.batchBytes ?? BATCH_BYTES)) {
      run.files.push(...(await ingestBatch(db, batch, source, options)));
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length || touched.length) run.files.push(...(await ingestBatch(db, batch, source, options, touched)));
  return run;
}

async function ingestBatch(
  db: Db,
  batch: ToRead[],
  source: string,
  options: IngestOptions,
  touched: { check: FileCheck & { scan: SessionScan }; fileId: number }[] = [],
): Promise<FileReport[]> {
  const label: InputFile = {
    displayPath: batch.length === 1 ? batch[0]!.file.displayPath : `${batch.length} Claude Code files`,
    localPath: '',
    head: '',
    sizeBytes: batch.reduce((n, b) => n + b.check.scan.consumedBytes - b.check.scan.startByte, 0),
    explicit: false,
  };
  if (batch.length) options.onFile?.({ phase: 'start', file: label });
  let reports: FileReport[] = [];
  try {
    const { rowsRead } = batch.length
      ? await stageClaudeCodeOrSetAside(
          db,
          batch.map((b) => b.input),
          source,
        )
      : { rowsRead: new Map<number, number>() };
    if (batch.length) options.onFile?.({ phase: 'loading', file: label });
    await db.transaction(async () => {
      reports = batch.length ? await loadBatch(db, batch, rowsRead, source, options) : [];
      await savePositions(db, source, FORMAT, touched, options.now);
      if (options.dryRun) throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  } finally {
    await db.run('DROP VIEW IF EXISTS temp.staged');
    await dropTempRelation(db, 'staged_rejects'); // a table when lines were set aside (claude-code-bad-lines.ts)
    for (const name of ['ingest_checked', 'cc_lines']) await db.run(`DROP TABLE IF EXISTS temp.${name}`);
    await dropModelMap(db);
  }
  if (batch.length) {
    const sum = (k: 'rows_read') => reports.reduce((n, r) => n + r[k], 0);
    options.onFile?.({ phase: 'done', file: label, report: { ...reports[0]!, rows_read: sum('rows_read') } });
  }
  return reports;
}

/** Inside the batch's transaction: ids, rows, rejects, ledger entries and positions. */
async function loadBatch(
  db: Db,
  batch: ToRead[],
  rowsRead: Map<number, number>,
  source: string,
  options: IngestOptions,
): Promise<FileReport[]> {
  const ids = (
    await db.all<{ id: string }>(`SELECT nextval('ingest_files_id')::VARCHAR AS id FROM range(${batch.length})`)
  ).map((r) => Number(r.id));
  const rejectCounts = new Map(
    (
      await db.all<{ f: string; n: string }>(
        'SELECT _file::VARCHAR AS f, count(*)::VARCHAR AS n FROM staged_rejects GROUP BY 1',
      )
    ).map((r) => [Number(r.f), Number(r.n)]),
  );
  const rejects = rejectCounts.size ? await firstRejects(db, batch) : [];
  if (options.strict && rejects.length) {
    const first = rejects.slice(0, 5).map((r) => `  ${r.file}:${r.line ?? '?'}: ${r.reason}`);
    const n = [...rejectCounts.values()].reduce((a, b) => a + b, 0);
    throw new StrictRejects(
      `--strict: ${n} Claude Code row(s) rejected, nothing from these ${batch.length} file(s) loaded:\n${first.join('\n')}`,
      rejects,
    );
  }
  const stagedRows = [...rowsRead.values()].reduce((a, b) => a + b, 0);
  const counts = await loadUsage(db, { byInput: ids }, stagedRows, options.now, CLAUDE_CODE_RESTATE);
  const seen = new Set(
    (
      await db.all<{ h: string }>(
        `SELECT DISTINCT sha256 AS h FROM ingest_files WHERE format = ? AND sha256 IN (${batch.map(() => '?').join(', ')})`,
        [FORMAT, ...batch.map((b) => b.check.scan.newSha256)],
      )
    ).map((r) => r.h),
  );
  const fresh = batch.map((b, i) => (seen.has(b.check.scan.newSha256) ? -1 : i)).filter((i) => i >= 0);
  if (rejectCounts.size && fresh.length) {
    await db.run(
      `INSERT INTO rejects (file_id, file, line, reason, raw, format, rejected_at)
       SELECT [${ids.join(', ')}][_file + 1], [${batch.map(() => '?').join(', ')}][_file + 1], line, reason, raw, ?, ?::TIMESTAMP
       FROM staged_rejects WHERE _file IN (${fresh.join(', ')}) ORDER BY _file, line`,
      [...batch.map((b) => b.file.displayPath), FORMAT, sqlTimestamp(options.now)],
    );
  }
  const reports = batch.map((b, i): FileReport => {
    const read = rowsRead.get(i) ?? 0;
    const rejected = rejectCounts.get(i) ?? 0;
    const c = counts.perFile.get(ids[i]!) ?? { loaded: 0, unpriced: 0, totalCost: new Decimal(0), unknownServed: [] };
    return {
      path: b.file.displayPath,
      format: FORMAT,
      kind: 'usage',
      rows_read: read,
      rows_loaded: c.loaded,
      rows_duplicate: read - rejected - c.loaded,
      rows_rejected: rejected,
      total_cost: c.totalCost.toFixed(),
      unpricedModels: [],
      rejects: rejects.filter((r) => r.file === b.file.displayPath),
      seenBefore: seen.has(b.check.scan.newSha256),
      restated: counts.restated.filter((r) => r.file === ids[i]),
      // Claude Code restates: a repeated response with other counts completes the stored one (restated).
      conflicts: { count: 0, first: [] },
      unknownServed: c.unknownServed,
    };
  });
  // The run's unpriced models are summed over reports: the batch's list goes on its first file.
  reports[0]!.unpricedModels = counts.unpricedModels;
  // One JSON parameter for all the batch's entries: binding ~15 parameters per file costs ~10× more.
  const entries = batch.map((b, i) => {
    const r = reports[i]!;
    const scan = b.check.scan;
    return {
      id: ids[i]!,
      path: b.file.displayPath,
      sha256: scan.newSha256,
      size: scan.consumedBytes - scan.startByte,
      read: r.rows_read,
      loaded: r.rows_loaded,
      duplicate: r.rows_duplicate,
      rejected: r.rows_rejected,
      unpriced: counts.perFile.get(ids[i]!)?.unpriced ?? 0,
      cost: r.total_cost,
    };
  });
  await db.run(
    `INSERT INTO ingest_files (id, path, sha256, size_bytes, format, kind, source, rows_read, rows_loaded, rows_duplicate,
       rows_rejected, rows_unpriced, total_cost, started_at, finished_at)
     SELECT e.id, e.path, e.sha256, e.size, ?, 'usage', ?, e.read, e.loaded, e.duplicate, e.rejected, e.unpriced,
       e.cost::DECIMAL(38,18), ?::TIMESTAMP, ?::TIMESTAMP
     FROM (SELECT unnest(from_json(?::JSON, '[{"id":"BIGINT","path":"VARCHAR","sha256":"VARCHAR","size":"BIGINT","read":"BIGINT","loaded":"BIGINT","duplicate":"BIGINT","rejected":"BIGINT","unpriced":"BIGINT","cost":"VARCHAR"}]')) AS e)`,
    [FORMAT, source, sqlTimestamp(options.now), sqlTimestamp(options.now), JSON.stringify(entries)],
  );
  await savePositions(
    db,
    source,
    FORMAT,
    batch.map((b, i) => ({ check: b.check, fileId: ids[i]! })),
    options.now,
  );
  return reports;
}

const REJECTS_KEPT_IN_REPORT = 10_000;

async function firstRejects(db: Db, batch: ToRead[]): Promise<RejectRow[]> {
  const rows = await db.all<{ f: string; line: string | null; reason: string; raw: string | null }>(
    `SELECT _file::VARCHAR AS f, line::VARCHAR AS line, reason, raw FROM staged_rejects ORDER BY _file, line LIMIT ${REJECTS_KEPT_IN_REPORT}`,
  );
  return rows.map((r) => ({
    file: batch[Number(r.f)]!.file.displayPath,
    line: r.line === null ? null : Number(r.line),
    reason: r.reason,
    raw: r.raw,
  }));
}
