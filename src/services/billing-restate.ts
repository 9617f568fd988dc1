// Restating billing lines: a later export of a charge already stored (same source and line key) with a
// different amount replaces the stored line, and the values it replaces are kept in
// billing_line_revisions. Runs inside the file's transaction, before the new lines are inserted.
//
// What counts as a different amount: billed cost or currency, or a list cost or quantity the new export
// states (an export that leaves them out, such as the dashboard's, does not erase them). A line whose
// amounts equal values it was restated away from is an older export arriving late: it restates nothing,
// so the order files are ingested in cannot take a line back to stale numbers.
import type { Db } from '../db/database.js';
import { sqlTimestamp } from '../domain/time.js';

/** billing_lines columns carried from a staged line (everything but file_id, line and ingested_at). */
export const BILLING_COLUMNS = [
  'source', 'line_key', 'charge_period_start', 'charge_period_end', 'provider', 'service', 'model', 'sku', 'charge_category',
  'quantity', 'unit', 'billed_cost', 'list_cost', 'currency', 'invoice_id', 'billing_account', 'tags',
];

/** Lines one file restated, per currency of their new amounts; billed costs before and after as exact strings. */
export interface Restated {
  currency: string;
  lines: number;
  billedBefore: string;
  billedAfter: string;
}

/** True when the amounts of `n` (a staged line) differ from those of `o` (a stored or superseded one). */
const amountsDiffer = (n: string, o: string) => `(${n}.billed_cost <> ${o}.billed_cost OR ${n}.currency <> ${o}.currency
  OR (${n}.list_cost IS NOT NULL AND ${n}.list_cost IS DISTINCT FROM ${o}.list_cost)
  OR (${n}.quantity IS NOT NULL AND ${n}.quantity IS DISTINCT FROM ${o}.quantity))`;

const sameLine = (a: string, b: string) => `${a}.source = ${b}.source AND ${a}.line_key = ${b}.line_key`;

/** Restates the stored lines that `relation` (unique staged lines) carries new amounts for. */
export async function restateBillingLines(db: Db, relation: string, fileId: number, now: Date): Promise<Restated[]> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE billing_restated AS
     SELECT s.*, t.billed_cost AS _before
     FROM ${relation} s JOIN billing_lines t ON ${sameLine('t', 's')}
     WHERE ${amountsDiffer('s', 't')}
       AND NOT EXISTS (SELECT 1 FROM billing_line_revisions r WHERE ${sameLine('r', 's')} AND NOT ${amountsDiffer('s', 'r')})`,
  );
  try {
    const summary = await db.all<{ currency: string; n: string; before: string; after: string }>(
      `SELECT currency, count(*)::VARCHAR AS n, sum(_before)::VARCHAR AS before, sum(billed_cost)::VARCHAR AS after
       FROM billing_restated GROUP BY currency ORDER BY currency`,
    );
    if (summary.length === 0) return [];
    const cols = BILLING_COLUMNS.join(', ');
    const at = sqlTimestamp(now);
    await db.run(
      `INSERT INTO billing_line_revisions (${cols}, file_id, line, ingested_at, restated_by_file, restated_at)
       SELECT ${BILLING_COLUMNS.map((c) => `t.${c}`).join(', ')}, t.file_id, t.line, t.ingested_at, ?::BIGINT, ?::TIMESTAMP
       FROM billing_lines t WHERE EXISTS (SELECT 1 FROM billing_restated s WHERE ${sameLine('s', 't')})`,
      [fileId, at],
    );
    await db.run(`DELETE FROM billing_lines t WHERE EXISTS (SELECT 1 FROM billing_restated s WHERE ${sameLine('s', 't')})`);
    await db.run(
      `INSERT INTO billing_lines (${cols}, file_id, line, ingested_at) SELECT ${cols}, ?::BIGINT, line, ?::TIMESTAMP FROM billing_restated`,
      [fileId, at],
    );
    return summary.map((r) => ({ currency: r.currency, lines: Number(r.n), billedBefore: r.before, billedAfter: r.after }));
  } finally {
    await db.run('DROP TABLE IF EXISTS temp.billing_restated');
  }
}
