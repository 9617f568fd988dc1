// How far each session file has been read (ingest_file_positions, migration 016), and what a re-run must
// read of a file: nothing (same size and modification time), its new tail (it only grew), or all of it
// (new, replaced by a shorter file, or changed before the end of what was read).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../../db/database.js';
import { allRowsAsJson } from '../../db/rows-json.js';
import { sqlTimestamp } from '../../domain/time.js';
import { type SessionScan, scanSession } from '../../ingest/session-scan.js';

export interface FilePosition {
  sizeBytes: number;
  mtimeMs: number;
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  /** The ingest_files entry of the last read. */
  fileId: number;
}

/** The positions of `source`'s files, by absolute path; one whose read was taken back (healed) is not kept. */
export async function loadPositions(db: Db, source: string): Promise<Map<string, FilePosition>> {
  const rows = await allRowsAsJson<Record<string, string>>(
    db,
    `SELECT p.path, p.size_bytes::VARCHAR AS s, p.mtime_ms::VARCHAR AS m, p.consumed_bytes::VARCHAR AS b,
       p.consumed_lines::VARCHAR AS l, p.prefix_sha256 AS h, p.file_id::VARCHAR AS f
     FROM ingest_file_positions p WHERE p.source = ? AND EXISTS (SELECT 1 FROM ingest_files f WHERE f.id = p.file_id)`,
    [source],
  );
  return new Map(
    rows.map((r) => [
      r.path!,
      {
        sizeBytes: Number(r.s),
        mtimeMs: Number(r.m),
        consumedBytes: Number(r.b),
        consumedLines: Number(r.l),
        prefixSha256: r.h!,
        fileId: Number(r.f),
      },
    ]),
  );
}

export interface FileCheck {
  /** The absolute path (the ledger's key). */
  path: string;
  mtimeMs: number;
  /** Undefined: same size and modification time as when last read, nothing to do. */
  scan?: SessionScan;
}

/** What to read of a file, given its last position. */
export function checkFile(localPath: string, before: FilePosition | undefined): FileCheck {
  const path = resolve(localPath);
  const st = statSync(localPath);
  const mtimeMs = Math.floor(st.mtimeMs);
  if (before && before.sizeBytes === st.size && before.mtimeMs === mtimeMs) return { path, mtimeMs };
  return { path, mtimeMs, scan: scanSession(localPath, before) };
}

/** Records where each file's read ended (inside the transaction that stored what was read). */
export async function savePositions(
  db: Db,
  source: string,
  format: string,
  files: { check: FileCheck & { scan: SessionScan }; fileId: number }[],
  now: Date,
): Promise<void> {
  if (files.length === 0) return;
  // One JSON parameter for all the files: binding ~10 parameters per file costs ~10× more.
  const rows = files.map(({ check, fileId }) => ({
    path: check.path,
    size: check.scan.sizeBytes,
    mtime: check.mtimeMs,
    bytes: check.scan.consumedBytes,
    lines: check.scan.consumedLines,
    sha256: check.scan.prefixSha256,
    file: fileId,
  }));
  const json = JSON.stringify(rows);
  await db.run(
    `DELETE FROM ingest_file_positions WHERE source = ? AND path IN (SELECT unnest(from_json(?::JSON, '[{"path":"VARCHAR"}]')).path)`,
    [source, json],
  );
  await db.run(
    `INSERT INTO ingest_file_positions (path, source, format, size_bytes, mtime_ms, consumed_bytes, consumed_lines,
       prefix_sha256, file_id, read_at)
     SELECT p.path, ?, ?, p.size, p.mtime, p.bytes, p.lines, p.sha256, p.file, ?::TIMESTAMP
     FROM (SELECT unnest(from_json(?::JSON, '[{"path":"VARCHAR","size":"BIGINT","mtime":"BIGINT","bytes":"BIGINT","lines":"BIGINT","sha256":"VARCHAR","file":"BIGINT"}]')) AS p)`,
    [source, format, sqlTimestamp(now), json],
  );
}
