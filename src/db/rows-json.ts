// Reading many rows at once as ONE JSON text: in a fresh process the client's row-by-row conversion
// (Db.all) of the 2,360 catalog names a pricing map needs costs ~30 ms of CPU, one string and JSON.parse
// ~12 ms (measured cold, as each CLI command runs it). For text and boolean columns only: cast numbers to
// VARCHAR in the SQL (a JSON number is a binary float).
import type { Db, Row, SqlParam } from './database.js';

/** The rows of `sql` (in no particular order), read as one JSON value. */
export async function allRowsAsJson<T extends Row = Row>(db: Db, sql: string, params: SqlParam[] = []): Promise<T[]> {
  const row = await db.one<{ j: string | null }>(`SELECT to_json(list(q))::VARCHAR AS j FROM (${sql}) q`, params);
  return row?.j ? (JSON.parse(row.j) as T[]) : [];
}
