// Matching the model names callers write (`openrouter/anthropic/claude-sonnet-4.5`, an alias, a typo) to
// catalog models. Pure: the catalog's names arrive as a NameIndex (src/db/pricing-sql.ts loads one).

/** Everything needed to match caller-supplied model names, loaded once per command. */
export interface NameIndex {
  names: Set<string>;
  aliases: Map<string, string>;
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

/** Matches a name as callers write it to a catalog model: per nameCandidates, an exact name, then an alias. Unmatched → undefined. */
export function matchModelName(index: NameIndex, name: string): string | undefined {
  for (const candidate of nameCandidates(name)) {
    if (index.names.has(candidate)) return candidate;
    const alias = index.aliases.get(candidate);
    if (alias) return alias;
  }
  return undefined;
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
