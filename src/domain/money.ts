// Exact money. decimal.js everywhere in TypeScript; DECIMAL(38,18) in SQL; strings at every boundary.
import { Decimal } from 'decimal.js';

// Enough precision that no sum of DECIMAL(38,18) values is ever rounded in TypeScript.
Decimal.set({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });

export { Decimal };

/** Scale of every stored money amount and per-unit rate (DECIMAL(38, MONEY_SCALE)). */
export const MONEY_SCALE = 18;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal from text (or an integer/bigint) without passing through a binary float. */
export function parseDecimal(value: string | number | bigint | Decimal): Decimal | undefined {
  if (value instanceof Decimal) return value;
  if (typeof value === 'bigint') return new Decimal(value.toString());
  if (typeof value === 'number') {
    // Numbers reach here only from JSON that already went through a float; their shortest
    // round-trip text is the literal that was written, which is what we want.
    if (!Number.isFinite(value)) return undefined;
    return new Decimal(String(value));
  }
  const text = value.trim();
  if (!DECIMAL_TEXT.test(text)) return undefined;
  return new Decimal(text);
}

/** A plain decimal string (never exponent notation) with at least `minScale` decimals. */
export function moneyString(value: Decimal | string, minScale = 6): string {
  const d = value instanceof Decimal ? value : new Decimal(value);
  const plain = d.toFixed();
  const dot = plain.indexOf('.');
  const decimals = dot < 0 ? 0 : plain.length - dot - 1;
  if (decimals >= minScale) return trimZerosTo(plain, minScale);
  return d.toFixed(minScale);
}

/** Removes trailing zeros but keeps at least `minScale` decimals. */
function trimZerosTo(plain: string, minScale: number): string {
  const dot = plain.indexOf('.');
  if (dot < 0) return plain;
  let end = plain.length;
  while (end > dot + 1 + minScale && plain[end - 1] === '0') end--;
  return plain.slice(0, end);
}

/** Human money for tables: thousands separators, 2 decimals unless the amount is tiny. */
export function formatMoney(value: Decimal | string | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined) return '—';
  const d = value instanceof Decimal ? value : new Decimal(value);
  return formatMoneyAt(d, moneyScale(d), currency);
}

/** Cents, or for an amount under a cent enough digits to show it (4 to 8). */
function moneyScale(d: Decimal): number {
  const abs = d.abs();
  return abs.isZero() || abs.gte('0.01') ? 2 : Math.min(8, Math.max(4, -abs.e + 2));
}

function formatMoneyAt(d: Decimal, scale: number, currency: string): string {
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  const abs = d.abs();
  const fixed = abs.toFixed(scale, Decimal.ROUND_HALF_UP); // display rounding, as people expect
  const [int, frac] = fixed.split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${d.isNegative() && !abs.isZero() ? '-' : ''}${symbol}${grouped}${frac ? `.${frac}` : ''}`;
}

/**
 * The amounts of one table column at one precision ($0.02000 beside $0.00891, not $0.02): the most digits
 * formatMoney would give any of them (at most 8), each rounded once from its exact value.
 */
export function formatMoneyColumn(
  values: readonly (Decimal | string | null | undefined)[],
  currency = 'USD',
): string[] {
  const amounts = values.map((v) => (v === null || v === undefined ? null : v instanceof Decimal ? v : new Decimal(v)));
  const scale = Math.min(8, Math.max(2, ...amounts.map((d) => (d === null ? 2 : moneyScale(d)))));
  return amounts.map((d) => (d === null ? '—' : formatMoneyAt(d, scale, currency)));
}
