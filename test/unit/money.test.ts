import { describe, expect, it } from 'vitest';
import { Decimal, formatMoney, formatMoneyColumn, moneyString, parseDecimal } from '../../src/domain/money.js';
import { parseJsonExact, JsonNumber } from '../../src/domain/exact-json.js';

describe('moneyString', () => {
  it.each([
    ['0', '0.000000'],
    ['0.0111', '0.011100'],
    ['0.00000005', '0.00000005'],
    ['1e-7', '0.0000001'],
    ['123456789.5', '123456789.500000'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['2.500000000000000000', '2.500000'],
  ])('%s → %s (no exponent, at least 6 decimals)', (input, expected) => {
    expect(moneyString(new Decimal(input))).toBe(expected);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['0.003', '0.003'],
    [' 12 ', '12'],
    ['3e-06', '0.000003'],
    ['-1.5', '-1.5'],
  ])('reads %s exactly', (input, expected) => {
    expect(parseDecimal(input)!.toFixed()).toBe(expected);
  });
  it.each(['abc', '', '1.2.3', '0x10', 'NaN', 'Infinity'])('refuses %j', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });
});

describe('formatMoney', () => {
  it.each([
    ['4812.1', '$4,812.10'],
    ['0', '$0.00'],
    ['-12.345', '-$12.35'],
    ['0.000123', '$0.000123'],
  ])('%s → %s', (input, expected) => {
    expect(formatMoney(input)).toBe(expected);
  });
});

describe('parseJsonExact', () => {
  it('keeps number literals as written, strings untouched', () => {
    const v = parseJsonExact(
      '{"a": 1.5000020000000002e-05, "b": "3e-06 is text", "c": [0.1, -2], "d": "quote \\" 5"}',
    ) as any;
    expect(v.a).toBeInstanceOf(JsonNumber);
    expect(v.a.text).toBe('1.5000020000000002e-05');
    expect(v.b).toBe('3e-06 is text');
    expect(v.c.map(String)).toEqual(['0.1', '-2']);
    expect(v.d).toBe('quote " 5');
  });
  it('throws on broken JSON', () => {
    expect(() => parseJsonExact('{"a": 1,')).toThrow(SyntaxError);
  });
});

describe('formatMoneyColumn', () => {
  it('one precision per column, each amount rounded once from its exact value', () => {
    // 0.0196349 shows as $0.01963 beside $0.00891 (not $0.02, and not $0.02 padded to $0.02000).
    expect(formatMoneyColumn(['0.0196349', '0.008905', '0.01', null, '1234.5'])).toEqual([
      '$0.01963',
      '$0.00891',
      '$0.01000',
      '—',
      '$1,234.50000',
    ]);
    // Cents when every amount is a cent or more; a tiny amount is never shown as zero.
    expect(formatMoneyColumn(['0.07', '36.549'])).toEqual(['$0.07', '$36.55']);
    expect(formatMoneyColumn(['0.00000001234', '2'])).toEqual(['$0.00000001', '$2.00000000']);
  });
});
