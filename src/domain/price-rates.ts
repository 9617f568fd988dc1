// A catalog price turned into the per-base-unit rate the pricing multiplies by, exactly.
import { Decimal, MONEY_SCALE } from './money.js';
import { PER_CALL_FIELDS, PRICE_FIELDS, type BillingUnit, type PriceField, type PriceList } from './catalog-types.js';

/** Base units per billing unit: token→token, request→request, minute→second, second→second, gb→byte. */
const BASE_UNITS_PER_BILLING_UNIT: Record<BillingUnit, number> = {
  token: 1,
  request: 1,
  minute: 60,
  second: 1,
  gb: 1_000_000_000,
};

/**
 * A price per `unitSize` billing units turned into a price per base unit, kept at 18 decimals.
 * Token, request, second and GB prices divide by powers of ten and stay exact; per-minute prices are
 * divided by 60 and rounded half-even at the 18th decimal (documented in the README).
 */
export function rateFromPrice(price: Decimal | null, unitSize: Decimal, unit: BillingUnit): Decimal | null {
  if (price === null) return null;
  const divisor = unitSize.times(BASE_UNITS_PER_BILLING_UNIT[unit]);
  return price.div(divisor).toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_EVEN);
}

/**
 * Prices are stored at 18 decimals. Catalogs written from binary floats sometimes carry digits past
 * that (LiteLLM's 1.5000020000000002e-05); they are rounded here, once, so a re-import compares equal.
 */
export function atStoredScale(prices: PriceList): PriceList {
  const out = { ...prices };
  for (const field of PRICE_FIELDS) {
    out[field] = prices[field]?.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_EVEN) ?? null;
  }
  return out;
}

export function ratesFromPrices(
  prices: PriceList,
  unitSize: Decimal,
  unit: BillingUnit,
): Record<PriceField, Decimal | null> {
  const rates = {} as Record<PriceField, Decimal | null>;
  for (const field of PRICE_FIELDS) {
    // A per-image or per-call price is already the price of one.
    rates[field] = PER_CALL_FIELDS.has(field)
      ? (prices[field]?.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_EVEN) ?? null)
      : rateFromPrice(prices[field], unitSize, unit);
  }
  return rates;
}
