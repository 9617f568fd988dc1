// `models diff`: the same models priced by each catalog, side by side; a price that differs by more than the
// threshold between catalogs is listed. Only prices both catalogs state are compared (genai-prices has no
// 1-hour cache write: silence is not a disagreement), plus whether a long-context tier exists at all.
import { readFileSync } from 'node:fs';
import { bundledCatalogPath, bundledGenaiPricesPath, bundledLangfusePath } from '../../config/paths.js';
import type { Db } from '../../db/database.js';
import { PRICE_FIELDS, type PriceField, type PriceList } from '../../domain/catalog-types.js';
import { Decimal } from '../../domain/money.js';
import { matchModelName } from '../../domain/model-names.js';
import { parsedOrThrow, type CatalogFormat } from './import/apply.js';
import type { CatalogEntry, ParsedCatalog } from './import/types.js';

export interface DiffCatalog {
  label: string;
  parsed: ParsedCatalog;
}

export interface PriceDisagreement {
  /** The name as usage rows carry it. */
  model: string;
  /** A price field (`cacheWrite1h`) or `longContextTier`. */
  component: PriceField | 'longContextTier';
  /** Per catalog: the entry it matched and its price per 1K tokens (or tier threshold); null when silent. */
  values: { catalog: string; entry: string | null; value: Decimal | null }[];
  /** Highest over lowest stated price, to 4 decimals; null when one is 0 or a tier exists in one catalog only. */
  ratio: Decimal | null;
}

/** The catalogs costctl bundles (fixtures/pricing), parsed, not imported. */
export function bundledDiffCatalogs(): DiffCatalog[] {
  const files: [CatalogFormat, string, string][] = [
    ['litellm', 'litellm 2026-02-21', bundledCatalogPath()],
    ['genai-prices', 'genai-prices 2026-08-21', bundledGenaiPricesPath()],
    ['langfuse', 'langfuse 2026-08-22', bundledLangfusePath()],
  ];
  return files.map(([format, label, path]) => ({
    label,
    parsed: parsedOrThrow(path, format, readFileSync(path, 'utf8')),
  }));
}

export async function modelsInUse(db: Db): Promise<string[]> {
  const rows = await db.all<{ model: string }>('SELECT DISTINCT model FROM usage ORDER BY model');
  return rows.map((r) => r.model);
}

/** A catalog's entry for a name: its exact name (or prefix/dash variant), else its own match rule. */
export function entryFor(catalog: ParsedCatalog, name: string): CatalogEntry | undefined {
  const byName = new Map(catalog.entries.map((e) => [e.model.name, e]));
  const named = matchModelName({ names: new Set(byName.keys()), aliases: new Map() }, name);
  if (named) return byName.get(named);
  const lower = name.toLowerCase();
  return catalog.entries.find((e) => e.firstParty && (e.matches?.(name) || e.matches?.(lower)));
}

/** The entry's prices in force at `at` (its latest dated price that has started). */
export function pricesAt(entry: CatalogEntry, at: Date): PriceList {
  let prices = entry.price.prices;
  for (const d of entry.dated ?? []) if (d.from.getTime() <= at.getTime()) prices = d.prices;
  return prices;
}

export function diffCatalogs(
  catalogs: DiffCatalog[],
  models: string[],
  options: { threshold: Decimal; at: Date },
): PriceDisagreement[] {
  const found: PriceDisagreement[] = [];
  for (const model of models) {
    const matched = catalogs.map((c) => ({ catalog: c.label, entry: entryFor(c.parsed, model) }));
    const priced = matched.map((m) => ({
      ...m,
      prices: m.entry && m.entry.price.billingUnit === 'token' ? pricesAt(m.entry, options.at) : undefined,
    }));
    if (priced.filter((p) => p.prices).length < 2) continue;
    const row = (value: (p: PriceList) => Decimal | null) =>
      priced.map((p) => ({
        catalog: p.catalog,
        entry: p.entry?.model.name ?? null,
        value: p.prices ? value(p.prices) : null,
      }));
    for (const field of PRICE_FIELDS) {
      const values = row((p) => p[field]);
      const stated = values.filter((v) => v.value !== null).map((v) => v.value!);
      if (stated.length < 2) continue;
      const high = Decimal.max(...stated);
      const low = Decimal.min(...stated);
      if (low.isZero()) {
        if (!high.isZero()) found.push({ model, component: field, values, ratio: null });
        continue;
      }
      if (high.minus(low).div(low).gt(options.threshold))
        found.push({ model, component: field, values, ratio: high.div(low).toDecimalPlaces(4) });
    }
    // A long-context tier one catalog has and another lacks changes every long request's price.
    const tiers = row((p) => (p.tierThresholdTokens === null ? null : new Decimal(p.tierThresholdTokens.toString())));
    const present = tiers.filter((_, i) => priced[i]!.prices).map((t) => t.value?.toFixed() ?? 'none');
    if (new Set(present).size > 1) found.push({ model, component: 'longContextTier', values: tiers, ratio: null });
  }
  return found;
}
