// The operator's own terms on top of any catalog: a negotiated discount off a provider's prices, a markup
// for internal chargeback. Each is effective-dated and stored apart from the catalog, so imports and syncs
// never touch it. priceRequest (pricing.ts) and its SQL twin apply the resolved multipliers as the last step.
import { Decimal } from './money.js';

export const ADJUSTMENT_KINDS = ['discount', 'markup'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export interface PriceAdjustment {
  id: number;
  kind: AdjustmentKind;
  /** The catalog provider whose models it covers. */
  provider: string;
  /** A catalog model name, `*` matching any run of characters (`claude-opus-*`); null: every model of the provider. */
  modelPattern: string | null;
  /** As the operator gave it: 20 means 20 % off (discount) or 20 % on top (markup). */
  percent: Decimal;
  /** What costs are multiplied by: 1 − percent/100 for a discount, 1 + percent/100 for a markup. */
  multiplier: Decimal;
  from: Date;
  /** Exclusive end; null: open-ended. */
  until: Date | null;
  note: string | null;
}

/** A resolved multiplier step: what pricing multiplies each cost component by, and the rule it names. */
export interface CostMultiplier {
  multiplier: Decimal;
  rule: string;
}

/** At most 4 decimals, so the multiplier has at most 6 and fits DECIMAL(12,6) exactly. */
export const PERCENT_DECIMALS = 4;
export const MAX_MARKUP_PERCENT = 1000;

/** Why a percent cannot be used for `kind`, or null. A discount is above 0 and below 100; a markup above 0. */
export function percentProblem(kind: AdjustmentKind, percent: Decimal): string | null {
  if (percent.decimalPlaces() > PERCENT_DECIMALS) return `at most ${PERCENT_DECIMALS} decimals`;
  if (percent.lte(0)) return 'greater than 0';
  if (kind === 'discount' && percent.gte(100)) return 'below 100 (a discount of 100 % or more makes every price 0)';
  if (kind === 'markup' && percent.gt(MAX_MARKUP_PERCENT)) return `at most ${MAX_MARKUP_PERCENT}`;
  return null;
}

/** Exact: percent has at most 4 decimals, so percent/100 has at most 6. */
export function adjustmentMultiplier(kind: AdjustmentKind, percent: Decimal): Decimal {
  const share = percent.div(100);
  return kind === 'discount' ? new Decimal(1).minus(share) : new Decimal(1).plus(share);
}

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Does an adjustment's model pattern cover this catalog model (null covers every model)? */
export function patternMatches(pattern: string | null, model: string): boolean {
  return pattern === null || patternRegex(pattern).test(model);
}

/** How specific a scope is: a provider-wide one 0, a pattern by its literal characters (an exact name most). */
function specificity(a: PriceAdjustment): number {
  return a.modelPattern === null ? 0 : 1 + a.modelPattern.replace(/\*/g, '').length;
}

function activeAt(a: PriceAdjustment, at: Date): boolean {
  return a.from.getTime() <= at.getTime() && (a.until === null || at.getTime() < a.until.getTime());
}

/**
 * The adjustments that price `model` of `provider` at `at`: at most one discount and one markup, in that
 * order (a chargeback markup goes on the price actually paid). Of several of a kind, the most specific scope
 * wins (a model pattern over the provider-wide one, a longer pattern over a shorter), then the latest added.
 */
export function adjustmentsAt(
  all: readonly PriceAdjustment[],
  provider: string | null | undefined,
  model: string,
  at: Date,
): PriceAdjustment[] {
  if (!provider) return [];
  const p = provider.toLowerCase();
  const chosen: PriceAdjustment[] = [];
  for (const kind of ADJUSTMENT_KINDS) {
    const best = all
      .filter((a) => a.kind === kind && a.provider === p && activeAt(a, at) && patternMatches(a.modelPattern, model))
      .sort((a, b) => specificity(b) - specificity(a) || b.id - a.id)[0];
    if (best) chosen.push(best);
  }
  return chosen;
}

/** The rule a usage row's price_rules names; reconcile reads a markup's id back from it. */
export function adjustmentRule(a: PriceAdjustment): string {
  return `${a.kind} ${a.percent.toFixed()} % (#${a.id})`;
}

export function costMultipliers(applied: readonly PriceAdjustment[]): CostMultiplier[] {
  return applied.map((a) => ({ multiplier: a.multiplier, rule: adjustmentRule(a) }));
}

/**
 * The stretches of time over which `model`'s adjustments stay the same, for the SQL twin: [from, to) with
 * the adjustments in force, only where there are some. Cut at every start and end of one that covers it.
 */
export function adjustmentStretches(
  all: readonly PriceAdjustment[],
  provider: string | null | undefined,
  model: string,
): { from: Date | null; to: Date | null; applied: PriceAdjustment[] }[] {
  if (!provider) return [];
  const mine = all.filter((a) => a.provider === provider.toLowerCase() && patternMatches(a.modelPattern, model));
  if (mine.length === 0) return [];
  const cuts = [...new Set(mine.flatMap((a) => [a.from.getTime(), ...(a.until ? [a.until.getTime()] : [])]))].sort(
    (x, y) => x - y,
  );
  const out: { from: Date | null; to: Date | null; applied: PriceAdjustment[] }[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const from = new Date(cuts[i]!);
    const applied = adjustmentsAt(mine, provider, model, from);
    if (applied.length) out.push({ from, to: i + 1 < cuts.length ? new Date(cuts[i + 1]!) : null, applied });
  }
  return out;
}

/** Two adjustments that would both claim the same requests: same kind, provider and scope, windows overlap. */
export function overlaps(a: Omit<PriceAdjustment, 'id'>, b: Omit<PriceAdjustment, 'id'>): boolean {
  if (a.kind !== b.kind || a.provider !== b.provider) return false;
  if ((a.modelPattern ?? '').toLowerCase() !== (b.modelPattern ?? '').toLowerCase()) return false;
  const aEnd = a.until?.getTime() ?? Number.POSITIVE_INFINITY;
  const bEnd = b.until?.getTime() ?? Number.POSITIVE_INFINITY;
  return a.from.getTime() < bEnd && b.from.getTime() < aEnd;
}
