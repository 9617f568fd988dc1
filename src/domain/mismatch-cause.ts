// Why a usage-derived cost and a billed cost differ: the likely cause, from the figures alone (pure).
import { Decimal } from './money.js';

export type MismatchCause =
  | 'usage_without_billing'
  | 'billing_without_usage'
  | 'unpriced_usage'
  | 'partly_unpriced_usage'
  | 'served_variant'
  | 'price_mismatch'
  | 'quantity_mismatch'
  | 'unexplained';

export interface ReconcileSide {
  /** Usage: rows and the sum of priced total_cost. Billing: lines and the sum of billed_cost. */
  count: number;
  cost: Decimal;
  /** Usage: tokens logged. Billing: quantity billed in token units (null when the bill has none). */
  tokens: bigint | null;
  /** Usage rows with no price (their cost is unknown, not zero). */
  unpriced: number;
  /** Usage rows priced except for some components (per-call charges, audio…): their cost leaves those out. */
  partlyUnpriced?: number;
  /** Usage rows served on a priced tier (flex, priority, batch), in fast mode or in a stated region. */
  served?: number;
}

export interface Tolerance {
  /** Percent of the larger of the two amounts, e.g. 1 for 1%. */
  pct: Decimal;
  abs: Decimal;
}

/**
 * Within tolerance when the difference is at most `abs` or at most `pct`% of the larger amount:
 * either bound is enough, so tiny days are not flagged for cents and large days not for rounding.
 */
export function withinTolerance(usage: Decimal, billed: Decimal, tol: Tolerance): boolean {
  const diff = billed.minus(usage).abs();
  if (diff.lte(tol.abs)) return true;
  const base = Decimal.max(usage.abs(), billed.abs());
  return diff.lte(base.times(tol.pct).div(100));
}

/** Average price per million tokens, or null when there are no tokens to divide by. */
export function perMillionTokens(cost: Decimal, tokens: bigint | null): Decimal | null {
  if (tokens === null || tokens <= 0n) return null;
  return cost.times(1_000_000).div(tokens.toString()).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
}

export interface CauseVerdict {
  cause: MismatchCause;
  explanation: string;
}

export function likelyCause(usage: ReconcileSide, billing: ReconcileSide, modelLevel: boolean): CauseVerdict {
  if (billing.count === 0) {
    return { cause: 'usage_without_billing', explanation: `${usage.count} usage row(s) have no billing line` };
  }
  if (usage.count === 0) {
    return { cause: 'billing_without_usage', explanation: `${billing.count} billing line(s) have no usage rows` };
  }
  if (usage.unpriced > 0) {
    return {
      cause: 'unpriced_usage',
      explanation: `${usage.unpriced} usage row(s) have no price in the catalog, so their cost is unknown`,
    };
  }
  if ((usage.partlyUnpriced ?? 0) > 0) {
    return {
      cause: 'partly_unpriced_usage',
      explanation: `${usage.partlyUnpriced} usage row(s) have components without a price (per-call charges, audio or image tokens: see \`models unpriced\`), so the usage cost leaves them out`,
    };
  }
  if (billing.tokens !== null && usage.tokens !== null && billing.tokens !== usage.tokens) {
    return {
      cause: 'quantity_mismatch',
      explanation: `billed ${billing.tokens} tokens, usage logs ${usage.tokens}`,
    };
  }
  if (modelLevel) {
    const implied = perMillionTokens(billing.cost, billing.tokens ?? usage.tokens);
    const catalog = perMillionTokens(usage.cost, usage.tokens);
    const detail =
      implied && catalog
        ? `implied $${implied.toFixed()} per 1M tokens billed vs $${catalog.toFixed()} from the catalog`
        : 'same traffic, different amount';
    // Same tokens, other amount, and some rows were served on another tier, in fast mode or a region:
    // the bill most likely prices those differently from the catalog's variant prices (or the usage
    // log did not say how they were served).
    if ((usage.served ?? 0) > 0)
      return {
        cause: 'served_variant',
        explanation: `${usage.served} usage row(s) served on another tier, in fast mode or a stated region; ${detail}`,
      };
    return { cause: 'price_mismatch', explanation: detail };
  }
  return { cause: 'unexplained', explanation: 'both sides present and priced; compare per model to narrow it down' };
}
