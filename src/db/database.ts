// DuckDB lifecycle: one instance per command or job run, closed in `finally`; lock-busy retry; migrations.
import { existsSync } from 'node:fs';
import { keepBesideFilesPrivate } from './private-files.js';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, FILE_OPTIONS } from './duckdb.js';
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from './duckdb.js';
import { BusyError, DataError } from '../errors.js';
import { applyMigrations } from './migrate.js';
import { statementWrites } from './statement-writes.js';
import { bound } from './bound-params.js';
import { damagedFile } from './damaged-file.js';
import { diskFull } from './disk-full.js';
import { refuseIfMemoryOnly } from './statement-guard.js';
import { traced } from './sql-trace.js';

export type SqlParam = string | number | bigint | boolean | null;
type Params = SqlParam[] | Record<string, SqlParam>;
// biome-ignore lint/suspicious/noExplicitAny: a result row: column types come from the SQL, each reader converts its own
export type Row = Record<string, any>;

/** A thin, typed face over one DuckDB connection. Money and counts come back as exact strings. */
export class Db {
  constructor(
    readonly path: string,
    /** For reads only: a write that bypasses all/allPrepared/run is not seen by writeStamp. */
    readonly connection: DuckDBConnection,
  ) {}

  private readonly tableWrites = new Map<string, number>();
  private everythingWrites = 0;

  /**
   * Runs one statement and counts it as a write to its table (or to every table) unless it surely
   * changed nothing: a row change that reports no changed rows. A failed statement counts (the
   * transaction it was in will roll back, which counts anyway).
   */
  private async counted<R extends { rowsChanged: number }>(sql: string, run: () => Promise<R>): Promise<R> {
    refuseIfMemoryOnly(sql);
    const writes = statementWrites(sql);
    if (writes.kind === 'none') return this.firstCause(run, sql);
    let wrote = true;
    try {
      const result = await this.firstCause(run, sql);
      wrote = !(writes.kind === 'table' && writes.rows && result.rowsChanged === 0);
      return result;
    } finally {
      if (wrote && writes.kind === 'everything') this.everythingWrites++;
      else if (wrote && writes.kind === 'table')
        this.tableWrites.set(writes.table, (this.tableWrites.get(writes.table) ?? 0) + 1);
    }
  }

  /**
   * How far the statement running now on this connection has got, 0-100, or null when DuckDB cannot tell
   * (no statement running, or progress tracking off: see trackProgress). Safe to call while a statement
   * runs: statements run off the JavaScript thread.
   */
  queryProgress(): number | null {
    const p = this.connection.progress.percentage;
    return Number.isFinite(p) && p >= 0 ? Math.min(p, 100) : null;
  }

  /** Turns on DuckDB's progress tracking for queryProgress, without DuckDB drawing a bar of its own. */
  async trackProgress(): Promise<void> {
    await this.run('SET enable_progress_bar = true');
    await this.run('SET enable_progress_bar_print = false');
  }

  /** Counts a write made outside all/run (an appender: db/append.ts), so writeStamp sees it. */
  noteWrite(table: string): void {
    this.tableWrites.set(table, (this.tableWrites.get(table) ?? 0) + 1);
  }

  /**
   * A number that changes whenever a statement on this connection may have changed one of `tables`: a
   * cache of reads from them stays valid while it is the same. (One process at a time opens a file for
   * writing; a second connection of it (OpenDatabase.connect) must not write tables a cache reads.)
   */
  writeStamp(tables: readonly string[]): number {
    let stamp = this.everythingWrites;
    for (const t of tables) stamp += this.tableWrites.get(t) ?? 0;
    return stamp;
  }

  async all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    const reader = await this.counted(sql, () => this.connection.runAndReadAll(sql, bound(params)));
    return reader.getRowObjectsJson() as T[];
  }

  private readonly statements = new Map<string, Promise<DuckDBPreparedStatement>>();

  /**
   * Like all(), with the statement planned once per connection: for the few hot queries a long-lived
   * caller repeats (the pre-call check), where planning is a good part of the cost.
   */
  async allPrepared<T extends Row = Row>(sql: string, params: SqlParam[]): Promise<T[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
      statement.catch(() => this.statements.delete(sql));
    }
    const prepared = await statement;
    prepared.bind(params as DuckDBValue[]);
    return (await this.counted(sql, () => prepared.runAndReadAll())).getRowObjectsJson() as T[];
  }

  async one<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: Params = []): Promise<void> {
    await this.counted(sql, () => this.connection.run(sql, bound(params)));
  }

  private depth = 0;
  /** The error that aborted the running transaction: what a later statement's failure really means. */
  private abortedBy: unknown;

  /**
   * Runs a statement; inside a transaction an error is remembered, and a later statement refused only
   * because the transaction is aborted (a cleanup in a `finally`) rethrows that first error instead, so
   * the user reads the cause, not "Current transaction is aborted".
   */
  private async firstCause<R>(run: () => Promise<R>, sql = ''): Promise<R> {
    try {
      return await traced(sql, run);
    } catch (raw) {
      const e = diskFull(raw, this.path) ?? damagedFile(raw, this.path) ?? raw;
      if (this.depth === 0) throw e;
      if (this.abortedBy !== undefined && ABORTED.test(String((e as Error)?.message))) throw this.abortedBy;
      this.abortedBy ??= e;
      throw e;
    }
  }

  /** Runs `fn` in one transaction: all of it lands, or none of it. Nested calls join the outer one. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      this.depth++;
      try {
        return await fn();
      } finally {
        this.depth--;
      }
    }
    await this.run('BEGIN TRANSACTION');
    this.depth = 1;
    this.abortedBy = undefined;
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (e) {
      // The first error is the cause, whatever `fn` caught and threw after it.
      const cause = this.abortedBy !== undefined && ABORTED.test(String((e as Error)?.message)) ? this.abortedBy : e;
      this.depth = 0;
      await this.run('ROLLBACK').catch(() => undefined);
      throw cause;
    } finally {
      this.depth = 0;
      this.abortedBy = undefined;
    }
  }
}

export interface OpenOptions {
  /** How long to keep retrying while another process holds the file. */
  lockTimeoutMs: number;
  /** Called once when the first attempt finds the file busy (e.g. to tell a TTY user we wait). */
  onWait?: (holderPid: number | undefined) => void;
}

