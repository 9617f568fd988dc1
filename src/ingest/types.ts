// The contract between the ingest pipeline (src/services/ingest/) and one adapter per source format.
//
// An adapter reads one file into TEMP TABLE `staged` (good rows) and TEMP TABLE `staged_rejects`
// (bad rows with line, reason and raw text). The pipeline then de-duplicates, prices (usage) and moves
// the rows into `usage` or `billing_lines` inside one transaction, and records the file in the ledger.
import type { Db } from '../db/database.js';

export type IngestKind = 'usage' | 'billing';

export interface IngestFile {
  /** As the user named it (`-` for stdin); used in messages and the ledger. */
  displayPath: string;
  /** A readable file on disk (stdin is spooled to a temp file first). */
  localPath: string;
  /** The first 64 KiB as UTF-8 text, for detection. */
  head: string;
  /** The same bytes undecoded, when the reader has them (detection can then decode only the lines it reads). */
  headBytes?: Buffer;
  sizeBytes: number;
}

export interface StageOptions {
  /** The `source` column for usage rows (the --source flag, else the format name). */
  source: string;
}

export interface StageResult {
  /** Data rows seen in the file (good + rejected), not counting headers or blank lines. */
  rowsRead: number;
}

export interface Adapter {
  format: string;
  kind: IngestKind;
  /** One line for `costctl ingest --help`. */
  description: string;
  /**
   * Usage rows are report aggregates (one per time bucket and group): a later pull of a bucket with other
   * figures restates the stored row instead of being skipped as a duplicate.
   */
  restatesUsage?: boolean;
  /** True when the file's content is this format. Called in a fixed order; the first match wins. */
  detect(file: IngestFile): boolean;
  /**
   * Creates TEMP TABLE staged (columns: STAGED_USAGE_COLUMNS or STAGED_BILLING_COLUMNS, in that
   * order) and TEMP TABLE staged_rejects (line BIGINT, reason VARCHAR, raw VARCHAR).
   */
  stage(db: Db, file: IngestFile, options: StageOptions): Promise<StageResult>;
}

/** Columns of `staged` for usage adapters: the native usage-log fields plus the file line. */
export const STAGED_USAGE_COLUMNS = `
  source VARCHAR, request_id VARCHAR, ts TIMESTAMP, model VARCHAR, provider VARCHAR,
  input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT,
  cache_write_1h_tokens BIGINT, requests BIGINT, duration_seconds DECIMAL(18,6), bytes BIGINT,
  cost_type VARCHAR, user_id VARCHAR, department VARCHAR, organization VARCHAR, project VARCHAR,
  account_id VARCHAR, session_id VARCHAR, sop_instance_id VARCHAR, request_type VARCHAR,
  reported_cost DECIMAL(38,18), currency VARCHAR, tags JSON,
  reasoning_tokens BIGINT, audio_input_tokens BIGINT, image_input_tokens BIGINT, audio_output_tokens BIGINT,
  image_output_tokens BIGINT, images BIGINT, web_search_calls BIGINT, service_tier VARCHAR, speed VARCHAR,
  region VARCHAR, line BIGINT`;

/** Columns of `staged` for billing adapters: billing_lines without file_id/ingested_at. */
export const STAGED_BILLING_COLUMNS = `
  source VARCHAR, line_key VARCHAR, charge_period_start TIMESTAMP, charge_period_end TIMESTAMP,
  provider VARCHAR, service VARCHAR, model VARCHAR, sku VARCHAR, charge_category VARCHAR,
  quantity DECIMAL(38,9), unit VARCHAR, billed_cost DECIMAL(38,18), list_cost DECIMAL(38,18),
  currency VARCHAR, invoice_id VARCHAR, billing_account VARCHAR, tags JSON, line BIGINT`;
