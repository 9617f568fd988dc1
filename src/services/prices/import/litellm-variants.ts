// LiteLLM's newer encoding of served variants: `"provider_specific_entry": {"us": 1.1, "fast": 6.0}` on the
// model's own entry instead of separate `us/…`, `fast/…` keys. Each multiplier becomes the variant entry those
// keys would be (`fast/claude-opus-4-6`, `us/…`, and `fast/us/…` for both), so pricing picks it by the row's
// speed and region exactly as it picks a separate key (domain/model-names.ts variantModel).
//
// What a multiplier scales, by Anthropic's pricing (the only provider LiteLLM states them for): US-only
// inference costs 1.1 × "all token pricing categories, including input tokens, output tokens, cache writes,
// and cache reads"; fast mode costs 6 × the standard rates and "stacks with other pricing modifiers" (prompt
// caching multipliers, data residency), so a fast cache read is 0.1 × the fast input rate. Every per-token
// rate of the entry is multiplied (the long-context band, batch, tier and modality rates too), exactly; a
// price per call or image and the per-request base price are not token prices and are kept. Both variants
// together multiply by the product (6 × 1.1 = 6.6), as LiteLLM's own cost calculator composes them.
import { JsonNumber } from '../../../domain/exact-json.js';
import { PER_CALL_FIELDS, PRICE_FIELDS, type PriceList } from '../../../domain/catalog-types.js';
import { Decimal } from '../../../domain/money.js';
import { countUnrepresentable, type CatalogEntry, type ParsedCatalog } from './types.js';

/** The multipliers costctl prices as variants: fast mode, and US-only inference (the `us/` entries). */
const VARIANT_KEYS = ['fast', 'us'] as const;
export type VariantMultipliers = Partial<Record<(typeof VARIANT_KEYS)[number], Decimal>>;

/**
 * The entry's variant multipliers. `provider_specific_entry` is LiteLLM's bag of provider facts (MiniMax keeps
 * its free image allowance there): only `fast` and `us` are read, each a positive number; other keys are
 * counted as facts costctl does not hold.
 */
export function variantMultipliers(
  raw: unknown,
  name: string,
  problems: string[],
  parsed: ParsedCatalog,
): VariantMultipliers {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof JsonNumber) {
    problems.push(`key "${name}": provider_specific_entry must be an object, got ${JSON.stringify(raw)}`);
    return {};
  }
  const out: VariantMultipliers = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const variant = VARIANT_KEYS.find((k) => k === key);
    if (!variant) {
      countUnrepresentable(parsed, `provider_specific_entry "${key}"`);
      continue;
    }
    const m = value instanceof JsonNumber ? new Decimal(value.text) : null;
    if (m === null || !m.isFinite() || m.lte(0)) {
      problems.push(
        `key "${name}": provider_specific_entry "${key}" must be a positive multiplier, got ${JSON.stringify(value)}`,
      );
      continue;
    }
    out[variant] = m;
  }
  return out;
}

/** Every per-token price times `m`; per-call and per-request prices as they are. */
function scaled(prices: PriceList, m: Decimal): PriceList {
  const out = { ...prices };
  for (const field of PRICE_FIELDS) {
    if (field === 'base' || PER_CALL_FIELDS.has(field)) continue;
    out[field] = prices[field]?.times(m) ?? null;
  }
  return out;
}

/**
 * The variant entries of `entry`: `fast/NAME`, `us/NAME` and, with both, `fast/us/NAME`, each unless the
 * catalog states that key itself (`taken`: its own prices win).
 */
export function variantEntries(entry: CatalogEntry, m: VariantMultipliers, taken: Set<string>): CatalogEntry[] {
  const variants: [string, Decimal][] = [];
  if (m.fast) variants.push(['fast', m.fast]);
  if (m.us) variants.push(['us', m.us]);
  if (m.fast && m.us) variants.push(['fast/us', m.fast.times(m.us)]);
  return variants
    .map(([prefix, multiplier]) => ({ name: `${prefix}/${entry.model.name}`, multiplier }))
    .filter((v) => !taken.has(v.name))
    .map(({ name, multiplier }) => ({
      ...entry,
      place: `${entry.place} provider_specific_entry`,
      model: { ...entry.model, name, aliases: [] },
      price: { ...entry.price, prices: scaled(entry.price.prices, multiplier) },
      dated: entry.dated?.map((d) => ({ ...d, prices: scaled(d.prices, multiplier) })),
    }));
}
