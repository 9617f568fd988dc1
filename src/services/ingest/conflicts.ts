// A repeated request id is a duplicate: the row stored first is kept. When the repeat says something
// else (other tokens, model, time, user…), that is a conflict, not a harmless re-send: it is counted and
// named (line, request id, where the kept row came from) instead of being dropped silently.
import type { Db } from '../../db/database.js';
import { USAGE_VALUE_COLUMNS } from '../../db/usage-columns.js';

export interface Conflict {
  line: number;
  request_id: string;
  /** The kept row: the file it came from (path, or `record`) and its line there. */
  kept_file: string;
  kept_line: number | null;
}

const SHOWN = 1000;

/**
 * After a file's usage rows are loaded (same transaction): staged rows whose request id matched a kept row
 * (stored earlier, or an earlier line of this file) with different content. Call only when the file had
 * duplicates; the count is exact, the list holds the first SHOWN by line.
 */
export async function usageConflicts(
  db: Db,
  fileId: number,
  displayPath: string,
): Promise<{ count: number; first: Conflict[] }> {
  const compared = USAGE_VALUE_COLUMNS.filter((c) => c !== 'source' && c !== 'request_id');
  const differs = compared.map((c) => `s.${c} IS DISTINCT FROM u.${c}`).join(' OR ');
  const from = `FROM staged s JOIN usage u ON u.source = s.source AND u.request_id = s.request_id
    WHERE NOT (u.file_id IS NOT DISTINCT FROM ?::BIGINT AND u.line IS NOT DISTINCT FROM s.line) AND (${differs})`;
  const count = await db.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n ${from}`, [fileId]);
  const n = Number(count?.n ?? 0);
  if (n === 0) return { count: 0, first: [] };
  const rows = await db.all<{ line: string; request_id: string; kept_file: string | null; kept_line: string | null }>(
    `SELECT s.line::VARCHAR AS line, s.request_id, u.line::VARCHAR AS kept_line,
       CASE WHEN u.file_id = ?::BIGINT THEN ? ELSE coalesce(f.path, 'record') END AS kept_file
     ${from.replace('WHERE', 'LEFT JOIN ingest_files f ON f.id = u.file_id WHERE')} ORDER BY s.line LIMIT ${SHOWN}`,
    [fileId, displayPath, fileId],
  );
  return {
    count: n,
    first: rows.map((r) => ({
      line: Number(r.line),
      request_id: r.request_id,
      kept_file: r.kept_file ?? 'record',
      kept_line: r.kept_line === null ? null : Number(r.kept_line),
    })),
  };
}
