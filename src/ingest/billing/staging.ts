// Shared plumbing of the billing-export adapters: the staged tables the pipeline expects, reading a CSV or
// Parquet file into an all-text temp table with record numbers, and inserting rows built in TypeScript.
import type { Db, SqlParam } from '../../db/database.js';
import { sqlString } from '../../db/sql.js';
import { STAGED_BILLING_COLUMNS, STAGED_USAGE_COLUMNS, type IngestKind } from '../types.js';
import { csvRecordLines } from './csv-lines.js';

/** (Re)creates TEMP TABLE staged and staged_rejects for one file. */
export async function createStaging(db: Db, kind: IngestKind): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE staged (${kind === 'usage' ? STAGED_USAGE_COLUMNS : STAGED_BILLING_COLUMNS})`,
  );
  await db.run('CREATE OR REPLACE TEMP TABLE staged_rejects (line BIGINT, reason VARCHAR, raw VARCHAR)');
}

export interface RawTable {
  /** Temp table holding every good record as text, plus `__line` (BIGINT). */
  table: string;
  /** Column names as the file spells them (without __line). */
  columns: string[];
  /** Data records read, good + structurally broken. */
  records: number;
  /** Drops the temp objects behind `table`. */
  dispose: () => Promise<void>;
}

/**
 * Reads a CSV with DuckDB's reader, every cell as text (types are checked afterwards, so one bad cell
 * rejects one row instead of failing the file). `NULL` and empty cells are nulls. Records with the wrong
 * number of fields or broken quoting go to staged_rejects. `__line` and reject lines are the physical
 * line where the record starts (csv-lines.ts), whatever blank lines or multi-line cells came before.
 */
export async function readCsvRaw(db: Db, path: string, table: string): Promise<RawTable> {
  const cells = `${table}_cells`;
  const errors = `${table}_errors`;
  const scans = `${table}_scans`;
  const map = `${table}_lines`;
  let isView = false;
  const dispose = async () => {
    // The view first: it depends on the cells table.
    await db.run(isView ? `DROP VIEW IF EXISTS ${table}` : `DROP TABLE IF EXISTS ${table}`);
    for (const t of [cells, errors, scans, map]) await db.run(`DROP TABLE IF EXISTS ${t}`);
  };
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${cells} AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true,
         delim = ',', quote = '"', escape = '"', nullstr = ['NULL', ''],
         store_rejects = true, rejects_table = '${errors}', rejects_scan = '${scans}')`,
    );
    const counted = await db.one<{ good: string; bad: string }>(
      `SELECT (SELECT count(*) FROM ${cells}) AS good, (SELECT count(DISTINCT line) FROM ${errors}) AS bad`,
    );
    const good = Number(counted?.good ?? 0);
    const bad = Number(counted?.bad ?? 0);
    const columns = (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${cells})`)).map(
      (r) => r.column_name,
    );
    const lines = csvRecordLines(path);
    // The reader keeps file order, so rowid follows it.
    const simple = bad === 0 && lines.physical.length === good && lines.physical.every((line, k) => line === k + 2);
    if (simple) {
      // The common case (no blank lines, no multi-line cells, nothing rejected): no copy at all.
      await db.run(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT rowid + 2 AS __line, * FROM ${cells}`);
      isView = true;
      return { table, columns, records: good, dispose };
    }
    let { physical, duckdb } = lines;
    if (physical.length !== good + bad) {
      // The scan and DuckDB disagree on where records are (an unusual quoting): fall back to DuckDB's
      // own numbering rather than name wrong lines.
      duckdb = Array.from({ length: good + bad }, (_, i) => i + 2);
      physical = duckdb;
    }
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${map} AS
       SELECT unnest(range(1, len(p) + 1)) AS k, unnest(p) AS line, unnest(d) AS duck
       FROM (SELECT from_json(?, '["BIGINT"]') AS p, from_json(?, '["BIGINT"]') AS d)`,
      [JSON.stringify(physical), JSON.stringify(duckdb)],
    );
    await db.run(
      // DuckDB logs a short record once per missing column; the first (lowest column) tells the count.
      `INSERT INTO staged_rejects SELECT m.line, arg_min(e.error_type || ': ' || e.error_message, e.column_idx::BIGINT), any_value(e.csv_line)
       FROM ${errors} e JOIN ${map} m ON m.duck = e.line GROUP BY m.line ORDER BY m.line`,
    );
    // Good record g takes the g-th record line that is not a rejected one.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       WITH free AS (
         SELECT line, row_number() OVER (ORDER BY k) AS g FROM ${map} WHERE duck NOT IN (SELECT line FROM ${errors})
       ), numbered AS (SELECT row_number() OVER (ORDER BY rowid) AS g, * FROM ${cells})
       SELECT free.line::BIGINT AS __line, numbered.* EXCLUDE (g) FROM numbered JOIN free USING (g)`,
    );
    return { table, columns, records: good + bad, dispose };
  } catch (e) {
    await dispose();
    throw e;
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
  return { table, columns, records: Number(n?.n ?? 0), dispose: () => db.run(`DROP TABLE IF EXISTS ${table}`) };
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
