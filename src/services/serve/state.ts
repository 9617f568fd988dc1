// What a running server holds for its whole life: the one database connection and its turns, the holds,
// the record batcher, the live event stream, and how it runs a CLI command it was sent.
import type { EventEmitter } from 'node:events';
import type { Db } from '../../db/database.js';
import type { InstantRange } from '../../domain/ingest-bounds.js';
import type { Turns } from './exclusive.js';
import type { HoldLedger } from './holds.js';
import type { RecordBatcher } from './record-batches.js';
import type { UsageLedger } from './usage-ledger.js';
import type { Caller, TokenBook } from './tokens.js';

export interface CliOutcome {
  stdout: string;
  stderr: string;
  exit_code: number;
}

/** Runs one costctl command line for a CLI on this server's database (composed in commands/serve.ts). */
export type CliRunner = (argv: string[], env: Record<string, string>, cwd: string) => Promise<CliOutcome>;

export interface ServeState {
  db: Db;
  turns: Turns;
  holds: HoldLedger;
  /** Window usage the checks read from memory (kept up to date by the record batches). */
  ledger: UsageLedger;
  /** Checks reading in the connection's turn right now (checks.ts: the others then wait there too). */
  checksInTurn: number;
  records: RecordBatcher;
  /** `alert` and `records` events for the SSE stream. */
  events: EventEmitter;
  tz: string;
  now: () => Date;
  /** Instants a record may carry (config accepted_from / accepted_to). */
  accepted: InstantRange;
  /** The server's own (admin) bearer token; role tokens are in `tokens`. */
  token: string;
  tokens: TokenBook;
  /** Absent: CLI commands are not accepted (a library user's server). */
  runCli?: CliRunner;
  startedAt: Date;
}

/** Runs fn with the database, in its turn. */
export function withTurn<T>(s: ServeState, fn: (db: Db) => Promise<T>): Promise<T> {
  return s.turns.run(() => fn(s.db));
}

/** Lends the server's connection to a command or job, in its turn (a write to the catalog or quotas is announced). */
export function lendDbOf(s: ServeState): <T>(fn: (db: Db) => Promise<T>) => Promise<T> {
  return (fn) => withWriteTurn(s, fn);
}

// What the server (or a part of it) may keep in memory from these tables: the row pricer's catalog, the
// check context, a quota ledger. Each listens for its event and drops what it kept.
const CATALOG_TABLES = ['models', 'model_aliases', 'model_prices', 'price_adjustments'] as const;
const QUOTA_TABLES = ['quotas', 'quota_resets', 'budgets', 'budget_allocations', 'directory'] as const;

/** The price catalog changed (models add/update/remove/import/sync, discounts): `catalog` event, and `dashboard`. */
export function catalogChanged(s: ServeState): void {
  s.events.emit('catalog');
  s.events.emit('dashboard', { changed: 'catalog' });
}

/** Quotas, budgets or the directory changed (add/update/reset/remove): `quotas` event, and `dashboard`. */
export function quotasChanged(s: ServeState): void {
  s.events.emit('quotas');
  s.events.emit('dashboard', { changed: 'quotas' });
}

/**
 * Runs fn in its turn, and before the turn ends says whether it wrote to the catalog or the quotas (by the
 * connection's write stamps, so no write is missed whoever made it: an API route, a CLI command, a job).
 */
export function withWriteTurn<T>(s: ServeState, fn: (db: Db) => Promise<T>): Promise<T> {
  return withTurn(s, async (db) => {
    const catalog = db.writeStamp(CATALOG_TABLES);
    const quotas = db.writeStamp(QUOTA_TABLES);
    try {
      return await fn(db);
    } finally {
      if (db.writeStamp(CATALOG_TABLES) !== catalog) catalogChanged(s);
      if (db.writeStamp(QUOTA_TABLES) !== quotas) quotasChanged(s);
    }
  });
}

/**
 * Who the audit trail names for a write: `serve:<token name>`. The server's own token may say which
 * gateway sends (X-Costctl-Actor: `serve:gateway-1`); a role token's holder is named by the token, with
 * what it says after it (`serve:edge/eu-1`).
 */
export function actorOf(caller: Caller | undefined, header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  const said = v && /^[\w.@:-]{1,64}$/.test(v) ? v : undefined;
  if (!caller || caller.name === 'admin') return `serve:${said ?? 'admin'}`;
  return said && said !== caller.name ? `serve:${caller.name}/${said}` : `serve:${caller.name}`;
}
