// A hand-written price list: one model per row, read with csv-parse so every bad cell is named by line.
import { parse } from 'csv-parse/sync';
import {
  BILLING_UNITS,
  COST_TYPES,
  PRICE_FIELD_COLUMNS,
  PRICE_FIELDS,
  defaultUnitSize,
  emptyPriceList,
  type BillingUnit,
  type CostType,
} from '../../../domain/catalog-types.js';
import { Decimal, parseDecimal } from '../../../domain/money.js';
import type { CatalogEntry, ParsedCatalog } from './types.js';

const PRICE_COLUMN_NAMES = PRICE_FIELDS.map((f) => PRICE_FIELD_COLUMNS[f].price);
export const CATALOG_CSV_COLUMNS = [
  'name',
  'provider',
  'model_type',
  'cost_type',
  'billing_unit',
  'unit_size',
  'currency',
  'aliases',
  'tier_threshold_tokens',
  ...PRICE_COLUMN_NAMES,
];

export function parseCatalogCsv(text: string): ParsedCatalog {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    return { entries: [], skipped: [], errors: [(e as Error).message] };
  }
  const errors: string[] = [];
  const first = records[0];
  if (first) {
    const unknown = Object.keys(first).filter((c) => !CATALOG_CSV_COLUMNS.includes(c));
    if (unknown.length)
      errors.push(`line 1: unknown column(s) ${unknown.join(', ')} (known: ${CATALOG_CSV_COLUMNS.join(', ')})`);
    for (const required of ['name', 'provider', 'input_price']) {
      if (!(required in first)) errors.push(`line 1: missing column ${required}`);
    }
  }
  if (errors.length) return { entries: [], skipped: [], errors };
  const entries: CatalogEntry[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const line = i + 2; // header is line 1
    const where = `line ${line}`;
    const bad = (column: string, message: string) => errors.push(`${where}: ${column} ${message}`);
    const name = r.name ?? '';
    if (!name) bad('name', 'is empty');
    if (seen.has(name)) bad('name', `"${name}" appears twice`);
    seen.add(name);
    if (!r.provider) bad('provider', 'is empty');
    const unit = (r.billing_unit || 'token') as BillingUnit;
    if (!BILLING_UNITS.includes(unit))
      bad('billing_unit', `"${r.billing_unit}" must be one of ${BILLING_UNITS.join(', ')}`);
    const costType = (r.cost_type || 'ai_api') as CostType;
    if (!COST_TYPES.includes(costType)) bad('cost_type', `"${r.cost_type}" must be one of ${COST_TYPES.join(', ')}`);
    const unitSize = r.unit_size ? parseDecimal(r.unit_size) : new Decimal(defaultUnitSize(unit));
    if (!unitSize || unitSize.lte(0)) bad('unit_size', `"${r.unit_size}" must be a number > 0`);
    const currency = r.currency || 'USD';
    if (!/^[A-Z]{3}$/.test(currency)) bad('currency', `"${currency}" must be a 3-letter code such as USD`);
    const prices = emptyPriceList();
    for (const f of PRICE_FIELDS) {
      const column = PRICE_FIELD_COLUMNS[f].price;
      const cell = r[column];
      if (cell === undefined || cell === '') continue;
      const d = parseDecimal(cell);
      if (!d || d.isNegative()) bad(column, `"${cell}" must be a decimal number ≥ 0`);
      else prices[f] = d;
    }
    if (r.tier_threshold_tokens) {
      if (!/^\d+$/.test(r.tier_threshold_tokens))
        bad('tier_threshold_tokens', `"${r.tier_threshold_tokens}" must be a whole number`);
      else prices.tierThresholdTokens = BigInt(r.tier_threshold_tokens);
    }
    if (!r.input_price) bad('input_price', 'is required');
    if (unit === 'token' && !r.output_price) bad('output_price', 'is required for token-priced models');
    entries.push({
      place: where,
      model: {
        name,
        provider: r.provider ?? '',
        modelType: r.model_type || 'chat',
        costType,
        currency,
        aliases: (r.aliases ?? '')
          .split(/[;|]/)
          .map((a) => a.trim())
          .filter(Boolean),
        source: 'csv',
      },
      price: { billingUnit: unit, unitSize: unitSize ?? new Decimal(1), prices, source: 'csv' },
    });
  });
  return { entries: errors.length ? [] : entries, skipped: [], errors };
}
