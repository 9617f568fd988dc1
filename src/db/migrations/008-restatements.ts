// Restatements. Providers re-issue what they report: a month-to-date FOCUS file grows and corrects itself
// every day, and a cost or usage report pulled again later has the final figures of a day that was still
// running. A later export whose line (same natural key) carries different amounts restates it: the stored
// row takes the new values, and the row it replaces moves to a revisions table with the file that
// restated it. Nothing is lost, and every file's ledger total can still be re-derived from the rows it
// loaded (those still current plus those restated since).
import type { Migration } from './types.js';

export const restatementsMigration: Migration = {
  version: 8,
  name: 'restatements',
  statements: [
    // Each revisions table has its table's columns as they are at this migration, plus who restated the row
    // and when: a later migration that changes billing_lines or usage changes its revisions table the same way.
    `CREATE TABLE billing_line_revisions AS
     SELECT *, NULL::BIGINT AS restated_by_file, NULL::TIMESTAMP AS restated_at FROM billing_lines LIMIT 0`,
    // Usage rows of provider usage reports (one row per bucket and group), as they were before a later
    // pull of the same bucket restated them.
    `CREATE TABLE usage_revisions AS
     SELECT *, NULL::BIGINT AS restated_by_file, NULL::TIMESTAMP AS restated_at FROM usage LIMIT 0`,
  ],
};
