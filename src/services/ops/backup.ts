// Backup and restore. A backup is DuckDB's EXPORT DATABASE as Parquet, taken inside one session that
// holds the file lock (a consistent copy), plus a manifest of row counts and DECIMAL column sums that
// restore checks, so a round trip is proven to keep every row and every total.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BusyError, DataError, UsageError } from '../../errors.js';
import { withDatabase, withFileLock, type Db } from '../../db/database.js';
import { isPrivate, makePrivate } from '../../db/private-files.js';
import { sqlIdent, sqlString } from '../../db/sql.js';

export const MANIFEST = 'costctl-backup.json';

export interface TableSummary {
  rows: string;
  /** Exact sums of every DECIMAL column, by column name. */
  sums: Record<string, string | null>;
}

export interface BackupManifest {
  format: 'costctl-backup/1';
  created_at: string;
  source_db: string;
  schema_version: number;
  tables: Record<string, TableSummary>;
}

/** Row counts and DECIMAL sums of every table in the main schema. */
export async function summarizeTables(db: Db): Promise<Record<string, TableSummary>> {
  const columns = await db.all<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position`,
  );
  const tables = [...new Set(columns.map((c) => c.table_name))];
  const out: Record<string, TableSummary> = {};
  for (const t of tables) {
    const decimals = columns
      .filter((c) => c.table_name === t && c.data_type.startsWith('DECIMAL'))
      .map((c) => c.column_name);
    const select = [`count(*)::VARCHAR AS "__rows"`, ...decimals.map((c) => `sum("${c}")::VARCHAR AS "${c}"`)].join(
      ', ',
    );
    const row = (await db.one(`SELECT ${select} FROM "${t}"`))!;
    const sums: Record<string, string | null> = {};
    for (const c of decimals) sums[c] = row[c] ?? null;
    out[t] = { rows: row.__rows, sums };
  }
  return out;
}

/** Makes sure `dir` is a new or empty folder; returns whether it was created here. */
function checkBackupTarget(dir: string): boolean {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`backup: ${dir} is a file; give a new or empty folder`);
    if (readdirSync(dir).length > 0) throw new UsageError(`backup: ${dir} is not empty; choose a new or empty folder`);
    return false;
  }
  if (!existsSync(dirname(resolve(dir)))) throw new DataError(`backup: parent folder of ${dir} does not exist`);
  mkdirSync(dir);
  return true;
}

/** A backup that failed half way leaves nothing behind (files without a manifest look like a backup). */
function discardPartialBackup(dir: string, created: boolean, e: unknown): Error {
  if (created) rmSync(dir, { recursive: true, force: true });
  else for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  const why = ((e as Error)?.message ?? String(e)).split('\n')[0]!;
  if ((e as NodeJS.ErrnoException).code === 'ENOSPC' || /disk full|No space left/i.test(why))
    return new DataError(
      `backup: disk full writing ${dir}; the partial backup was removed: free space or choose another disk`,
    );
  return e instanceof DataError
    ? e
    : new DataError(`backup: could not write ${dir} (${why}); the partial backup was removed`);
}

export async function backupDatabase(db: Db, dir: string, now: Date): Promise<BackupManifest> {
  const target = resolve(dir);
  const created = checkBackupTarget(target);
  try {
    return await writeBackup(db, target, now);
  } catch (e) {
    throw discardPartialBackup(target, created, e);
  }
}

async function writeBackup(db: Db, target: string, now: Date): Promise<BackupManifest> {
  const version = await db.one<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  // EXPORT would also write this session's scratch TEMP tables, which restore cannot recreate; they are
  // scratch by definition, so they go first.
  for (const t of await db.all<{ name: string }>('SELECT table_name AS name FROM duckdb_tables() WHERE temporary')) {
    await db.run(`DROP TABLE temp.main.${sqlIdent(t.name)}`);
  }
  // EXPORT writes the schema, then one Parquet file per table; sequences keep their current values.
  await db.run(`EXPORT DATABASE ${sqlString(target)} (FORMAT parquet)`);
  const manifest: BackupManifest = {
    format: 'costctl-backup/1',
    created_at: now.toISOString(),
    source_db: db.path,
    schema_version: Number(version?.v ?? 0),
    tables: await summarizeTables(db),
  };
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  // A backup holds the same rows as the database: as private as it is.
  if (isPrivate(db.path)) makePrivate(target);
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const path = join(resolve(dir), MANIFEST);
  if (!existsSync(path))
    throw new DataError(
      `restore: ${dir} is not a costctl backup (no ${MANIFEST}); make one with \`costctl backup DIR\``,
    );
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataError(`restore: ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (manifest.format !== 'costctl-backup/1' || typeof manifest.tables !== 'object') {
    throw new DataError(`restore: ${path} is not a costctl backup manifest (format ${String(manifest.format)})`);
  }
  return manifest;
}

export interface RestoreResult {
  db: string;
  tables: number;
  rows: string;
  replaced: boolean;
}

/**
 * Imports the backup into a fresh file next to `target`, checks every count and sum against the
 * manifest, and only then moves it into place, so a failed restore never damages an existing file.
 */
export async function restoreDatabase(
  dir: string,
  target: string,
  options: { force: boolean; lockTimeoutMs: number },
): Promise<RestoreResult> {
  const source = resolve(dir);
  const manifest = readManifest(source);
  const full = resolve(target);
  const exists = existsSync(full);
  if (exists && !options.force)
    throw new UsageError(`restore: ${target} already exists; pass --force to replace it, or choose another --db`);
  if (!existsSync(dirname(full))) throw new DataError(`restore: folder ${dirname(full)} does not exist`);
  const staging = `${full}.restoring-${process.pid}`;
  rmSync(staging, { force: true });
  rmSync(`${staging}.wal`, { force: true });
  try {
    const { DuckDBInstance, FILE_OPTIONS } = await import('../../db/duckdb.js');
    const instance = await DuckDBInstance.create(staging, FILE_OPTIONS);
    try {
      const connection = await instance.connect();
      try {
        await connection.run("SET TimeZone = 'UTC'");
        await connection.run(`IMPORT DATABASE ${sqlString(source)}`);
      } finally {
        connection.closeSync();
      }
    } finally {
      instance.closeSync();
    }
    // Opening through the normal path applies any newer migrations, then the figures are compared.
    const restored = await withDatabase(staging, { lockTimeoutMs: options.lockTimeoutMs }, (db) => summarizeTables(db));
    for (const [table, expected] of Object.entries(manifest.tables)) {
      const got = restored[table];
      if (!got || got.rows !== expected.rows || JSON.stringify(got.sums) !== JSON.stringify(expected.sums)) {
        throw new DataError(
          `restore: table ${table} does not match the backup manifest (rows ${got?.rows ?? 'missing'} vs ${expected.rows}); nothing was replaced`,
        );
      }
    }
    // The same lock every writer takes: a file another process holds (an ingest writing it) is never
    // replaced under it (BusyError, exit 4); a process waiting for the lock then opens the restored file.
    const replace = () => {
      rmSync(`${full}.wal`, { force: true });
      renameSync(staging, full);
      chmodSync(full, 0o600);
    };
    if (exists)
      await withFileLock(full, { lockTimeoutMs: options.lockTimeoutMs }, replace).catch((e) => {
        if (!(e instanceof BusyError)) throw e;
        throw new BusyError(
          `restore: ${e.message}; nothing was replaced (let that process finish, then restore again)`,
        );
      });
    else replace();
    const rows = Object.values(manifest.tables).reduce((s, t) => s + BigInt(t.rows), 0n);
    return { db: full, tables: Object.keys(manifest.tables).length, rows: rows.toString(), replaced: exists };
  } catch (e) {
    rmSync(staging, { force: true });
    rmSync(`${staging}.wal`, { force: true });
    if (e instanceof UsageError || e instanceof DataError || e instanceof BusyError) throw e;
    throw new DataError(`restore: ${dir} could not be imported: ${(e as Error).message.split('\n')[0]}`);
  }
}
