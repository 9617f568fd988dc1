// What an import changes, decided before anything is written: which models are new, which price versions
// are added, and which entries already agree with what is stored. Re-importing the same file plans nothing.
import { DataError } from '../../../errors.js';
import type { PriceList, PriceVersion } from '../../../domain/catalog-types.js';
import { BEGINNING, samePrices, specOf, type ModelSpec, type PriceSpec } from '../catalog.js';
import type { CatalogEntry } from './types.js';

export interface ImportPlan {
  additions: { model: ModelSpec; price: PriceSpec }[];
  /** New versions of models already stored, and the dated versions of new models. */
  versions: { modelName: string; spec: PriceSpec }[];
  added: string[];
  changed: string[];
  /** Dated versions planned (genai-prices' `start_date` prices), as `model from YYYY-MM-DD`. */
  dated: string[];
  unchanged: number;
  /** Models whose current price the operator set (`models add/update`): a catalog never replaces it. */
  kept: string[];
}

interface PlanOptions {
  path: string;
  now: Date;
  effectiveFrom?: Date;
  /** The label every price version records: `genai-prices 2026-08-21`. */
  source: string;
  /**
   * Fill gaps only: new models and dated prices are added, but a model already priced keeps its current
   * price (the bundled genai-prices catalog after LiteLLM's: its models and dates, not its opinions).
   */
  fillGaps?: boolean;
}

/** The source `models add` and `models update` record. */
export const OPERATOR_SOURCE = 'manual';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The version in force at `at` among stored and already planned versions. */
function inForce(history: PriceSpec[], at: Date): PriceSpec | undefined {
  let found: PriceSpec | undefined;
  for (const v of history) if (v.effectiveFrom.getTime() <= at.getTime()) found = v;
  return found;
}

export function planImport(
  entries: CatalogEntry[],
  stored: Map<string, (PriceVersion & { source: string | null })[]>,
  options: PlanOptions,
): ImportPlan {
  const plan: ImportPlan = { additions: [], versions: [], added: [], changed: [], dated: [], unchanged: 0, kept: [] };
  const spec = (entry: CatalogEntry, prices: PriceList, effectiveFrom: Date): PriceSpec => ({
    ...entry.price,
    prices,
    effectiveFrom,
    source: options.source,
  });
  for (const entry of entries) {
    const name = entry.model.name;
    const dated = entry.dated ?? [];
    const existing = stored.get(name);
    if (!existing) {
      const first = spec(entry, entry.price.prices, options.effectiveFrom ?? BEGINNING);
      plan.additions.push({ model: { ...entry.model, source: options.source }, price: first });
      plan.added.push(name);
      for (const d of dated) {
        if (d.from.getTime() <= first.effectiveFrom.getTime()) continue;
        plan.versions.push({ modelName: name, spec: spec(entry, d.prices, d.from) });
        plan.dated.push(`${name} from ${day(d.from)}`);
      }
      continue;
    }
    // The operator's own price wins over every catalog, on every import and sync, until they change it.
    if (existing[existing.length - 1]?.source === OPERATOR_SOURCE) {
      plan.kept.push(name);
      continue;
    }
    const history = existing.map(specOf);
    let changed = false;
    // The undated price is the catalog's current price only while no dated price has started.
    if (!options.fillGaps && !dated.some((d) => d.from.getTime() <= options.now.getTime())) {
      const latest = history[history.length - 1];
      const candidate = spec(entry, entry.price.prices, options.effectiveFrom ?? options.now);
      if (!latest || !samePrices(latest, candidate)) {
        if (latest && latest.effectiveFrom.getTime() >= candidate.effectiveFrom.getTime()) {
          throw new DataError(
            `${options.path}: ${entry.place}: new prices for ${name} would take effect ${candidate.effectiveFrom.toISOString()}, not after its current version; pass a later --effective-from`,
          );
        }
        plan.versions.push({ modelName: name, spec: candidate });
        history.push(candidate);
        changed = true;
      }
    }
    // A dated price joins the history at its own date, even in the past: that is when it was in force.
    for (const d of dated) {
      const candidate = spec(entry, d.prices, d.from);
      const current = inForce(history, d.from);
      if (current && samePrices(current, candidate)) continue;
      if (current && current.effectiveFrom.getTime() === d.from.getTime()) {
        throw new DataError(
          `${options.path}: ${entry.place}: ${name} already has different prices effective ${d.from.toISOString()}; remove that version or edit it with \`costctl models update\``,
        );
      }
      plan.versions.push({ modelName: name, spec: candidate });
      plan.dated.push(`${name} from ${day(d.from)}`);
      history.push(candidate);
      history.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
      changed = true;
    }
    if (changed) plan.changed.push(name);
    else plan.unchanged++;
  }
  return plan;
}
