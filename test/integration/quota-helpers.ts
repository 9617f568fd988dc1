// Writes usage rows with known costs straight into the table, so quota tests control every figure.
import type { Db } from '../../src/db/database.js';

export interface UsageRow {
  id: string;
  ts: string;
  user?: string | null;
  department?: string | null;
  project?: string | null;
  account?: string | null;
  model?: string;
  /** null = unpriced */
  cost: string | null;
  input?: number;
  output?: number;
}

export async function insertUsage(db: Db, rows: UsageRow[]): Promise<void> {
  for (const r of rows) {
    await db.run(
      `INSERT INTO usage (source, request_id, ts, model, input_tokens, output_tokens, user_id, department, project, account_id,
         unpriced, total_cost)
       VALUES ('test', ?, ?::TIMESTAMPTZ::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?::DECIMAL(38,18))`,
      [r.id, r.ts, r.model ?? 'm-1', r.input ?? 0, r.output ?? 0, r.user ?? null, r.department ?? null, r.project ?? null, r.account ?? null, r.cost === null, r.cost],
    );
  }
}
