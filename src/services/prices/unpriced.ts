// Usage the catalog could not price: loaded with unpriced = true and no cost, listed per model until a
// price exists and `reprice` costs it; and rows priced except for some components (partly unpriced: their
// cost leaves those parts out), listed per model and missing parts.
import type { Db } from '../../db/database.js';

export interface UnpricedModel {
  model: string;
  rows: number;
  input_tokens: string;
  output_tokens: string;
  first_seen: string;
  last_seen: string;
  /** null: the whole row has no price; else the components without one (the row is partly unpriced). */
  unpriced_parts: string | null;
}

export async function unpricedUsage(db: Db): Promise<UnpricedModel[]> {
  const rows = await db.all<Record<string, string>>(
    `SELECT model, count(*)::VARCHAR AS rows, sum(input_tokens)::VARCHAR AS input_tokens, sum(output_tokens)::VARCHAR AS output_tokens,
       strftime(min(ts), '%Y-%m-%dT%H:%M:%SZ') AS first_seen, strftime(max(ts), '%Y-%m-%dT%H:%M:%SZ') AS last_seen,
       CASE WHEN unpriced THEN NULL ELSE unpriced_parts END AS unpriced_parts
     FROM usage WHERE unpriced OR unpriced_parts IS NOT NULL
     GROUP BY model, 7 ORDER BY 7 NULLS FIRST, count(*) DESC, model`,
  );
  return rows.map((r) => ({
    model: r.model!,
    rows: Number(r.rows),
    input_tokens: r.input_tokens!,
    output_tokens: r.output_tokens!,
    first_seen: r.first_seen!,
    last_seen: r.last_seen!,
    unpriced_parts: r.unpriced_parts ?? null,
  }));
}
