// What an ingest takes and reports, shared by the per-file pipeline and the Claude Code batch reader.
import { DataError } from '../../errors.js';
import type { IngestKind } from '../../ingest/types.js';
import type { InputFile } from './inputs.js';
import type { InstantRange } from '../../domain/ingest-bounds.js';
import type { Restated } from './restate.js';
import type { Conflict } from './conflicts.js';
import type { UnknownServed } from './load.js';

export interface IngestOptions {
  /** Skip detection and read every file as this format. */
  format?: string;
  /** The `source` of usage rows (default: the format name). */
  source?: string;
  /** Do everything, report it, then roll back. */
  dryRun?: boolean;
  /** Any reject fails the file (exit 1) and nothing of it is loaded. */
  strict?: boolean;
  now: Date;
  /** Instants a row may carry (default 1970–2099); rows outside are rejected. */
  accepted?: InstantRange;
  /** Evaluate quota, budget, threshold and unpriced alerts once the files are in (the CLI passes these). */
  alerts?: { tz: string; actor: string };
  /**
   * Called as each file starts (reading and checking its rows), when its rows start loading (dedupe,
   * pricing, writing) and when it is done: progress on a TTY.
   */
  onFile?: (event: { phase: 'start' | 'loading' | 'done'; file: InputFile; report?: FileReport }) => void;
  /** Bytes of Claude Code files read per statement and transaction (default 256 MiB; tests make it smaller). */
  batchBytes?: number;
}

export interface RejectRow {
  file: string;
  line: number | null;
  reason: string;
  raw: string | null;
}

export interface FileReport {
  path: string;
  format: string;
  kind: IngestKind;
  rows_read: number;
  rows_loaded: number;
  rows_duplicate: number;
  rows_rejected: number;
  total_cost: string;
  /** Not in the --json contract; used for the summary. */
  unpricedModels: { model: string; rows: number }[];
  rejects: RejectRow[];
  /** The same content was ingested before (its rejects are not stored twice). */
  seenBefore: boolean;
  /** Stored rows whose figures this file restated (counted in rows_loaded); not in --json. */
  restated: Restated[];
  /** Duplicates whose request id matched a kept row with other content (counted in rows_duplicate). */
  conflicts: { count: number; first: Conflict[] };
  /** Loaded rows served on a tier, speed or region costctl does not know: stored as given, priced at standard. */
  unknownServed: UnknownServed[];
}

export interface IngestReport {
  files: FileReport[];
  unpriced_models: { model: string; rows: number }[];
  total_cost: string;
  /** Alerts raised by the evaluation after the load (not part of the --json summary). */
  alertsRaised?: number;
  /**
   * The error that stopped the run at a later file, when earlier files had committed: they stay, so they
   * are summarized, audited and evaluated like any run, and the caller then fails with this error.
   */
  failure?: unknown;
  /** Claude Code files with nothing new since their last read (not opened). */
  unchanged?: number;
  /** Claude Code files whose last line is still being written: left for the next read. */
  incomplete?: { path: string; line: number }[];
}

/** A --strict failure that still carries the rejects (for --rejects FILE). */
export class StrictRejects extends DataError {
  constructor(
    message: string,
    readonly rejects: RejectRow[],
  ) {
    super(message);
  }
}
