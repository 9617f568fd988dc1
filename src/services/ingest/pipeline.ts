// The ingest pipeline: for each input file, detect its format, stage it through its adapter, then in
// ONE transaction load the new rows, keep the rejects and write the ledger entry. A crash or kill
// mid-file leaves the database exactly as it was before that file.
import { DataError } from '../../errors.js';
import type { Db } from '../../db/database.js';
import { withAcceptedInstants } from '../../domain/ingest-bounds.js';
import { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { scanFileCached } from '../../ingest/file-scan.js';
import { adapterFor, detectAdapter } from '../../ingest/index.js';
import type { Adapter } from '../../ingest/types.js';
import type { InputFile } from './inputs.js';
import { dropModelMap } from '../../db/pricing-sql.js';
import { dropTempRelation } from '../../db/temp-relations.js';
import { loadBilling, loadUsage } from './load.js';
import { ingestClaudeCode } from './claude-code-run.js';
import { stageFile } from './stage-file.js';
import { usageConflicts } from './conflicts.js';
import {
  type FileReport,
  type IngestOptions,
  type IngestReport,
  type RejectRow,
  StrictRejects,
} from './ingest-types.js';

export { StrictRejects };
export type { FileReport, IngestOptions, IngestReport, RejectRow };

/** Resolves each file's adapter up front, so an unreadable format fails before anything loads. */
/** Files to load with their adapter; found files that are empty or in no format costctl reads go to `skipped`. */
export function planIngest(
  files: InputFile[],
  format?: string,
  skipped: string[] = [],
): { file: InputFile; adapter: Adapter }[] {
  const forced = format ? adapterFor(format) : undefined;
  const plan: { file: InputFile; adapter: Adapter }[] = [];
  const refused: string[] = [];
  for (const file of files) {
    if (file.sizeBytes === 0) {
      skipped.push(`${file.displayPath} (empty)`);
      continue;
    }
    const adapter = forced ?? detectAdapter(file);
    if (adapter) plan.push({ file, adapter });
    else if (file.explicit) refused.push(file.displayPath);
    else skipped.push(`${file.displayPath} (format not recognized)`);
  }
  if (refused.length) {
    throw new DataError(
      `${refused.join(', ')}: not a format costctl reads (none of its adapters recognizes the content); name the format with --format if it is one`,
    );
  }
  return plan;
}

class DryRunRollback extends Error {}

const REJECTS_KEPT_IN_REPORT = 10_000;
const INGEST_MEMORY_LIMIT = '1000MB';

async function ingestFile(db: Db, file: InputFile, adapter: Adapter, options: IngestOptions): Promise<FileReport> {
  const csvish = !/^\s*[[{]/.test(file.head);
  // The content hash runs on this thread while DuckDB's threads stage the file.
  const scanning = scanFileCached(file.localPath, { csv: csvish });
  scanning.catch(() => undefined); // awaited below; a staging error must not leave it unhandled
  const source = options.source ?? adapter.format;
  let report: FileReport | undefined;
  try {
    // Staging writes only TEMP tables, which are never part of the database file, so it runs before the
    // file's transaction: DuckDB scans a table created inside the running transaction with one thread,
    // a committed one with all of them (the load below reads the staged rows ~2x faster).
    const staged = await stageFile(db, file, adapter, source);
    const scan = await scanning;
    options.onFile?.({ phase: 'loading', file });
    await db.transaction(async () => {
      const started = options.now;
      const seen = await db.one('SELECT id FROM ingest_files WHERE sha256 = ? AND format = ? LIMIT 1', [
        scan.sha256,
        adapter.format,
      ]);
      const fileId = Number((await db.one<{ id: string }>("SELECT nextval('ingest_files_id')::VARCHAR AS id"))!.id);
      const sizes = await db.one<{ rejected: string; good: string }>(
        'SELECT (SELECT count(*) FROM staged_rejects)::VARCHAR AS rejected, (SELECT count(*) FROM staged)::VARCHAR AS good',
      );
      const rejected = Number(sizes!.rejected);
      const rejects = rejected === 0 ? [] : await firstRejects(db, file.displayPath);
      if (options.strict && rejected > 0) {
        const first = rejects.slice(0, 5).map((r) => `  ${file.displayPath}:${r.line ?? '?'}: ${r.reason}`);
        throw new StrictRejects(
          `${file.displayPath}: --strict: ${rejected} row(s) rejected, nothing from this file loaded:\n${first.join('\n')}${rejected > 5 ? `\n  … and ${rejected - 5} more` : ''}`,
          rejects,
        );
      }
      const stagedRows = Number(sizes!.good);
      const counts =
        adapter.kind === 'usage'
          ? await loadUsage(db, fileId, stagedRows, options.now, adapter.restatesUsage)
          : await loadBilling(db, fileId, stagedRows, options.now);
      const duplicates = staged.rowsRead - rejected - counts.loaded;
      const conflicts =
        adapter.kind === 'usage' && !adapter.restatesUsage && duplicates > 0
          ? await usageConflicts(db, fileId, file.displayPath)
          : { count: 0, first: [] };
      if (!seen && rejected > 0) {
        await db.run(
          `INSERT INTO rejects (file_id, file, line, reason, raw, format, rejected_at)
           SELECT ?::BIGINT, ?, line, reason, raw, ?, ?::TIMESTAMP FROM staged_rejects ORDER BY line`,
          [fileId, file.displayPath, adapter.format, sqlTimestamp(options.now)],
        );
      }
      await db.run(
        `INSERT INTO ingest_files (id, path, sha256, size_bytes, format, kind, source, rows_read, rows_loaded, rows_duplicate,
           rows_rejected, rows_unpriced, total_cost, started_at, finished_at)
         VALUES (?::BIGINT, ?, ?, ?::BIGINT, ?, ?, ?, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::DECIMAL(38,18), ?::TIMESTAMP, ?::TIMESTAMP)`,
        [
          fileId,
          file.displayPath,
          scan.sha256,
          file.sizeBytes,
          adapter.format,
          adapter.kind,
          source,
          staged.rowsRead,
          counts.loaded,
          staged.rowsRead - rejected - counts.loaded,
          rejected,
          counts.unpriced,
          counts.totalCost,
          sqlTimestamp(started),
          sqlTimestamp(options.now),
        ],
      );
      report = {
        path: file.displayPath,
        format: adapter.format,
        kind: adapter.kind,
        rows_read: staged.rowsRead,
        rows_loaded: counts.loaded,
        // Every row read is loaded, a duplicate (of a stored row or of another row of the file), or rejected.
        rows_duplicate: staged.rowsRead - rejected - counts.loaded,
        rows_rejected: rejected,
        total_cost: new Decimal(counts.totalCost ?? '0').toFixed(),
        unpricedModels: counts.unpricedModels,
        rejects,
        seenBefore: Boolean(seen),
        restated: counts.restated,
        conflicts,
        unknownServed: counts.perFile.get(fileId)?.unknownServed ?? [],
      };
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) {
      await dropStaging(db).catch(() => undefined); // best effort: the error that got us here is the one to report
      throw e;
    }
  }
  await dropStaging(db);
  return report!;
}

/** The first rejects of the staged file, in line order (the report keeps at most REJECTS_KEPT_IN_REPORT). */
async function firstRejects(db: Db, displayPath: string): Promise<RejectRow[]> {
  const rows = await db.all<{ line: string | null; reason: string; raw: string | null }>(
    `SELECT line, reason, raw FROM staged_rejects ORDER BY staged_rejects.line LIMIT ${REJECTS_KEPT_IN_REPORT}`,
  );
  return rows.map((r) => ({
    file: displayPath,
    line: r.line === null ? null : Number(r.line),
    reason: r.reason,
    raw: r.raw,
  }));
}

async function dropStaging(db: Db): Promise<void> {
  for (const name of ['staged', 'staged_rejects']) await dropTempRelation(db, name);
  // The rest of one file's scratch tables; the CSV reader's rejects can be large.
  for (const name of ['ingest_checked', 'ingest_csv_errors', 'ingest_csv_scans', 'ingest_line_skips']) {
    await db.run(`DROP TABLE IF EXISTS temp.${name}`);
  }
  await dropModelMap(db);
}

/** Ingests the planned files in order; the adapters check rows against `options.accepted`. */
export async function ingestFiles(db: Db, plan: Planned[], options: IngestOptions): Promise<IngestReport> {
  return withAcceptedInstants(options.accepted, () => ingestEach(db, plan, options));
}

type Planned = { file: InputFile; adapter: Adapter };

async function ingestEach(db: Db, plan: Planned[], options: IngestOptions): Promise<IngestReport> {
  const files: FileReport[] = [];
  // Peak memory stays under 2 GiB for any file size: past this DuckDB spills to its temp directory. The
  // process holds ~0.4-0.7 GB more than the limit at its peak (node, reader buffers, memory DuckDB does
  // not count); at 10M rows 1200MB peaked at 1.95 GB, 1000MB at ~1.4 GB for ~3% more time.
  await db.run(`SET memory_limit = '${INGEST_MEMORY_LIMIT}'`);
  let failure: unknown;
  // Claude Code session files (not stdin) are read together, and only as far as they are new.
  const sessions = plan.filter((p) => p.adapter.format === 'claude-code' && p.file.displayPath !== '-');
  const batched = sessions.length
    ? await ingestClaudeCode(
        db,
        sessions.map((p) => p.file),
        options,
      )
    : undefined;
  if (batched) files.push(...batched.files);
  for (const { file, adapter } of plan.filter((p) => !sessions.includes(p))) {
    options.onFile?.({ phase: 'start', file });
    try {
      const report = await ingestFile(db, file, adapter, options);
      files.push(report);
      options.onFile?.({ phase: 'done', file, report });
    } catch (e) {
      // Each file commits on its own: with none committed yet the run simply failed.
      if (files.length === 0 || options.dryRun) throw e;
      failure = e;
      break;
    }
  }
  const alertsRaised = options.dryRun ? 0 : await afterIngest(db, files, options);
  return {
    ...summarize(files),
    alertsRaised,
    ...(failure === undefined ? {} : { failure }),
    ...(batched ? { unchanged: batched.unchanged, incomplete: batched.incomplete } : {}),
  };
}

export function summarize(files: FileReport[]): IngestReport {
  const unpriced = new Map<string, number>();
  for (const f of files) for (const u of f.unpricedModels) unpriced.set(u.model, (unpriced.get(u.model) ?? 0) + u.rows);
  let total = new Decimal(0);
  for (const f of files) if (f.kind === 'usage') total = total.plus(f.total_cost);
  return {
    files,
    unpriced_models: [...unpriced]
      .map(([model, rows]) => ({ model, rows }))
      .sort((a, b) => b.rows - a.rows || a.model.localeCompare(b.model)),
    total_cost: total.toFixed(),
  };
}

/**
 * The one place that reacts to newly loaded rows: quotas, budgets, threshold rules and unpriced usage are
 * evaluated as of now, so a load that crosses a limit raises its alert at once (not at the next job run).
 */
async function afterIngest(db: Db, files: FileReport[], options: IngestOptions): Promise<number> {
  if (!options.alerts || !files.some((f) => f.kind === 'usage' && f.rows_loaded > 0)) return 0;
  const { evaluateAlerts } = await import('../alerts/evaluate.js');
  const { raised } = await evaluateAlerts(db, { at: options.now, now: options.now, ...options.alerts });
  return raised.length;
}
