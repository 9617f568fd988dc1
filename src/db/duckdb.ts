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
/**
 * How costctl opens every database file. No extension is ever downloaded at run time: json, parquet and
 * icu are built in. A file it creates is in DuckDB's v1.3.0 storage format, the first with DICT_FSST
 * string compression: writing text costs about half the CPU of the v0.10.2 format DuckDB picks by default
 * (five text columns of 1M rows: 0.74 s against 1.31 s), which made a 1M-row CSV ingest about 14 %
 * faster (docs/INGEST.md, "Storage format"). DuckDB applies this only when it creates a file: one made
 * before keeps its format, and `costctl backup` then `costctl restore` rewrites it in this one. Files in
 * it open with DuckDB 1.3 or newer.
 */
export const FILE_OPTIONS = {
  autoinstall_known_extensions: 'false',
  storage_compatibility_version: 'v1.3.0',
} as const;

export type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
