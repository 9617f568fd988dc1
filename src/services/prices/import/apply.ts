// Applies a parsed catalog in one transaction: new models are added, changed prices become a new
// version, identical prices are left alone. Re-importing the same file changes nothing.
import { DataError } from '../../../errors.js';
import { atStoredScale } from '../../../domain/pricing.js';
import { BEGINNING, listModels, samePrices, specOf, type ModelSpec, type PriceSpec } from '../catalog.js';
import { insertModels, insertPriceVersions, setAliases } from '../catalog-write.js';
import type { Db } from '../../../db/database.js';
import { parseCatalogCsv } from './csv.js';
import { parseLiteLLMCatalog } from './litellm.js';
import type { ParsedCatalog } from './types.js';

export type CatalogFormat = 'litellm' | 'csv';

export interface ImportReport {
  format: CatalogFormat;
  added: string[];
  changed: string[];
  unchanged: number;
  skipped: { name: string; reason: string }[];
}

export function detectCatalogFormat(path: string, text: string): CatalogFormat {
  if (path.toLowerCase().endsWith('.csv')) return 'csv';
  return text.trimStart().startsWith('{') ? 'litellm' : 'csv';
}

export function parseCatalog(format: CatalogFormat, text: string): ParsedCatalog {
  return format === 'litellm' ? parseLiteLLMCatalog(text) : parseCatalogCsv(text);
}

export async function importCatalog(
  db: Db,
  path: string,
  format: CatalogFormat,
  text: string,
  options: { now: Date; effectiveFrom?: Date },
): Promise<ImportReport> {
  const parsed = parseCatalog(format, text);
  for (const entry of parsed.entries) entry.price.prices = atStoredScale(entry.price.prices);
  if (parsed.errors.length) {
    const shown = parsed.errors
      .slice(0, 10)
      .map((e) => `  ${path}: ${e}`)
      .join('\n');
    const more = parsed.errors.length > 10 ? `\n  … and ${parsed.errors.length - 10} more` : '';
    throw new DataError(`${path}: nothing imported, ${parsed.errors.length} problem(s):\n${shown}${more}`);
  }
  const existing = new Map((await listModels(db, {}, new Date('9999-12-31T00:00:00Z'))).map((m) => [m.name, m]));
  const report: ImportReport = { format, added: [], changed: [], unchanged: 0, skipped: parsed.skipped };
  const additions: { model: ModelSpec; price: PriceSpec }[] = [];
  const changes: { modelName: string; spec: PriceSpec }[] = [];
  for (const entry of parsed.entries) {
    const current = existing.get(entry.model.name);
    if (!current) {
      additions.push({
        model: entry.model,
        price: { ...entry.price, effectiveFrom: options.effectiveFrom ?? BEGINNING },
      });
      report.added.push(entry.model.name);
      continue;
    }
    const candidate = { ...entry.price, effectiveFrom: options.effectiveFrom ?? options.now };
    if (current.current && samePrices(specOf(current.current), candidate)) {
      report.unchanged++;
    } else {
      if (current.current && current.current.effectiveFrom.getTime() >= candidate.effectiveFrom.getTime()) {
        throw new DataError(
          `${path}: ${entry.place}: new prices for ${entry.model.name} would take effect ${candidate.effectiveFrom.toISOString()}, not after its current version; pass a later --effective-from`,
        );
      }
      changes.push({ modelName: entry.model.name, spec: candidate });
      report.changed.push(entry.model.name);
    }
  }
  await db.transaction(async () => {
    await insertModels(db, additions, options.now);
    await insertPriceVersions(db, changes, options.now);
    for (const entry of parsed.entries) {
      if (entry.model.aliases.length) await setAliases(db, entry.model.name, entry.model.aliases);
    }
  });
  return report;
}
