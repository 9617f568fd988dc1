// Records arrive one request at a time from many gateways; a DuckDB commit costs far more than a row. So
// records that arrive while a batch is being written wait a moment and go in the next one: one transaction
// per batch, acknowledged only after it commits (durable before acknowledged). Each batch writes one audit
// row, adds its rows to the checks' usage ledger and ends the holds of the requests it recorded (one step,
// right after the commit). Then the alerts are evaluated on a connection of their own (so an evaluation
// never holds up a batch or a check), after the callers have their answer, at most one evaluation running
// or waiting at a time (each sees every batch committed before it starts, so none is skipped; one that
// fails is tried again).
//
// Where a batch's fixed cost goes (#19; one record per batch, server CPU, DuckDB 1.5, 2026-12-07, load
// 3-9 on the shared 2-core host, so ±20 %): ~17 ms of the ~19 ms a record costs at one client is the
// batch's transaction: COMMIT 3-4.5 ms (WAL append; no checkpoint: the WAL grows to wal_autocheckpoint,
// 16 MiB, between them), the rollup's DELETE … RETURNING 3-4 ms and the two appender flushes ~2.4 ms
// each, the audit INSERT and the de-dup lookup (~1.5 ms each, prepared), BEGIN 0.4 ms. Most of it is
// DuckDB's per-transaction work on each table written, which grows with the table's width: a one-row
// transaction into usage (~50 columns) costs ~6 ms, into a one-column table ~2 ms. Tried without gain:
// the rollup's DELETE prepared, an UPDATE … FROM VALUES instead of delete + append, waiting a tick or
// 2 ms before taking a batch (16 clients still gave ~7.5 records a batch). SET threads = 1 saves ~10-25 %
// of a tiny transaction's CPU but is global: it would halve the parallelism of the reports served here.
// The alert evaluation (~32 ms) runs at most once a second: ~2 ms a record at 30 records/s.
import type { Db } from '../../db/database.js';
import { evaluateAlerts } from '../alerts/evaluate.js';
import { recordServeWrite } from './audit.js';
import { recordUsageBatch, rollupRowOf, type RecordInput, type RecordResult } from '../usage/record-request.js';
import type { Turns } from './exclusive.js';
import type { HoldLedger } from './holds.js';
import type { LedgerRow, UsageLedger } from './usage-ledger.js';

export interface BatchOutcome {
  results: RecordResult[];
}

interface Waiting {
  inputs: RecordInput[];
  actor: string;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
}

export interface RecordBatcherOptions {
  db: Db;
  turns: Turns;
  holds: HoldLedger;
  ledger: UsageLedger;
  /** The connection alert evaluations run on, and their turns (one at a time). */
  alertDb: Db;
  alertTurns: Turns;
  tz: string;
  now: () => Date;
  /** Rows per INSERT (each row binds ~25 parameters). */
  chunkRows?: number;
  /**
   * At least this long between the start of one alert evaluation and the next (default 1000 ms): an
   * evaluation reads every quota and budget window (hundreds of ms of CPU on a busy host), so under a
   * stream of batches it runs once per interval over all of them instead of after each.
   */
  alertIntervalMs?: number;
  /** Where an alert evaluation's failure is told (it has no caller waiting). */
  onError?: (e: unknown) => void;
  /** Called after each committed batch and each evaluation that raised alerts (the SSE stream announces them). */
  onCommitted?: (outcome: { rows: number; alerts: Array<{ id: number; type: string; title: string }> }) => void;
}

