// `models diff` as a table (prices per 1K tokens, as `models list` shows them) and as JSON.
import type { PriceDisagreement } from '../services/prices/diff.js';
import { renderTable } from './table.js';

const COMPONENT_NAMES: Record<string, string> = {
  input: 'input',
  output: 'output',
  base: 'per request',
  cacheRead: 'cache read',
  cacheWrite: 'cache write 5m',
  cacheWrite1h: 'cache write 1h',
  tierInput: 'input >tier',
  tierOutput: 'output >tier',
  tierCacheRead: 'cache read >tier',
  tierCacheWrite: 'cache write 5m >tier',
  tierCacheWrite1h: 'cache write 1h >tier',
  batchInput: 'batch input',
  batchOutput: 'batch output',
  longContextTier: 'long-context tier above (tokens)',
};

export function renderCatalogDiff(rows: PriceDisagreement[]): string {
  if (rows.length === 0) return 'The catalogs agree on every model compared.';
  const catalogs = rows[0]!.values.map((v) => v.catalog);
  return renderTable(
    [
      { header: 'model' },
      { header: 'price (per 1K tokens)' },
      ...catalogs.map((c) => ({ header: c, align: 'right' as const })),
      { header: 'high/low', align: 'right' },
    ],
    rows.map((r) => [
      r.model,
      COMPONENT_NAMES[r.component] ?? r.component,
      ...r.values.map((v) =>
        v.entry === null ? '—' : (v.value?.toFixed() ?? (r.component === 'longContextTier' ? 'none' : '')),
      ),
      r.ratio ? `${r.ratio.toDecimalPlaces(2).toFixed()}×` : '',
    ]),
  );
}

export function catalogDiffJson(rows: PriceDisagreement[]) {
  return rows.map((r) => ({
    model: r.model,
    component: r.component,
    ratio: r.ratio?.toFixed() ?? null,
    catalogs: r.values.map((v) => ({ catalog: v.catalog, entry: v.entry, value: v.value?.toFixed() ?? null })),
  }));
}