const ABORTED = /Current transaction is aborted/i;
const LOCK_MESSAGE = /Could not set lock on file|Conflicting lock is held/i;

function lockHolderPid(message: string): number | undefined {
  const m = /\(PID (\d+)\)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createInstance(path: string, options: OpenOptions): Promise<DuckDBInstance> {
  const started = Date.now();
  let delay = 20;
  let warned = false;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, FILE_OPTIONS);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (!LOCK_MESSAGE.test(message)) {
        throw new DataError(`database ${path} cannot be opened: ${message.split('\n')[0]}`);
      }
      const pid = lockHolderPid(message);
      if (Date.now() - started >= options.lockTimeoutMs) {
        throw new BusyError(`database ${path} is busy (held by pid ${pid ?? 'unknown'})`);
      }
      if (!warned) {
        options.onWait?.(pid);
        warned = true;
      }
      // Jittered exponential backoff, so many waiting writers do not retry in lock-step.
      await sleep(delay + Math.floor(Math.random() * delay));
      delay = Math.min(delay * 2, 250);
    }
  }
}

/**
 * Runs `fn` while this process holds `path`'s lock, the one every writer takes (throws BusyError, exit 4,
 * when another process keeps it past the timeout). The file is opened and checkpointed (its WAL folded
 * in) but not migrated, so a file of an older schema can be held. `fn` may replace the file: a process
 * that opens the path afterwards opens the new one. A file DuckDB cannot open for another reason than the
 * lock (corrupt, not a database) is no file another costctl holds: `fn` runs without the lock.
 */
export async function withFileLock<T>(path: string, options: OpenOptions, fn: () => T): Promise<T> {
  let instance: DuckDBInstance;
  try {
    instance = await createInstance(path, options);
  } catch (e) {
    if (e instanceof BusyError) throw e;
    return fn();
  }
  try {
    const connection = await instance.connect();
    try {
      await connection.run('CHECKPOINT');
    } finally {
      connection.closeSync();
    }
    return fn();
  } finally {
    instance.closeSync();
  }
}

/** An open, migrated database and how to close it: for a process that owns the file for its whole life. */
export interface OpenDatabase {
  db: Db;
  /** Closes the connection and the instance, which releases the file lock. Safe to call twice. */
  close: () => void;
  /** Another connection to the same instance (its own transactions; closed by close()). */
  connect: () => Promise<Db>;
}

/** Opens (creating with mode 0600 if new) and migrates the database; the caller closes it. */
export async function openDatabase(path: string, options: OpenOptions): Promise<OpenDatabase> {
  const full = path === ':memory:' ? path : resolve(path);
  const isNew = full !== ':memory:' && !existsSync(full);
  if (isNew) {
    const dir = dirname(full);
    if (!existsSync(dir)) {
      throw new DataError(`database ${path}: folder ${dir} does not exist (create it or choose another --db)`);
    }
  }
  const instance = await createInstance(full, options);
  let closed = false;
  const others: DuckDBConnection[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      for (const c of others) c.closeSync();
      connection?.closeSync();
    } finally {
      instance.closeSync();
    }
  };
  let connection: DuckDBConnection | undefined;
  try {
    if (full !== ':memory:') keepBesideFilesPrivate(full, isNew);
    connection = await instance.connect();
    const db = new Db(full, connection);
    // Naive TIMESTAMP columns hold UTC; the session zone must be UTC for casts to mean that.
    await db.run("SET TimeZone = 'UTC'");
    await applyMigrations(db);
    const connect = async () => {
      others.push(await instance.connect());
      const more = new Db(full, others.at(-1)!);
      await more.run("SET TimeZone = 'UTC'");
      return more;
    };
    return { db, close, connect };
  } catch (e) {
    close();
    throw e;
  }
}

/** Opens and migrates the database, runs `fn`, and always closes. */
export async function withDatabase<T>(path: string, options: OpenOptions, fn: (db: Db) => Promise<T>): Promise<T> {
  const { db, close } = await openDatabase(path, options);
  try {
    return await fn(db);
  } finally {
    close();
  }
}
