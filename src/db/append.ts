// Rows into a table through DuckDB's appender: a few microseconds a row, where an INSERT … VALUES with a
// cast per parameter costs milliseconds to plan for a batch of records. The appender joins the connection's
// open transaction (a ROLLBACK drops what it appended), and the write is counted like any statement's
// (Db.noteWrite), so write stamps stay true. Columns not given get their default.
import { DuckDBDecimalValue, DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { Db } from './database.js';
import { sqlString } from './sql.js';

/** A value to append: money and other decimals as exact text, instants as Date or epoch microseconds. */
export type AppendValue = string | bigint | boolean | Date | { epochMicros: bigint } | null;

interface Column {
  name: string;
  type: string;
}

const shapes = new WeakMap<Db, Map<string, Column[]>>();

async function columnsOf(db: Db, table: string): Promise<Column[]> {
  const byTable = shapes.get(db) ?? new Map<string, Column[]>();
  shapes.set(db, byTable);
  let columns = byTable.get(table);
  if (!columns) {
    // pragma_table_info reads one table; duckdb_columns() builds every table's columns first (1.5 ms against
    // 9–28 ms in a fresh process: most of a small ingest's append).
    const rows = await db.all<{ name: string; type: string }>(
      `SELECT name, type FROM pragma_table_info(${sqlString(table)}) ORDER BY cid`,
    );
    columns = rows.map((c) => ({ name: c.name, type: c.type }));
    byTable.set(table, columns);
  }
  return columns;
}

/** Exact decimal text as DuckDB's scaled integer; more fractional digits than the column keeps is an error. */
export function scaledDecimal(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const n = BigInt(m[2]! + fraction.padEnd(scale, '0'));
  return m[1] ? -n : n;
}

function appendOne(a: DuckDBAppender, type: string, v: Exclude<AppendValue, null>): void {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) {
    const [width, scale] = [Number(decimal[1]), Number(decimal[2])];
    a.appendDecimal(new DuckDBDecimalValue(scaledDecimal(String(v), scale), width, scale));
  } else if (type === 'TIMESTAMP') {
    const micros = v instanceof Date ? BigInt(v.getTime()) * 1000n : (v as { epochMicros: bigint }).epochMicros;
    a.appendTimestamp(new DuckDBTimestampValue(micros));
  } else if (type === 'BIGINT') a.appendBigInt(BigInt(v as string | bigint));
  else if (type === 'HUGEINT') a.appendHugeInt(BigInt(v as string | bigint));
  else if (type === 'INTEGER') a.appendInteger(Number(v));
  else if (type === 'BOOLEAN') a.appendBoolean(v === true);
  else if (type === 'VARCHAR' || type === 'JSON') a.appendVarchar(String(v));
  else throw new Error(`append: column type ${type} is not supported`);
}

/** Appends `rows` (column name → value; a column left out gets its default) to `table`. */
export async function appendRows(db: Db, table: string, rows: Array<Record<string, AppendValue>>): Promise<void> {
  if (rows.length === 0) return;
  const columns = await columnsOf(db, table);
  const appender = await db.connection.createAppender(table);
  // Counted before it can fail: a failed append leaves the transaction to roll back, which counts anyway.
  db.noteWrite(table);
  try {
    for (const row of rows) {
      for (const c of columns) {
        if (!(c.name in row)) appender.appendDefault();
        else {
          const v = row[c.name];
          if (v === null || v === undefined) appender.appendNull();
          else appendOne(appender, c.type, v);
        }
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
