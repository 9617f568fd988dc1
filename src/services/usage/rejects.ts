// Rows an ingest refused, kept with file, line, reason and raw text so they can be listed and fixed.
import type { Db, SqlParam } from '../../db/database.js';

export interface RejectItem {
  id: string;
  file: string;
  line: string | null;
  reason: string;
  raw: string | null;
  format: string;
  rejected_at: string;
}

export async function listRejects(db: Db, filter: { file?: string; limit?: number } = {}): Promise<RejectItem[]> {
  const params: SqlParam[] = [];
  let where = '';
  if (filter.file) {
    // ends_with, not LIKE: a `_` or `%` in a file name is itself, not a wildcard.
    where = 'WHERE file = ? OR ends_with(file, ?)';
    params.push(filter.file, filter.file);
  }
  return db.all<RejectItem>(
    `SELECT id::VARCHAR AS id, file, line::VARCHAR AS line, reason, raw, format, strftime(rejected_at, '%Y-%m-%dT%H:%M:%SZ') AS rejected_at
     FROM rejects ${where} ORDER BY rejects.file_id, rejects.line, rejects.id ${filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''}`,
    params,
  );
}
