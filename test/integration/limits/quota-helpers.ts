// What the quota tests share: their defaults for usage rows, the zone helper and the directory.
import type { Db } from '../../../src/db/database.js';
import { insertUsage as insertRows, type UsageRowInput } from '../../helpers/seed.js';

export { addDollarModel } from '../../helpers/catalog.js';

export type UsageRow = UsageRowInput & { id: string };

/** Quota rows default to no user, no provider, model m-1 and no tokens: only what a test says counts. */
export async function insertUsage(db: Db, rows: UsageRow[]): Promise<void> {
  await insertRows(
    db,
    rows.map((r) => ({ model: 'm-1', user: null, provider: null, input: 0, output: 0, ...r })),
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
