// Tolerance and likely-cause rules of reconciliation, one line per case.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { likelyCause, perMillionTokens, withinTolerance, type ReconcileSide } from '../../src/domain/mismatch-cause.js';

const tol = { pct: new Decimal(1), abs: new Decimal('0.01') };

describe('withinTolerance (1% of the larger amount, or $0.01)', () => {
  it.each([
    ['100', '100.99', true], // 0.99 ≤ 1% of 100.99
    ['100', '101.03', false], // 1.03 > 1.0103
    ['0.50', '0.51', true], // one cent
    ['0.50', '0.515', false], // 1.5 cents, 2.9%
    ['0', '0', true],
    ['0', '0.02', false],
    ['-5', '-5.04', true], // credits: |diff| 0.04 ≤ 1% of 5.04
  ])('computed %s vs billed %s → %s', (usage, billed, ok) => {
    expect(withinTolerance(new Decimal(usage), new Decimal(billed), tol)).toBe(ok);
  });

  it('a zero tolerance accepts only equality', () => {
    const zero = { pct: new Decimal(0), abs: new Decimal(0) };
    expect(withinTolerance(new Decimal('1.000000000000000001'), new Decimal('1'), zero)).toBe(false);
    expect(withinTolerance(new Decimal('1.5'), new Decimal('1.500'), zero)).toBe(true);
  });
});

const side = (p: Partial<ReconcileSide>): ReconcileSide => ({
  count: 1,
  cost: new Decimal(1),
  tokens: 1000n,
  unpriced: 0,
  ...p,
});

describe('likelyCause', () => {
  it.each([
    [
      'no billing lines',
      side({}),
      side({ count: 0, cost: new Decimal(0), tokens: null }),
      true,
      'usage_without_billing',
    ],
    ['no usage rows', side({ count: 0, cost: new Decimal(0), tokens: 0n }), side({}), true, 'billing_without_usage'],
    ['unpriced rows', side({ unpriced: 3 }), side({ cost: new Decimal(2) }), true, 'unpriced_usage'],
    [
      'token counts differ',
      side({ tokens: 1000n }),
      side({ tokens: 1200n, cost: new Decimal('1.2') }),
      true,
      'quantity_mismatch',
    ],
    ['same tokens, other amount', side({}), side({ cost: new Decimal('1.15') }), true, 'price_mismatch'],
    [
      'components without a price',
      side({ partlyUnpriced: 2 }),
      side({ cost: new Decimal('1.2') }),
      true,
      'partly_unpriced_usage',
    ],
    [
      'same tokens, other amount, rows served on priority or fast',
      side({ served: 4 }),
      side({ cost: new Decimal('2') }),
      true,
      'served_variant',
    ],
    [
      'served rows but the token counts differ',
      side({ served: 4, tokens: 1000n }),
      side({ cost: new Decimal('2'), tokens: 900n }),
      true,
      'quantity_mismatch',
    ],
    [
      'bill without quantities, per model',
      side({}),
      side({ cost: new Decimal('1.15'), tokens: null }),
      true,
      'price_mismatch',
    ],
    [
      'provider level, no quantities',
      side({}),
      side({ cost: new Decimal('1.15'), tokens: null }),
      false,
      'unexplained',
    ],
  ])('%s → %s', (_name, usage, billing, modelLevel, cause) => {
    expect(likelyCause(usage, billing, modelLevel).cause).toBe(cause);
  });

  it('a price mismatch names the implied and the catalog price per 1M tokens', () => {
    // $1.15 for 1,000 tokens = $1,150 per 1M; the catalog priced them at $1 = $1,000 per 1M
    expect(likelyCause(side({}), side({ cost: new Decimal('1.15') }), true).explanation).toBe(
      'implied $1150 per 1M tokens billed vs $1000 from the catalog',
    );
  });
});

describe('perMillionTokens', () => {
  it.each([
    ['3', 300_000n, '10'],
    ['0.000002', 1n, '2'],
    ['1', 3n, '333333.333333'],
    ['1', 0n, null],
    ['1', null, null],
  ])('%s over %s tokens → %s', (cost, tokens, expected) => {
    const r = perMillionTokens(new Decimal(cost), tokens as bigint | null);
    expect(r === null ? null : r.toFixed()).toBe(expected);
  });
});
