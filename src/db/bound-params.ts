// Statement parameters as the DuckDB client takes them. Given none, the client runs the SQL as one query:
// one trip to DuckDB's threads instead of three (extract, prepare, run), which is most of what BEGIN and
// COMMIT cost a server's record batch on a busy host.
import type { DuckDBValue } from './duckdb.js';

export function bound(params: readonly unknown[] | Record<string, unknown>): DuckDBValue[] | undefined {
  return Array.isArray(params) && params.length === 0 ? undefined : (params as DuckDBValue[]);
}
