// The catalog entry a pre-call check prices with: an alias's model, and a served variant's own entry.
import type { Db } from '../../db/database.js';
import { variantModel, type ServedVariant } from '../../domain/model-names.js';
import type { ModelRow } from '../prices/catalog.js';

/**
 * The entry that prices `model` served as `variant`, by variantModel's rules (domain/model-names.ts): the
 * variant's own entry; without one, a region is priced as the model itself and fast mode is unpriced.
 */
export async function variantOf(
  db: Db,
  model: ModelRow,
  variant: ServedVariant,
  known: Map<string, ModelRow>,
  cands: string[],
): Promise<{ priced: ModelRow | undefined; rule: string | null }> {
  if (variant === '') return { priced: model, rule: null };
  // Read with the candidates unless an alias led outside them (then one more query).
  const ownName = `${variant}/${model.name}`;
  const own = known.get(ownName) ?? (cands.includes(model.name) ? undefined : await modelNamed(db, ownName, known));
  const index = { names: new Set(own ? [own.name] : []), aliases: new Map<string, string>() };
  const chosen = variantModel(index, model.name, variant);
  return { priced: chosen.name === null ? undefined : chosen.name === model.name ? model : own, rule: chosen.rule };
}

/** An alias's model, when the alias points outside the candidates (rare: one more query). */
export async function modelNamed(db: Db, name: string, known: Map<string, ModelRow>): Promise<ModelRow | undefined> {
  return (
    known.get(name) ??
    db.one<ModelRow>('SELECT name, provider, model_type, cost_type, currency, source FROM models WHERE name = ?', [
      name,
    ])
  );
}
