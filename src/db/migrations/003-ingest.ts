// Ingest bookkeeping: a ledger of every file loaded (content hash and row accounting) and the rows that
// were rejected, kept with file, line, reason and raw text so they can be listed and fixed.
import type { Migration } from './types.js';

export const ingestMigration: Migration = {
  version: 3,
  name: 'ingest',
  statements: [
    `CREATE SEQUENCE ingest_files_id START 1`,
    `CREATE TABLE ingest_files (
      id BIGINT PRIMARY KEY,
      path VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      size_bytes BIGINT NOT NULL,
      format VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      rows_read BIGINT NOT NULL,
      rows_loaded BIGINT NOT NULL,
      rows_duplicate BIGINT NOT NULL,
      rows_rejected BIGINT NOT NULL,
      rows_unpriced BIGINT NOT NULL DEFAULT 0,
      total_cost DECIMAL(38,18),
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP NOT NULL
    )`,
    `CREATE SEQUENCE rejects_id START 1`,
    `CREATE TABLE rejects (
      id BIGINT PRIMARY KEY DEFAULT nextval('rejects_id'),
      file_id BIGINT,
      file VARCHAR NOT NULL,
      line BIGINT,
      reason VARCHAR NOT NULL,
      raw VARCHAR,
      format VARCHAR NOT NULL,
      rejected_at TIMESTAMP NOT NULL
    )`,
  ],
};
