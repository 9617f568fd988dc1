import type { PriceList } from '../../../domain/catalog-types.js';
import type { ModelSpec, PriceSpec } from '../catalog.js';

/** A later price of the same model, in force from its own date (genai-prices' `start_date` constraints). */
export interface DatedPrice {
  from: Date;
  prices: PriceList;
}

export interface CatalogEntry {
  model: ModelSpec;
  price: Omit<PriceSpec, 'effectiveFrom'>;
  /** Prices that replace `price` from a date on, oldest first; `price` is in force before the first. */
  dated?: DatedPrice[];
  /** Where the entry came from, for error messages: `key "gpt-4o"` or `line 7`. */
  place: string;
  /**
   * The catalog's own rule for which names callers write mean this entry (genai-prices' match rules,
   * Langfuse's matchPattern); `models diff` uses it to find the same model in each catalog.
   */
  matches?: (name: string) => boolean;
  /** The model's maker prices it (not a reseller or cloud), so `models diff` compares it first. */
  firstParty?: boolean;
}

export interface ParsedCatalog {
  entries: CatalogEntry[];
  skipped: { name: string; reason: string }[];
  /** Problems that make the file unusable; when any exist nothing is imported. */
  errors: string[];
  /**
   * What the catalog states that today's price fields cannot hold (time-of-day prices, audio prices,
   * service-tier multipliers…): feature → number of models, so it can be wired up when the price model grows.
   */
  unrepresentable?: Record<string, number>;
}

/** Counts one model under a feature the price fields cannot hold. */
export function countUnrepresentable(parsed: { unrepresentable?: Record<string, number> }, feature: string): void {
  parsed.unrepresentable ??= {};
  parsed.unrepresentable[feature] = (parsed.unrepresentable[feature] ?? 0) + 1;
}
