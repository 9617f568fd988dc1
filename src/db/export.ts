// Writes the rows of a SQL relation to a file as CSV, JSON or Parquet through DuckDB's own COPY, so
// millions of rows never pass through JavaScript.
//
// - Money stays exact: DECIMAL columns are written by DuckDB as exact decimal text (CSV), as DECIMAL
//   (Parquet), and as strings in JSON (a JSON number would be read back as a binary float); BIGINT and
//   wider integers are strings in JSON too, like `renderJson` does on stdout.
// - CSV is safe to open in a spreadsheet: a text cell starting with = + - @ (or tab/CR), after any `'`s,
//   that is not a plain number gets a leading `'` (the same rule as `csvCell` in src/render/table.ts); the
//   CSV ingest takes it off again, so an export re-ingests unchanged.
// - `mask` replaces the named id columns with stable pseudonyms: `<first letter of column>-` + the first
//   12 hex digits of sha256(salt || ':' || value). The salt is random, made once per database and kept
//   in table `export_salt` (created on first use), so a pseudonym is the same in every export of one
//   database and cannot be reversed by hashing guessed ids without the database file.
// - The file appears whole or not at all: COPY writes a temp file beside it that is renamed at the end.
//   Only a regular file is ever renamed over: `--out -` streams the finished file to stdout, and a target
//   that is a symlink, device or pipe (/dev/stdout, a FIFO) is written through, so it stays what it was.
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBTypeId, type DuckDBValue } from './duckdb.js';
import { DataError, UsageError } from '../errors.js';
import type { Db, SqlParam } from './database.js';
import { sqlIdent } from './sql.js';

export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  /** A SELECT (or any relation query) whose columns become the file's columns, in order. */
  selectSql: string;
  params?: SqlParam[];
  /** The output file; its folder must exist. An existing file is replaced. */
  out: string;
  format: ExportFormat;
  /** Column names to pseudonymize (e.g. user_id, account_id); names not in the relation are refused. */
  mask?: string[];
}

const WIDE_INTEGERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The per-database pseudonym salt, made on first use. */
export async function maskSalt(db: Db): Promise<string> {
  await db.run('CREATE TABLE IF NOT EXISTS export_salt (salt VARCHAR NOT NULL)');
  const found = await db.one<{ salt: string }>('SELECT salt FROM export_salt LIMIT 1');
  if (found) return found.salt;
  const salt = randomBytes(16).toString('hex');
  await db.run('INSERT INTO export_salt (salt) VALUES (?)', [salt]);
  return salt;
}

/** SQL for the pseudonym of `expr`; NULL stays NULL. Kept in SQL so the hash runs inside DuckDB. */
export function pseudonymSql(column: string, expr: string, salt: string): string {
  const prefix = (column.replace(/[^A-Za-z]/g, '')[0] ?? 'x').toLowerCase();
  return `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${quoteLiteral(`${prefix}-`)} || left(sha256(${quoteLiteral(salt)} || ':' || ${expr}::VARCHAR), 12) END`;
}

/** The spreadsheet-injection guard in SQL (mirrors csvCell). */
function neutralizedSql(expr: string): string {
  return `CASE WHEN regexp_matches(${expr}, '^''*[=+\\-@\\t\\r]') AND NOT regexp_matches(${expr}, '^-?[0-9]+(\\.[0-9]+)?$') THEN '''' || ${expr} ELSE ${expr} END`;
}

/** Where the rows go: stdout, a target written through in place, or a regular file replaced by rename. */
type Target = { kind: 'stdout' } | { kind: 'through'; path: string } | { kind: 'file'; path: string };

function checkOut(out: string, format: ExportFormat): Target {
  if (out === '-') {
    if (format === 'parquet' && process.stdout.isTTY) {
      throw new UsageError('--out -: Parquet is binary; redirect stdout to a file or a pipe, or give --out FILE');
    }
    return { kind: 'stdout' };
  }
  const full = resolve(out);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--out ${out}: folder ${dir} does not exist (create it or choose another path)`);
  }
  if (existsSync(full) && statSync(full).isDirectory()) {
    throw new UsageError(`--out ${out} is a folder; give a file name such as ${join(out, `export.csv`)}`);
  }
  const link = existsSync(full) || isDanglingLink(full) ? lstatSync(full) : undefined;
  return link && !link.isFile() ? { kind: 'through', path: full } : { kind: 'file', path: full };
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Copies the finished temp file to its target; only a regular file is replaced by rename. */
async function deliver(temp: string, target: Target): Promise<void> {
  if (target.kind === 'file') return renameSync(temp, target.path);
  const destination = target.kind === 'stdout' ? process.stdout : createWriteStream(target.path, { flags: 'w' });
  await pipeline(createReadStream(temp), destination, { end: target.kind !== 'stdout' });
}

/** Writes the relation to `out` and returns the number of rows written. */
export async function exportRelation(db: Db, request: ExportRequest): Promise<number> {
  const { selectSql, format } = request;
  const params = (request.params ?? []) as DuckDBValue[];
  if (!EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format "${format}" is not one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const target = checkOut(request.out, format);

  const shape = await db.connection.runAndReadAll(`SELECT * FROM (${selectSql}) LIMIT 0`, params);
  const names = shape.columnNames();
  const types = shape.columnTypes();
  const mask = new Set(request.mask ?? []);
  for (const m of mask) {
    if (!names.includes(m))
      throw new UsageError(`cannot mask "${m}": the export has no such column (columns: ${names.join(', ')})`);
  }
  const salt = mask.size ? await maskSalt(db) : '';

  const columns = names.map((name, i) => {
    const type = types[i]!;
    const ref = `src.${sqlIdent(name)}`;
    let expr = ref;
    let isText = type.typeId === DuckDBTypeId.VARCHAR;
    if (mask.has(name)) {
      expr = pseudonymSql(name, ref, salt);
      isText = true;
    } else if (format === 'json' && (type.typeId === DuckDBTypeId.DECIMAL || WIDE_INTEGERS.has(type.typeId))) {
      expr = `${ref}::VARCHAR`;
    }
    if (format === 'csv' && isText) expr = neutralizedSql(expr);
    return `${expr} AS ${sqlIdent(name)}`;
  });

  const options =
    format === 'csv' ? 'FORMAT csv, HEADER true' : format === 'json' ? 'FORMAT json, ARRAY true' : 'FORMAT parquet';
  // A temp file beside a regular target (so the rename is atomic); elsewhere a private temp folder, since
  // the folder of /dev/stdout or of a FIFO is no place to write.
  const scratch = target.kind === 'file' ? undefined : mkdtempSync(join(tmpdir(), 'costctl-export-'));
  const temp =
    target.kind === 'file'
      ? join(dirname(target.path), `.${basename(target.path)}.${process.pid}.tmp`)
      : join(scratch!, `export.${format}`);
  try {
    const result = await db.connection.runAndReadAll(
      `COPY (SELECT ${columns.join(', ')} FROM (${selectSql}) AS src) TO ${quoteLiteral(temp)} (${options})`,
      params,
    );
    const count = Number((result.getRowObjectsJson()[0] as { Count?: string } | undefined)?.Count ?? 0);
    await deliver(temp, target);
    return count;
  } catch (e) {
    if (e instanceof UsageError || e instanceof DataError) throw e;
    throw new DataError(`export to ${request.out} failed: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
  } finally {
    rmSync(temp, { force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
