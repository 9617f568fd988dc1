// Shared plumbing of the billing-export adapters: the staged tables the pipeline expects, reading a CSV or
// Parquet file into an all-text temp table with record numbers, and inserting rows built in TypeScript.
import type { Db, SqlParam } from '../../db/database.js';
import { STAGED_BILLING_COLUMNS, STAGED_USAGE_COLUMNS, type IngestKind } from '../types.js';

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** (Re)creates TEMP TABLE staged and staged_rejects for one file. */
export async function createStaging(db: Db, kind: IngestKind): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE staged (${kind === 'usage' ? STAGED_USAGE_COLUMNS : STAGED_BILLING_COLUMNS})`);
  await db.run('CREATE OR REPLACE TEMP TABLE staged_rejects (line BIGINT, reason VARCHAR, raw VARCHAR)');
}

export interface RawTable {
  /** Temp table holding every good record as text, plus `__line` (BIGINT). */
  table: string;
  /** Column names as the file spells them (without __line). */
  columns: string[];
  /** Data records read, good + structurally broken. */
  records: number;
}

/**
 * Reads a CSV with DuckDB's reader, every cell as text (types are checked afterwards, so one bad cell
 * rejects one row instead of failing the file). `NULL` and empty cells are nulls. Records with the wrong
 * number of fields or broken quoting go to staged_rejects with DuckDB's own line number. `__line` is the
 * record's line counted as DuckDB does (header = 1; a quoted multi-line cell counts once).
 */
export async function readCsvRaw(db: Db, path: string, table: string): Promise<RawTable> {
  const errors = `${table}_errors`;
  const scans = `${table}_scans`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table}_cells AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true,
       delim = ',', quote = '"', escape = '"', nullstr = ['NULL', ''],
       store_rejects = true, rejects_table = '${errors}', rejects_scan = '${scans}')`,
  );
  try {
    // The reader keeps file order, so rowid follows it; good record k takes the k-th line number that
    // is not a rejected one.
    const counted = await db.one<{ good: string; bad: string }>(
      `SELECT (SELECT count(*) FROM ${table}_cells) AS good, (SELECT count(DISTINCT line) FROM ${errors}) AS bad`,
    );
    const good = Number(counted?.good ?? 0);
    const bad = Number(counted?.bad ?? 0);
    await db.run(
      `INSERT INTO staged_rejects SELECT line, string_agg(error_type || ': ' || error_message, '; '), any_value(csv_line)
       FROM ${errors} GROUP BY line ORDER BY line`,
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       WITH free AS (
         SELECT range AS line, row_number() OVER (ORDER BY range) AS k FROM range(2, ${good + bad + 2})
         WHERE range NOT IN (SELECT line FROM ${errors})
       ), cells AS (SELECT row_number() OVER (ORDER BY rowid) AS k, * FROM ${table}_cells)
       SELECT free.line::BIGINT AS __line, cells.* EXCLUDE (k) FROM cells JOIN free USING (k)`,
    );
    const columns = (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table}_cells)`)).map((r) => r.column_name);
    return { table, columns, records: good + bad };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}_cells`);
    await db.run(`DROP TABLE IF EXISTS ${errors}`);
    await db.run(`DROP TABLE IF EXISTS ${scans}`);
  }
}

/** Reads a Parquet file into an all-text temp table; `__line` is the 1-based row number in the file. */
export async function readParquetRaw(db: Db, path: string, table: string): Promise<RawTable> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT file_row_number + 1 AS __line, COLUMNS(c -> c <> 'file_row_number')::VARCHAR
     FROM read_parquet(${sqlString(path)}, file_row_number = true)`,
  );
  const columns = (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table})`))
    .map((r) => r.column_name)
    .filter((c) => c !== '__line');
  const n = await db.one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return { table, columns, records: Number(n?.n ?? 0) };
}

/**
 * Inserts rows into a table in batches, each value bound as a parameter; `casts` gives the SQL type of
 * each column (money as DECIMAL text, never a JS number).
 */
export async function insertRows(db: Db, table: string, casts: string[], rows: SqlParam[][]): Promise<void> {
  const batch = Math.max(1, Math.floor(2000 / casts.length));
  const tuple = `(${casts.map((c) => `?::${c}`).join(', ')})`;
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await db.run(`INSERT INTO ${table} VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}

export async function insertRejects(db: Db, rejects: { line: number; reason: string; raw: string }[]): Promise<void> {
  await insertRows(
    db,
    'staged_rejects',
    ['BIGINT', 'VARCHAR', 'VARCHAR'],
    rejects.map((r) => [r.line, r.reason, r.raw]),
  );
}
