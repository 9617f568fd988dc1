// Reading many rows at once as ONE JSON text: the client's row-by-row conversion (Db.all) costs ~40 µs a
// row, so the 2,360 catalog names a pricing map needs took ~0.1 s of an ingest that loads a few rows; one
// string and JSON.parse take ~2 ms. For text and boolean columns only: cast numbers to VARCHAR in the SQL
// (a JSON number is a binary float).
import type { Db, Row, SqlParam } from './database.js';

/** The rows of `sql` (in no particular order), read as one JSON value. */
export async function allRowsAsJson<T extends Row = Row>(db: Db, sql: string, params: SqlParam[] = []): Promise<T[]> {
  const row = await db.one<{ j: string | null }>(`SELECT to_json(list(q))::VARCHAR AS j FROM (${sql}) q`, params);
  return row?.j ? (JSON.parse(row.j) as T[]) : [];
}
