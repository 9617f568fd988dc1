// Many rows into one table at the appender's speed. DuckDB binds and plans a multi-row VALUES with
// thousands of parameters slowly: importing LiteLLM's 2,360 models took 15 s in 24 statements of 200
// rows each (2026-12-07, loaded machine). Here the rows go through an appender into a temporary table of
// text, and one INSERT … SELECT casts each column to its type, so the target sees one ordinary write,
// counted like any other (Db.run), inside the caller's transaction if there is one.
import type { Db, SqlParam } from './database.js';

const STAGE = '_costctl_bulk_rows';

/**
 * Inserts `rows` with `insertHead` (`INSERT INTO t (a, b)`), casting value i to `types[i]` (a DuckDB type
 * name, `VARCHAR` for text). Values are passed as their text form; null stays NULL.
 */
export async function insertRows(
  db: Db,
  insertHead: string,
  types: readonly string[],
  rows: readonly (readonly SqlParam[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = types.map((_, i) => `c${i}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  try {
    const appender = await db.connection.createAppender(STAGE, 'main', 'temp');
    try {
      for (const row of rows) {
        if (row.length !== types.length)
          throw new Error(`insertRows: a row of ${row.length} values for ${types.length} columns`);
        for (const value of row) {
          if (value === null) appender.appendNull();
          else appender.appendVarchar(String(value));
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const casts = columns.map((c, i) => (types[i] === 'VARCHAR' ? c : `${c}::${types[i]}`));
    await db.run(`${insertHead} SELECT ${casts.join(', ')} FROM temp.main.${STAGE}`);
  } finally {
    await db.run(`DROP TABLE IF EXISTS temp.main.${STAGE}`);
  }
}
