// Restatements. Providers re-issue what they report: a month-to-date FOCUS file grows and corrects itself
// every day, and a cost or usage report pulled again later has the final figures of a day that was still
// running. A later export whose line (same natural key) carries different amounts restates it: the stored
// row takes the new values, and the row it replaces moves to a revisions table with the file that
// restated it. Nothing is lost, and every file's ledger total can still be re-derived from the rows it
// loaded (those still current plus those restated since).
import type { Migration } from './types.js';

const MONEY = 'DECIMAL(38,18)';

export const restatementsMigration: Migration = {
  version: 8,
  name: 'restatements',
  statements: [
    `CREATE TABLE billing_line_revisions (
      source VARCHAR NOT NULL,
      line_key VARCHAR NOT NULL,
      charge_period_start TIMESTAMP NOT NULL,
      charge_period_end TIMESTAMP,
      provider VARCHAR,
      service VARCHAR,
      model VARCHAR,
      sku VARCHAR,
      charge_category VARCHAR,
      quantity DECIMAL(38,9),
      unit VARCHAR,
      billed_cost ${MONEY} NOT NULL,
      list_cost ${MONEY},
      currency VARCHAR NOT NULL,
      invoice_id VARCHAR,
      billing_account VARCHAR,
      tags JSON,
      file_id BIGINT,
      line BIGINT,
      ingested_at TIMESTAMP NOT NULL,
      restated_by_file BIGINT NOT NULL,
      restated_at TIMESTAMP NOT NULL
    )`,
    // Usage rows of provider usage reports (one row per bucket and group), as they were before a later
    // pull of the same bucket restated them. The usage columns as they are at this migration: a later
    // migration that changes usage changes this table the same way.
    `CREATE TABLE usage_revisions AS
     SELECT *, NULL::BIGINT AS restated_by_file, NULL::TIMESTAMP AS restated_at FROM usage LIMIT 0`,
  ],
};
