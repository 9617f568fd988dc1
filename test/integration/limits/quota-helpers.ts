// Writes usage rows with known costs straight into the table, so quota tests control every figure.
import type { Db } from '../../../src/db/database.js';

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
      [
        r.id,
        r.ts,
        r.model ?? 'm-1',
        r.input ?? 0,
        r.output ?? 0,
        r.user ?? null,
        r.department ?? null,
        r.project ?? null,
        r.account ?? null,
        r.cost === null,
        r.cost,
      ],
    );
  }
}

import { BEGINNING } from '../../../src/services/prices/catalog.js';
import { addModel } from '../../../src/services/prices/catalog-write.js';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';

/**
 * A test model priced $1 per 1K input tokens and $2 per 1K output tokens, so a request's cost is
 * readable from its token counts: 5000 input tokens cost exactly $5.
 */
export async function addDollarModel(db: Db, name = 'm-dollar'): Promise<void> {
  await addModel(
    db,
    { name, provider: 'test', modelType: 'chat', costType: 'ai_api', currency: 'USD', aliases: [] },
    {
      billingUnit: 'token',
      unitSize: new Decimal(1000),
      prices: { ...emptyPriceList(), input: new Decimal(1), output: new Decimal(2) },
      effectiveFrom: BEGINNING,
    },
    new Date('2026-01-01T00:00:00Z'),
  );
}

/** Asia/Shanghai is UTC+8 all year (no DST): local wall time minus 8 hours is the instant. */
export function shanghai(local: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!, +(m[6] ?? 0)));
}

export { lcg } from '../../helpers/random.js';

/** The directory the usage-agreement tests attribute rows through. */
export const TEST_DIRECTORY: Record<string, { department: string; project: string | null }> = {
  u1: { department: 'sales', project: 'apollo' },
  u2: { department: 'sales', project: null },
  u3: { department: 'ops', project: 'apollo' },
};
