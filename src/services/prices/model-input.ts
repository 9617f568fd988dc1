// What `models add` needs before it writes, checked in one place for the command and the API's
// `POST /models`: the prices a billing unit requires, the currency code, a positive unit size.
import {
  type BillingUnit,
  type CostType,
  defaultUnitSize,
  emptyPriceList,
  type PriceList,
} from '../../domain/catalog-types.js';
import { Decimal } from '../../domain/money.js';
import { UsageError } from '../../errors.js';
import type { ModelSpec, PriceSpec } from './catalog.js';

export interface NewModel {
  name: string;
  provider: string;
  billingUnit: BillingUnit;
  /** Default: 1000 for tokens, else 1. */
  unitSize?: Decimal;
  modelType: string;
  costType: CostType;
  currency: string;
  aliases: string[];
  /** Only the prices given. */
  prices: Partial<PriceList>;
  effectiveFrom: Date;
}

/** The model and its first price version, or a UsageError naming the flag (field) to fix. */
export function newModelSpecs(m: NewModel): { model: ModelSpec; price: PriceSpec } {
  if (m.prices.input === undefined) throw new UsageError('--input-price is required (price per --unit-size units)');
  if (m.billingUnit === 'token' && m.prices.output === undefined)
    throw new UsageError('--output-price is required for token-priced models');
  if (!/^[A-Z]{3}$/.test(m.currency))
    throw new UsageError(`--currency: "${m.currency}" must be a 3-letter code such as USD`);
  const unitSize = m.unitSize ?? new Decimal(defaultUnitSize(m.billingUnit));
  if (unitSize.lte(0)) throw new UsageError('--unit-size must be greater than 0');
  return {
    model: {
      name: m.name,
      provider: m.provider,
      modelType: m.modelType,
      costType: m.costType,
      currency: m.currency,
      aliases: m.aliases,
      source: 'manual',
    },
    price: {
      billingUnit: m.billingUnit,
      unitSize,
      prices: { ...emptyPriceList(), ...m.prices },
      effectiveFrom: m.effectiveFrom,
      source: 'manual',
    },
  };
}
