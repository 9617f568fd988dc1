// `costctl serve`'s life: open the database once and own it, answer on loopback, leave the server file for
// the CLI, and on stop finish what was accepted (the current batch commits) before releasing the file.
import { DEFAULT_INSTANT_RANGE, type InstantRange } from '../../domain/ingest-bounds.js';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { openDatabase } from '../../db/database.js';
import { UsageError } from '../../errors.js';
import { ensureRollup } from '../limits/rollup.js';
import { buildApp } from './app.js';
import { Turns } from './exclusive.js';
import { HoldLedger } from './holds.js';
import { RecordBatcher } from './record-batches.js';
import { removeServerFile, writeServerFile } from './server-file.js';
import { TokenBook } from './tokens.js';
import { UsageLedger } from './usage-ledger.js';
import type { CliRunner, ServeState } from './state.js';

export interface ServeOptions {
  dbPath: string;
  host: string;
  port: number;
  token: string;
  /** The token came from the operator (--token-file), not made on first start: required off loopback. */
  tokenGiven: boolean;
  tz: string;
  now: () => Date;
  lockTimeoutMs: number;
  /** Instants a record may carry (default 1970–2099). */
  accepted?: InstantRange;
  /** How long an allowed check holds its worst case when no record arrives. */
  holdMs?: number;
  runCli?: CliRunner;
}

export interface RunningServer {
  url: string;
  state: ServeState;
  /** Stops accepting, finishes every accepted request and batch, removes the server file, closes the database. */
  stop: () => Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(o.host) && !o.tokenGiven)
    throw new UsageError(
      `--listen ${o.host}: not a loopback address; give --token-file with a token you keep to listen there`,
    );
  const { db, close, connect } = await openDatabase(o.dbPath, { lockTimeoutMs: o.lockTimeoutMs });
  try {
    await ensureRollup(db, o.tz, o.now());
    const turns = new Turns();
    const holds = new HoldLedger(o.holdMs ?? 30_000);
    const ledger = new UsageLedger(db, o.tz);
    // Alert evaluations read every quota window: on a connection of their own they hold up no batch.
    const alertDb = await connect();
    const events = new EventEmitter();
    events.setMaxListeners(0);
    const records = new RecordBatcher({
      db,
      turns,
      holds,
      ledger,
      alertDb,
      alertTurns: new Turns(),
      tz: o.tz,
      now: o.now,
      onError: (e) => process.stderr.write(`costctl serve: alert evaluation failed: ${(e as Error).message}\n`),
      onCommitted: ({ rows, alerts }) => {
        if (rows > 0) events.emit('records', { stored: rows });
        for (const a of alerts) events.emit('alert', a);
      },
    });
    const state: ServeState = {
      db,
      turns,
      holds,
      ledger,
      checksInTurn: 0,
      records,
      events,
      tz: o.tz,
      now: o.now,
      accepted: o.accepted ?? DEFAULT_INSTANT_RANGE,
      token: o.token,
      tokens: new TokenBook(),
      startedAt: new Date(),
      runCli: o.runCli,
    };
    const app = await buildApp(state);
    await app.listen({ host: o.host, port: o.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : o.port;
    const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
    writeServerFile(db.path, {
      pid: process.pid,
      url,
      token: o.token,
      db: db.path,
      started_at: new Date().toISOString(),
    });
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        // The CLI goes back to opening the file itself from here on.
        removeServerFile(db.path);
        try {
          await app.close();
          await turns.idle();
          // After the last batch: its alerts are evaluated before the database closes.
          records.drain();
          await records.idle();
        } finally {
          close();
        }
      })();
      return stopping;
    };
    return { url, state, stop };
  } catch (e) {
    close();
    throw e;
  }
}
