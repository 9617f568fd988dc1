// Matching the model names callers write (`openrouter/anthropic/claude-sonnet-4.5`, an alias, a typo) to
// catalog models. Pure: the catalog's names arrive as a NameIndex (src/db/pricing-sql.ts loads one).

/** Everything needed to match caller-supplied model names, loaded once per command. */
export interface NameIndex {
  names: Set<string>;
  aliases: Map<string, string>;
  /** Each catalog name's provider: a bare name may find `<provider>/<name>` (see matchModelName). */
  providers?: Map<string, string>;
}

/** The index folded to lower case, built once per index: callers write `GPT-4o-mini` for `gpt-4o-mini`. */
interface FoldedIndex {
  names: Map<string, string>;
  aliases: Map<string, string>;
  /** Bare name → the catalog names `<provider>/<bare name>` whose prefix is their own provider. */
  prefixed: Map<string, string[]>;
}

const foldedIndexes = new WeakMap<NameIndex, FoldedIndex>();

function folded(index: NameIndex): FoldedIndex {
  let f = foldedIndexes.get(index);
  if (f) return f;
  f = { names: new Map(), aliases: new Map(), prefixed: new Map() };
  // Sorted, so that two names differing only in case resolve the same way every time.
  for (const name of [...index.names].sort()) {
    const lower = name.toLowerCase();
    if (!f.names.has(lower)) f.names.set(lower, name);
    const parts = lower.split('/');
    const provider = index.providers?.get(name)?.toLowerCase();
    // Only `<provider>/<model>`: LiteLLM's `fast/…`, `us/…` or `low/1024-x-1024/…` keys are variants, not
    // another provider's copy, and must never be reached from a bare name.
    if (parts.length === 2 && provider !== undefined && provider.startsWith(parts[0]!)) {
      const list = f.prefixed.get(parts[1]!) ?? [];
      list.push(name);
      f.prefixed.set(parts[1]!, list);
    }
  }
  for (const [alias, target] of [...index.aliases].sort(([a], [b]) => a.localeCompare(b))) {
    const lower = alias.toLowerCase();
    if (!f.aliases.has(lower)) f.aliases.set(lower, target);
  }
  foldedIndexes.set(index, f);
  return f;
}

/**
 * The names a caller's model may mean, in the order they are tried: the name as written, then with each
 * provider prefix removed (`openrouter/anthropic/claude-…` → `anthropic/claude-…` → `claude-…`); only
 * after all of those, the same names with dotted version numbers dashed, as Anthropic writes them
 * (OpenRouter's `claude-sonnet-4.5` is the catalog's `claude-sonnet-4-5`).
 */
export function nameCandidates(name: string): string[] {
  const written: string[] = [];
  for (let c = name.trim(); ; ) {
    written.push(c);
    const slash = c.indexOf('/');
    if (slash < 0) break;
    c = c.slice(slash + 1);
  }
  const dashed = written.map((c) => c.replace(/(\d)\.(?=\d)/g, '$1-')).filter((c, i) => c !== written[i]);
  return [...written, ...dashed];
}

/**
 * Matches a name as callers write it to a catalog model. Per nameCandidates: an exact name, then an alias;
 * then the same ignoring case; then a bare name (`mistral-medium-latest`) finds the one provider-prefixed
 * entry (`mistral/mistral-medium-latest`) when exactly one provider has it. Unmatched → undefined.
 */
