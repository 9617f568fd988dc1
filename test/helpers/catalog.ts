// Catalog models for tests, priced so a request's cost can be read from its tokens.
import type { Db } from '../../src/db/database.js';
import { type BillingUnit, emptyPriceList, type PriceList } from '../../src/domain/catalog-types.js';
import { Decimal } from '../../src/domain/money.js';
import { BEGINNING } from '../../src/services/prices/catalog.js';
import { addModel } from '../../src/services/prices/catalog-write.js';

/**
 * A test model priced $1 per 1K input tokens and $2 per 1K output tokens, so a request's cost is
 * readable from its token counts: 5000 input tokens cost exactly $5.
 */
export async function addDollarModel(db: Db, name = 'm-dollar'): Promise<void> {
  await addModel(
    db,
    { name, provider: 'test', modelType: 'chat', costType: 'ai_api', currency: 'USD', aliases: [] },
    {
      billingUnit: 'token',
      unitSize: new Decimal(1000),
      prices: { ...emptyPriceList(), input: new Decimal(1), output: new Decimal(2) },
      effectiveFrom: BEGINNING,
    },
    new Date('2026-01-01T00:00:00Z'),
  );
}

export const T0 = new Date('2026-03-01T00:00:00Z');

/** Prices per 1M tokens, as catalogs state them. */
export async function addTokenModel(
  db: Db,
  name: string,
  provider: string,
  prices: {
    input: string;
    output: string;
    cacheRead?: string;
    cacheWrite?: string;
    batchInput?: string;
    batchOutput?: string;
  },
  modelType = 'chat',
): Promise<void> {
  const d = (v?: string) => (v === undefined ? null : new Decimal(v));
  await addModel(
    db,
    { name, provider, modelType, costType: 'ai_api', currency: 'USD', aliases: [] },
    {
      billingUnit: 'token',
      unitSize: new Decimal(1_000_000),
      effectiveFrom: BEGINNING,
      prices: {
        ...emptyPriceList(),
        input: d(prices.input),
        output: d(prices.output),
        cacheRead: d(prices.cacheRead),
        cacheWrite: d(prices.cacheWrite),
        batchInput: d(prices.batchInput),
        batchOutput: d(prices.batchOutput),
      },
    },
    T0,
  );
}

/** Prices as text per unit (a bigint for the tier threshold), keyed like PriceList: `{ input: '0.003' }`. */
export type PriceText = Partial<Record<keyof PriceList, string | bigint>>;

/** A full price list from the prices given; the rest unset. */
export function priceList(p: PriceText): PriceList {
  const list = emptyPriceList();
  for (const [k, v] of Object.entries(p)) (list as any)[k] = typeof v === 'bigint' ? v : new Decimal(v);
  return list;
}

/**
 * A catalog model with any prices, unit and provider: the models of the pricing property tests (SQL equals
 * TypeScript), whose rows exercise every rule. Defaults: per 1K tokens, provider `test`, from the beginning.
 */
export async function addPricedModel(
  db: Db,
  name: string,
  prices: PriceText,
  options: { unit?: BillingUnit; unitSize?: string; from?: Date; provider?: string; now?: Date } = {},
): Promise<void> {
  await addModel(
    db,
    { name, provider: options.provider ?? 'test', modelType: 'chat', costType: 'ai_api', currency: 'USD', aliases: [] },
    {
      billingUnit: options.unit ?? 'token',
      unitSize: new Decimal(options.unitSize ?? '1000'),
      prices: priceList(prices),
      effectiveFrom: options.from ?? BEGINNING,
    },
    options.now ?? T0,
  );
}
