// How catalog entries look in a table and as JSON.
import { PRICE_FIELD_COLUMNS, PRICE_FIELDS, type PriceVersion } from '../domain/catalog-types.js';
import type { Decimal } from '../domain/money.js';
import type { ModelListItem, ModelRow } from '../services/prices/catalog.js';
import { renderTable } from './table.js';
import { localCell, zoned } from './local-time.js';
import type { PriceAdjustment } from '../domain/price-adjustments.js';
import { adjustmentTerm, renderAdjustments } from './price-adjustments.js';
import { priceSource, versionJson } from '../services/prices/catalog-json.js';

export { modelListJson, priceSource, versionJson } from '../services/prices/catalog-json.js';

const p = (d: Decimal | null | undefined) => (d === null || d === undefined ? '' : d.toFixed());

export function renderModelList(items: ModelListItem[]): string {
  // The operator's terms in force now, only when some model has them (the catalog prices are shown as listed).
  const terms = items.some((m) => m.adjustments.length);
  const table = renderTable(
    [
      { header: 'model' },
      { header: 'provider' },
      { header: 'type' },
      { header: 'per' },
      { header: 'input', align: 'right' },
      { header: 'output', align: 'right' },
      { header: 'cache read', align: 'right' },
      { header: 'cache write', align: 'right' },
      { header: 'versions', align: 'right' },
      { header: 'source' },
      { header: 'catalog date' },
      ...(terms ? [{ header: 'operator' }] : []),
    ],
    items.map((m) => [
      m.name,
      m.provider,
      m.model_type,
      m.current ? `${m.current.unitSize.toFixed()} ${m.current.billingUnit}` : '',
      p(m.current?.prices.input),
      p(m.current?.prices.output),
      p(m.current?.prices.cacheRead),
      p(m.current?.prices.cacheWrite),
      m.versions,
      priceSource(m.currentSource).source ?? '',
      priceSource(m.currentSource).catalog_date ?? '',
      ...(terms ? [m.adjustments.map(adjustmentTerm).join(' ')] : []),
    ]),
  );
  return terms ? `${table}\noperator: the discount (-) and markup (+) in force, applied to the prices shown` : table;
}

export function renderModelDetail(
  model: ModelRow,
  aliases: string[],
  versions: PriceVersion[],
  sources: Map<number, string | null> = new Map(),
  adjustments: PriceAdjustment[] = [],
  tz = 'UTC',
): string {
  const head = [
    `${model.name}  (${model.provider}, ${model.model_type}, ${model.cost_type}, ${model.currency})`,
    aliases.length ? `aliases: ${aliases.join(', ')}` : '',
    model.deprecation_date
      ? `provider retires it on ${model.deprecation_date} (optimize proposes no move to it from 90 days before)`
      : '',
    sources.get(versions[versions.length - 1]?.id ?? -1) === 'manual'
      ? 'current price set by the operator (models add/update): catalog imports and syncs keep it'
      : '',
  ].filter(Boolean);
  const rows = versions.map((v) => {
    const j = versionJson(v);
    const priced = PRICE_FIELDS.filter((f) => v.prices[f] !== null).map(
      (f) => `${PRICE_FIELD_COLUMNS[f].price}=${v.prices[f]!.toFixed()}`,
    );
    if (j.tier_threshold_tokens) priced.push(`tier_threshold_tokens=${j.tier_threshold_tokens}`);
    const from = v.effectiveFrom.getTime() === 0 ? 'always' : localCell(j.effective_from, tz);
    return [v.id, from, `${j.unit_size} ${j.billing_unit}`, sources.get(v.id) ?? '', priced.join('\n')];
  });
  return `${head.join('\n')}\n${renderTable(
    [
      { header: 'version', align: 'right' },
      { header: zoned('effective from', tz) },
      { header: 'per' },
      { header: 'source' },
      { header: 'prices' },
    ],
    rows,
  )}${
    adjustments.length
      ? `\nthe operator's discounts and markups (applied after these prices; catalog imports and syncs keep them):\n${renderAdjustments(adjustments, tz)}`
      : ''
  }`;
}
