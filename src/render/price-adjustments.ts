// The operator's discounts and markups as a table, as JSON, and as the short terms `models list` shows.
import type { PriceAdjustment } from '../domain/price-adjustments.js';
import { localDate, startOf } from '../domain/time.js';
import { localCell, zoned } from './local-time.js';
import { renderTable } from './table.js';

export { adjustmentJson } from '../services/prices/catalog-json.js';

/** `-20 %` for a discount, `+15 %` for a markup. */
export function adjustmentTerm(a: PriceAdjustment): string {
  return `${a.kind === 'discount' ? '-' : '+'}${a.percent.toFixed()} %`;
}

/** The last day covered when the end is a local midnight (as --until DATE stores it), else the exclusive end. */
function through(until: Date | null, tz: string): string {
  if (until === null) return 'open';
  if (startOf('day', until, tz).getTime() === until.getTime()) return localDate(new Date(until.getTime() - 1), tz);
  return `before ${localCell(until.toISOString(), tz)}`;
}

export function renderAdjustments(items: PriceAdjustment[], tz: string): string {
  return renderTable(
    [
      { header: 'id', align: 'right' },
      { header: 'kind' },
      { header: 'percent', align: 'right' },
      { header: 'provider' },
      { header: 'models' },
      { header: zoned('from', tz) },
      { header: 'through' },
      { header: 'note' },
    ],
    items.map((a) => [
      a.id,
      a.kind,
      adjustmentTerm(a),
      a.provider,
      a.modelPattern ?? 'all',
      a.from.getTime() === 0 ? 'always' : localCell(a.from.toISOString(), tz),
      through(a.until, tz),
      a.note ?? '',
    ]),
  );
}