export class RecordBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private alertsPending = false;
  private alertsActor = 'serve:admin';
  /** The latest request time recorded since the last evaluation, when it is ahead of the clock. */
  private alertsAt = 0;
  /** When the last evaluation started (ms since the epoch, by the host's clock). */
  private lastEvaluation = 0;
  private alertsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: RecordBatcherOptions) {}

  /** Resolves once every input is committed (or was already stored), with one result per input, in order. */
  submit(inputs: RecordInput[], actor: string): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ inputs, actor, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // The batch is taken when the connection is free: everything that arrived meanwhile joins it.
        void this.o.turns.run(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      const outcomes = await this.write(batch);
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
    } catch {
      // One bad submission must not fail the others: write each alone, so only its own caller hears.
      for (const w of batch) {
        try {
          w.resolve((await this.write([w]))[0]!);
        } catch (e) {
          w.reject(e);
        }
      }
    }
  }

  private async write(batch: Waiting[]): Promise<BatchOutcome[]> {
    const { db, now: clock } = this.o;
    const now = clock();
    const chunk = this.o.chunkRows ?? 400;
    const before = this.o.ledger.stampNow();
    const perCall = await db.transaction(async () => {
      const all = batch.flatMap((w) => w.inputs);
      const results: RecordResult[] = [];
      for (let i = 0; i < all.length; i += chunk)
        results.push(...(await recordUsageBatch(db, all.slice(i, i + chunk), now)));
      const stored = results.filter((r) => r.stored).length;
      await recordServeWrite(db, { now, actors: batch.map((w) => w.actor), what: 'records', count: stored });
      let at = 0;
      return batch.map((w) => {
        const mine = results.slice(at, at + w.inputs.length);
        at += w.inputs.length;
        return mine;
      });
    });
    // Committed: the recorded requests now count as rows in the ledger, so their holds end (in the same
    // synchronous step, and the ledger's version changes: no check holds having seen neither).
    this.o.ledger.applyBatch(storedRows(batch, perCall), before);
    for (const w of batch) for (const r of w.inputs) if (r.requestId) this.o.holds.release(r.requestId);
    const rows = perCall.reduce((n, rs) => n + rs.filter((r) => r.stored).length, 0);
    this.o.onCommitted?.({ rows, alerts: [] });
    // As of the later of now and the latest request: a request stamped slightly ahead still counts.
    for (const w of batch) for (const r of w.inputs) this.alertsAt = Math.max(this.alertsAt, r.timestamp.getTime());
    if (rows > 0) this.evaluateSoon(batch[0]!.actor);
    return perCall.map((results) => ({ results }));
  }

  /** Alert evaluation after committed batches: one waiting turn covers every batch before it. */
  private evaluateSoon(actor: string): void {
    this.alertsActor = actor;
    if (this.alertsPending) return;
    this.alertsPending = true;
    const wait = Math.max(0, this.lastEvaluation + (this.o.alertIntervalMs ?? 1000) - Date.now());
    this.alertsTimer = setTimeout(() => this.queueEvaluation(), wait);
  }

  /** Stops waiting out the interval: the pending evaluation starts now (a stopping server drains it). */
  drain(): void {
    if (this.alertsTimer) this.queueEvaluation();
  }

  /** Resolves when no alert evaluation is waiting or running (after drain(), all batches are evaluated). */
  async idle(): Promise<void> {
    await this.o.alertTurns.idle();
  }

  private queueEvaluation(): void {
    clearTimeout(this.alertsTimer);
    this.alertsTimer = undefined;
    void this.o.alertTurns
      .queue(() => {
        this.alertsPending = false;
        this.lastEvaluation = Date.now();
        return this.evaluate();
      })
      .catch((e) => {
        // Not lost: the batches it was to cover are evaluated by the next one (a conflict with a
        // concurrent write to the same alert, most often).
        this.o.onError?.(e);
        this.evaluateSoon(this.alertsActor);
      });
  }

  private async evaluate(): Promise<void> {
    const now = this.o.now();
    const ahead = this.alertsAt;
    this.alertsAt = 0;
    const at = new Date(Math.max(now.getTime(), ahead));
    const { alertDb } = this.o;
    const alerts = await alertDb
      .transaction(() => evaluateAlerts(alertDb, { at, tz: this.o.tz, now, actor: this.alertsActor }))
      .catch((e) => {
        this.alertsAt = Math.max(this.alertsAt, ahead);
        throw e;
      });
    if (alerts.raised.length)
      this.o.onCommitted?.({
        rows: 0,
        alerts: alerts.raised.map((a) => ({ id: a.id, type: a.type, title: a.title })),
      });
  }
}

/** The rows a batch stored, as the usage ledger needs them. */
function storedRows(batch: Waiting[], perCall: RecordResult[][]): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (const [i, w] of batch.entries())
    for (const [j, r] of perCall[i]!.entries()) {
      if (!r.stored) continue;
      rows.push(rollupRowOf(w.inputs[j]!, r.priced_model, r.total_cost));
    }
  return rows;
}
