// The operator's discounts and markups: add (validated against the catalog and the ones already stored),
// list, remove, and those that concern one model. Pricing reads them through db/price-adjustments-sql.ts.
import type { Db } from '../../db/database.js';
import {
  ADJUSTMENT_SELECT,
  adjustmentFromRow,
  loadPriceAdjustments,
  type AdjustmentRow,
} from '../../db/price-adjustments-sql.js';
import {
  adjustmentMultiplier,
  overlaps,
  patternMatches,
  percentProblem,
  type AdjustmentKind,
  type PriceAdjustment,
} from '../../domain/price-adjustments.js';
import type { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { DataError, UsageError } from '../../errors.js';

export interface AdjustmentInput {
  kind: AdjustmentKind;
  provider: string;
  modelPattern: string | null;
  percent: Decimal;
  from: Date;
  until: Date | null;
  note: string | null;
}

const flagOf = (kind: AdjustmentKind) => (kind === 'discount' ? '--percent' : '--markup');

/** Checks `input` against the catalog and the stored adjustments, then stores it; returns it with its id. */
export async function addAdjustment(db: Db, input: AdjustmentInput, now: Date): Promise<PriceAdjustment> {
  const problem = percentProblem(input.kind, input.percent);
  if (problem) throw new UsageError(`${flagOf(input.kind)}: ${input.percent.toFixed()} must be ${problem}`);
  if (input.until !== null && input.until.getTime() <= input.from.getTime())
    throw new UsageError('--until must be after --from');
  const provider = input.provider.trim().toLowerCase();
  const models = await db.all<{ name: string; provider: string }>(
    'SELECT name, lower(provider) AS provider FROM models',
  );
  const providers = [...new Set(models.map((m) => m.provider))].sort();
  if (!providers.includes(provider)) {
    throw new DataError(
      `--provider: no model in the price catalog has provider "${input.provider}"` +
        (providers.length
          ? ` (providers: ${providers.slice(0, 12).join(', ')}${providers.length > 12 ? ', …' : ''})`
          : ' (the catalog is empty: run `costctl models import` or `costctl init`)'),
    );
  }
  const pattern = input.modelPattern?.trim() || null;
  if (pattern !== null && !models.some((m) => m.provider === provider && patternMatches(pattern, m.name))) {
    throw new DataError(
      `--model: "${pattern}" matches no ${provider} model in the price catalog (write a catalog name, * for any characters, e.g. "claude-opus-*")`,
    );
  }
  const candidate = {
    ...input,
    provider,
    modelPattern: pattern,
    multiplier: adjustmentMultiplier(input.kind, input.percent),
  };
  const clash = (await loadPriceAdjustments(db)).find((a) => overlaps(a, candidate));
  if (clash) {
    throw new DataError(
      `${input.kind} #${clash.id} (${clash.percent.toFixed()} % on ${clash.modelPattern ?? `every ${provider} model`}) already covers part of that time: ` +
        `remove it with \`costctl models discount remove ${clash.id}\` or give --from/--until that do not overlap`,
    );
  }
  const row = await db.one<{ id: string }>(
    `INSERT INTO price_adjustments (kind, provider, model_pattern, percent, multiplier, effective_from, effective_until, note, created_at)
     VALUES (?, ?, ?, ?::DECIMAL(9,4), ?::DECIMAL(12,6), ?::TIMESTAMP, ?::TIMESTAMP, ?, ?::TIMESTAMP) RETURNING id::VARCHAR AS id`,
    [
      input.kind,
      provider,
      pattern,
      input.percent.toFixed(),
      candidate.multiplier.toFixed(),
      sqlTimestamp(input.from),
      input.until === null ? null : sqlTimestamp(input.until),
      input.note,
      sqlTimestamp(now),
    ],
  );
  return { ...candidate, id: Number(row!.id) };
}

export async function listAdjustments(db: Db): Promise<PriceAdjustment[]> {
  return loadPriceAdjustments(db);
}

export async function removeAdjustment(db: Db, id: number): Promise<PriceAdjustment> {
  const row = await db.one<AdjustmentRow>(`SELECT ${ADJUSTMENT_SELECT} FROM price_adjustments WHERE id = ?`, [id]);
  if (!row) throw new DataError(`no discount or markup #${id} (see \`costctl models discount list\`)`);
  await db.run('DELETE FROM price_adjustments WHERE id = ?', [id]);
  return adjustmentFromRow(row);
}
