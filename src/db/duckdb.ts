// The one place that loads DuckDB's Node API. scripts/bundle.mjs bundles this package's JavaScript into
// dist/bundle (only the native binding, @duckdb/node-bindings, stays external): loading its ~120 CommonJS
// files through Node's ESM loader cost every CLI call about a third of its start. Instructions for one
// `costctl dashboard` (valgrind --tool=callgrind, 2026-12-07): 2.22 G with the package imported as ESM,
// 1.44 G with require(), 1.34 G bundled.
import * as duckdb from '@duckdb/node-api';

export const DuckDBInstance = duckdb.DuckDBInstance;
export type DuckDBInstance = duckdb.DuckDBInstance;
export const DuckDBTypeId = duckdb.DuckDBTypeId;
export type DuckDBTypeId = duckdb.DuckDBTypeId;
export type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