export function matchModelName(index: NameIndex, name: string): string | undefined {
  const candidates = nameCandidates(name);
  for (const candidate of candidates) {
    if (index.names.has(candidate)) return candidate;
    const alias = index.aliases.get(candidate);
    if (alias) return alias;
  }
  const f = folded(index);
  for (const candidate of candidates.map((c) => c.toLowerCase())) {
    const exact = f.names.get(candidate) ?? f.aliases.get(candidate);
    if (exact) return exact;
  }
  for (const candidate of candidates) {
    const prefixed = prefixedEntries(index, candidate);
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** The catalog's `<provider>/<name>` entries for a bare name (more than one: the name is ambiguous). */
export function prefixedEntries(index: NameIndex, bareName: string): string[] {
  if (bareName.includes('/')) return [];
  return folded(index).prefixed.get(bareName.toLowerCase()) ?? [];
}

/** Catalog names closest to `name`, for "did you mean" messages. */
export function closestNames(index: NameIndex, name: string, count = 3): string[] {
  const target = name.toLowerCase();
  const scored = [...index.names, ...index.aliases.keys()].map((n) => ({
    n,
    d: editDistance(target, n.toLowerCase()),
  }));
  scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, count).map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Resolves a name to its model row, or fails naming the closest catalog names. */

/**
 * A served variant some catalogs price as an entry of its own (LiteLLM: `fast/claude-opus-4-6` for
 * Anthropic's fast mode, `us/claude-sonnet-4-6` for US-only inference, `fast/us/…` for both); '' = standard.
 * Other speed or region values are priced as standard (they are stored as given).
 */
export type ServedVariant = '' | 'fast' | 'us' | 'fast/us';
export const SERVED_VARIANTS: ServedVariant[] = ['', 'fast', 'us', 'fast/us'];

/** The speeds providers write (Anthropic's usage.speed): fast has entries of its own. */
export const KNOWN_SPEEDS = ['standard', 'fast'];
/**
 * The regions providers and catalogs name: Anthropic's usage.inference_geo (`global`, `us`; LiteLLM reads
 * `not_available` as global) and the geographies of Bedrock's cross-region inference profiles (`us.`, `eu.`,
 * `apac.`, `au.`, `jp.`, `ca.`, `us-gov.`, `global.`). Only `us` has entries of its own in the catalogs
 * (`us/…`); the others are priced at standard. Any other value is stored as given, priced at standard, and
 * named in a warning by ingest.
 */
export const KNOWN_REGIONS = ['global', 'us', 'eu', 'apac', 'au', 'jp', 'ca', 'us-gov', 'not_available'];

/**
 * Anthropic's `inference_geo` values that state no region: `not_available` (written when the request had no
 * geography option) and empty. Every Anthropic adapter stores the region from inference_geo this one way.
 */
export const UNSTATED_INFERENCE_GEOS = ['', 'not_available'];

/** The region column of an Anthropic row from its `inference_geo`; null when it states none. */
export function regionOfInferenceGeo(inferenceGeo: string | null | undefined): string | null {
  if (inferenceGeo === null || inferenceGeo === undefined) return null;
  return UNSTATED_INFERENCE_GEOS.includes(inferenceGeo) ? null : inferenceGeo;
}

export function servedVariant(speed: string | null | undefined, region: string | null | undefined): ServedVariant {
  const fast = speed?.trim().toLowerCase() === 'fast';
  const us = region?.trim().toLowerCase() === 'us';
  return fast ? (us ? 'fast/us' : 'fast') : us ? 'us' : '';
}

/**
 * The catalog model that prices `matched` served as `variant`: its variant entry when the catalog has one.
 * Without one, a region is priced as the model itself (said in the rule); fast mode is not: it costs a
 * multiple (6 × for claude-opus-4-6), so pricing it as standard would understate it, and the row is left
 * unpriced (name null) until the catalog has the entry.
 */
export function variantModel(
  index: NameIndex,
  matched: string,
  variant: ServedVariant,
): { name: string | null; rule: string | null } {
  if (variant === '') return { name: matched, rule: null };
  const own = `${variant}/${matched}`;
  if (index.names.has(own))
    return { name: own, rule: `${variant === 'us' ? 'region us' : 'fast mode'}: ${own} prices` };
  if (variant === 'us') return { name: matched, rule: `region us: no ${own} in the catalog, standard prices` };
  return { name: null, rule: null };
}
