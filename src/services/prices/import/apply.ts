// Applies a parsed catalog in one transaction: new models are added, changed prices become a new
// version, dated prices join the history at their date, identical prices are left alone.
// Re-importing the same file changes nothing.
import { DataError } from '../../../errors.js';
import { atStoredScale } from '../../../domain/pricing.js';
import { allPriceVersions } from '../catalog.js';
import { insertModels, insertPriceVersions, setAliases, setDeprecationDates } from '../catalog-write.js';
import type { Db } from '../../../db/database.js';
import { parseCatalogCsv } from './csv.js';
import { parseGenaiPricesCatalog } from './genai-prices.js';
import { parseLangfuseCatalog } from './langfuse.js';
import { parseLiteLLMCatalog } from './litellm.js';
import { planImport } from './plan.js';
import type { ParsedCatalog } from './types.js';
import { newlyPricedUsage, type NewlyPriced } from './newly-priced.js';

export const CATALOG_FORMATS = ['litellm', 'genai-prices', 'langfuse', 'csv'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

export interface ImportReport {
  format: CatalogFormat;
  /** What each version records as its origin: the catalog, and its date when known. */
  source: string;
  added: string[];
  changed: string[];
  dated: string[];
  unchanged: number;
  /** Models priced by the operator, left as they are. */
  kept: string[];
  skipped: { name: string; reason: string }[];
  unrepresentable: Record<string, number>;
  /** Models that usage rows name as unpriced and the catalog now prices: `costctl reprice` costs them. */
  newlyPriced: NewlyPriced[];
}

export interface ImportOptions {
  now: Date;
  effectiveFrom?: Date;
  /** The catalog's own date, recorded with every version it adds. */
  catalogDate?: string;
  fillGaps?: boolean;
}

export function detectCatalogFormat(path: string, text: string): CatalogFormat {
  if (path.toLowerCase().endsWith('.csv')) return 'csv';
  const head = text.trimStart();
  if (head.startsWith('{')) return 'litellm';
  if (!head.startsWith('[')) return 'csv';
  // Both list formats: genai-prices lists providers with their models, Langfuse lists models.
  return /"pricingTiers"|"matchPattern"/.test(head.slice(0, 4000)) ? 'langfuse' : 'genai-prices';
}

export function parseCatalog(format: CatalogFormat, text: string): ParsedCatalog {
  switch (format) {
    case 'litellm':
      return parseLiteLLMCatalog(text);
    case 'genai-prices':
      return parseGenaiPricesCatalog(text);
    case 'langfuse':
      return parseLangfuseCatalog(text);
    case 'csv':
      return parseCatalogCsv(text);
  }
}

/** The source label of a catalog's versions: `genai-prices 2026-08-21`, or the format alone. */
export function sourceLabel(format: CatalogFormat, catalogDate?: string): string {
  const name = format === 'csv' ? 'csv' : format;
  return catalogDate ? `${name} ${catalogDate}` : name;
}

export function parsedOrThrow(path: string, format: CatalogFormat, text: string): ParsedCatalog {
  const parsed = parseCatalog(format, text);
  for (const entry of parsed.entries) {
    entry.price.prices = atStoredScale(entry.price.prices);
    for (const d of entry.dated ?? []) d.prices = atStoredScale(d.prices);
  }
  if (parsed.errors.length) {
    const shown = parsed.errors
      .slice(0, 10)
      .map((e) => `  ${path}: ${e}`)
      .join('\n');
    const more = parsed.errors.length > 10 ? `\n  … and ${parsed.errors.length - 10} more` : '';
    throw new DataError(`${path}: nothing imported, ${parsed.errors.length} problem(s):\n${shown}${more}`);
  }
  return parsed;
}

export async function importCatalog(
  db: Db,
  path: string,
  format: CatalogFormat,
  text: string,
  options: ImportOptions,
): Promise<ImportReport> {
  return applyParsedCatalog(db, path, format, parsedOrThrow(path, format, text), options);
}

export async function applyParsedCatalog(
  db: Db,
  path: string,
  format: CatalogFormat,
  parsed: ParsedCatalog,
  options: ImportOptions,
): Promise<ImportReport> {
  const source = sourceLabel(format, options.catalogDate);
  const plan = planImport(parsed.entries, await allPriceVersions(db), { path, source, ...options });
  await db.transaction(async () => {
    await insertModels(db, plan.additions, options.now);
    await insertPriceVersions(db, plan.versions, options.now);
    for (const entry of parsed.entries) {
      if (entry.model.aliases.length) await setAliases(db, entry.model.name, entry.model.aliases);
    }
    await setDeprecationDates(
      db,
      parsed.entries.flatMap((e) =>
        e.model.deprecationDate ? [[e.model.name, e.model.deprecationDate] as [string, string]] : [],
      ),
    );
  });
  const changedAnything = plan.additions.length > 0 || plan.versions.length > 0;
  return {
    format,
    source,
    added: plan.added,
    changed: plan.changed,
    dated: plan.dated,
    unchanged: plan.unchanged,
    kept: plan.kept,
    skipped: parsed.skipped,
    unrepresentable: parsed.unrepresentable ?? {},
    newlyPriced: changedAnything ? await newlyPricedUsage(db) : [],
  };
}
