// The price catalog as `costctl models list|show --json` prints it and the API's catalog routes answer:
// one shape for both (prices by their column names, decimals as strings, instants in ISO 8601).
import { PRICE_FIELD_COLUMNS, PRICE_FIELDS, type PriceVersion } from '../../domain/catalog-types.js';
import type { PriceAdjustment } from '../../domain/price-adjustments.js';
import type { ModelListItem } from './catalog.js';

export function adjustmentJson(a: PriceAdjustment) {
  return {
    id: a.id,
    kind: a.kind,
    provider: a.provider,
    model_pattern: a.modelPattern,
    percent: a.percent.toFixed(),
    multiplier: a.multiplier.toFixed(),
    effective_from: a.from.getTime() === 0 ? null : a.from.toISOString(),
    /** Exclusive end, UTC. */
    effective_until: a.until?.toISOString() ?? null,
    note: a.note,
  };
}

export function versionJson(v: PriceVersion) {
  const prices: Record<string, string | null> = {};
  for (const f of PRICE_FIELDS) prices[PRICE_FIELD_COLUMNS[f].price] = v.prices[f]?.toFixed() ?? null;
  return {
    price_version: v.id,
    effective_from: v.effectiveFrom.toISOString(),
    billing_unit: v.billingUnit,
    unit_size: v.unitSize.toFixed(),
    tier_threshold_tokens: v.prices.tierThresholdTokens?.toString() ?? null,
    ...prices,
  };
}

/** `genai-prices 2026-08-21` → the catalog and its date; `manual` has no date. */
export function priceSource(label: string | null | undefined): { source: string | null; catalog_date: string | null } {
  if (!label) return { source: null, catalog_date: null };
  const [source, date] = label.split(' ');
  return { source: source ?? label, catalog_date: date ?? null };
}

export function modelListJson(items: ModelListItem[]) {
  return items.map((m) => ({
    name: m.name,
    provider: m.provider,
    model_type: m.model_type,
    cost_type: m.cost_type,
    currency: m.currency,
    aliases: m.aliases,
    versions: m.versions,
    current: m.current ? { ...versionJson(m.current), ...priceSource(m.currentSource) } : null,
    adjustments: m.adjustments.map(adjustmentJson),
  }));
}
