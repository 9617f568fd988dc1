// The shape of an optimization suggestion, and the ranking rules shared by every rule that makes one.
import { Decimal } from './money.js';

export const SUGGESTION_TYPES = [
  'model_substitution',
  'prompt_caching',
  'batch',
  'peak_usage',
  'quota_adjustment',
  'anomaly_control',
  'unpriced_models',
] as const;
export type SuggestionType = (typeof SUGGESTION_TYPES)[number];
export const SUGGESTION_STATUSES = ['new', 'accepted', 'dismissed'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export type Effort = 'low' | 'medium' | 'high';
export type Priority = 'high' | 'medium' | 'low';

/** What a rule produces; figures are exact and come from stored rows and prices. */
export interface SuggestionDraft {
  /** Stable across runs (type + what it is about), so accept/dismiss survive a re-run. */
  fingerprint: string;
  type: SuggestionType;
  title: string;
  description: string;
  currentCost: Decimal;
  potentialSavings: Decimal;
  recommendations: string[];
  effort: Effort;
  evidence: Record<string, unknown>;
}

export interface OptimizeWindow {
  from: Date;
  to: Date;
  tz: string;
  now: Date;
}

/** Savings as a percent of the current cost, 2 decimals; 0 when there is no cost to compare with. */
export function savingsPercentage(current: Decimal, savings: Decimal): Decimal {
  if (current.lte(0)) return new Decimal(0);
  return savings.div(current).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** High when the saving is large in share or in money; the thresholds are deliberately round. */
export function priorityOf(current: Decimal, savings: Decimal): Priority {
  const pct = savingsPercentage(current, savings);
  if (savings.gte(100) || (pct.gte(20) && savings.gte(1))) return 'high';
  if (savings.gte(10) || (pct.gte(5) && savings.gt(0))) return 'medium';
  return 'low';
}

/**
 * What suggestions could save together. Those about the same model's spend (a cheaper model, the batch
 * API, prompt caching) save from the same money, so only the largest of them counts; the others add up.
 */
export function combinedSavings(list: { potential_savings: string; evidence: Record<string, unknown> }[]): Decimal {
  const byModel = new Map<string, Decimal>();
  let other = new Decimal(0);
  for (const s of list) {
    const saving = new Decimal(s.potential_savings);
    const model = typeof s.evidence?.model === 'string' ? s.evidence.model : null;
    if (model === null) other = other.plus(saving);
    else byModel.set(model, Decimal.max(byModel.get(model) ?? 0, saving));
  }
  return [...byModel.values()].reduce((sum, v) => sum.plus(v), other);
}
