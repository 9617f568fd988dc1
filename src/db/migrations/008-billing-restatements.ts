// Billing restatements. Providers re-issue their exports: a month-to-date FOCUS file grows and corrects
// itself every day, and a cost report pulled again later has the final amount of a day that was still
// running. A later export whose line (same natural key) carries a different amount restates it: the line
// in billing_lines takes the new values, and the values it had move here, with the file that restated
// them. Nothing is lost, and every file's ledger total can still be re-derived from the rows it loaded
// (those still current plus those restated since).
import type { Migration } from './types.js';

const MONEY = 'DECIMAL(38,18)';

export const billingRestatementsMigration: Migration = {
  version: 8,
  name: 'billing-restatements',
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
  ],
};
