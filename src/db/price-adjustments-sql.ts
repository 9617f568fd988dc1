// The operator's discounts and markups (domain/price-adjustments.ts) as the bulk pricing reads them: loaded
// once, resolved per catalog model into stretches of time, and joined to the priced rows by pricedSelectSql.
import {
  ADJUSTMENT_KINDS,
  adjustmentRule,
  adjustmentStretches,
  type AdjustmentKind,
  type PriceAdjustment,
} from '../domain/price-adjustments.js';
import { Decimal } from '../domain/money.js';
import { fromSqlTimestamp, sqlTimestamp } from '../domain/time.js';
import type { Db, SqlParam } from './database.js';

export const ADJUSTMENT_SELECT = `id::VARCHAR AS id, kind, provider, model_pattern, percent::VARCHAR AS percent,
  multiplier::VARCHAR AS multiplier, effective_from::VARCHAR AS effective_from,
  effective_until::VARCHAR AS effective_until, note`;

export interface AdjustmentRow {
  id: string;
  kind: string;
  provider: string;
  model_pattern: string | null;
  percent: string;
  multiplier: string;
  effective_from: string;
  effective_until: string | null;
  note: string | null;
}

export function adjustmentFromRow(r: AdjustmentRow): PriceAdjustment {
  if (!(ADJUSTMENT_KINDS as readonly string[]).includes(r.kind)) throw new Error(`unknown adjustment kind ${r.kind}`);
  return {
    id: Number(r.id),
    kind: r.kind as AdjustmentKind,
    provider: r.provider,
    modelPattern: r.model_pattern,
    percent: new Decimal(r.percent),
    multiplier: new Decimal(r.multiplier),
    from: fromSqlTimestamp(r.effective_from),
    until: r.effective_until === null ? null : fromSqlTimestamp(r.effective_until),
    note: r.note,
  };
}

export async function loadPriceAdjustments(db: Db): Promise<PriceAdjustment[]> {
  const rows = await db.all<AdjustmentRow>(`SELECT ${ADJUSTMENT_SELECT} FROM price_adjustments ORDER BY id`);
  return rows.map(adjustmentFromRow);
}

/**
 * Temp table `name`: per catalog model, the stretches [_from, _to) in which a discount (_disc) and/or a
 * markup (_mark) apply, with the rules they add. Empty when the operator has none.
 */
export async function buildAdjustmentMap(
  db: Db,
  name: string,
  models: ReadonlyMap<string, string | undefined>,
): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${name} (priced_model VARCHAR, _from TIMESTAMP, _to TIMESTAMP,
      _disc DECIMAL(12,6), _mark DECIMAL(12,6), _adj_rules VARCHAR)`,
  );
  const all = await loadPriceAdjustments(db);
  if (all.length === 0) return;
  const rows: SqlParam[][] = [];
  for (const [model, provider] of models) {
    for (const s of adjustmentStretches(all, provider, model)) {
      const of = (kind: AdjustmentKind) => s.applied.find((a) => a.kind === kind)?.multiplier.toFixed() ?? null;
      rows.push([
        model,
        s.from === null ? null : sqlTimestamp(s.from),
        s.to === null ? null : sqlTimestamp(s.to),
        of('discount'),
        of('markup'),
        s.applied.map(adjustmentRule).join('; '),
      ]);
    }
  }
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    await db.run(
      `INSERT INTO ${name} VALUES ${chunk
        .map(
          () =>
            "(?, coalesce(?::TIMESTAMP, '-infinity'::TIMESTAMP), coalesce(?::TIMESTAMP, 'infinity'::TIMESTAMP), ?::DECIMAL(12,6), ?::DECIMAL(12,6), ?)",
        )
        .join(', ')}`,
      chunk.flat(),
    );
  }
}
