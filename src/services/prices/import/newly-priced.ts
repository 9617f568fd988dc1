// After the catalog grows: usage rows stored as unpriced whose model the catalog can now price. They are
// reported, never re-costed here: `costctl reprice` is the operator's decision.
import type { Db } from '../../../db/database.js';
import { loadNameIndex } from '../../../db/pricing-sql.js';
import { matchModelName } from '../../../domain/model-names.js';

export interface NewlyPriced {
  /** The name the usage rows carry. */
  model: string;
  /** The catalog model that now prices it. */
  pricedBy: string;
  rows: number;
}

export async function newlyPricedUsage(db: Db): Promise<NewlyPriced[]> {
  const unpriced = await db.all<{ model: string; n: string }>(
    'SELECT model, count(*)::VARCHAR AS n FROM usage WHERE unpriced GROUP BY model ORDER BY count(*) DESC, model',
  );
  if (unpriced.length === 0) return [];
  const index = await loadNameIndex(db);
  const found: NewlyPriced[] = [];
  for (const u of unpriced) {
    const pricedBy = matchModelName(index, u.model);
    if (pricedBy) found.push({ model: u.model, pricedBy, rows: Number(u.n) });
  }
  return found;
}
