// Quota and budget rules as pure checks: each bad value is refused naming its flag.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { parseAllocation, validateBudgetSpec, type BudgetSpec } from '../../src/services/limits/budgets.js';
import { parseScope, validateQuotaSpec, type QuotaSpec } from '../../src/services/limits/quotas.js';

const d = (s: string) => new Decimal(s);
const base: QuotaSpec = {
  name: 'q',
  scope: { type: 'global', value: null },
  metric: 'cost',
  period: 'monthly',
  limit: d('100'),
  dailyLimit: null,
  hourlyLimit: null,
  warning: d('0.8'),
  critical: d('0.95'),
  enforcement: 'hard',
  model: null,
  recipients: [],
};

describe('parseScope', () => {
  it.each([
    ['global', { type: 'global', value: null }],
    ['department:sales-east', { type: 'department', value: 'sales-east' }],
    ['user:u:17', { type: 'user', value: 'u:17' }],
    ['account: wx-88 ', { type: 'account', value: 'wx-88' }],
  ])('%s', (text, scope) => expect(parseScope(text)).toEqual(scope));
  it.each(['dept:x', 'department', 'department:', 'global:x', '', 'team:a'])(
    '"%s" is refused naming --scope',
    (text) => {
      expect(() => parseScope(text)).toThrow(/^--scope/);
    },
  );
});

describe('validateQuotaSpec', () => {
  it('accepts a full valid quota', () => {
    expect(() =>
      validateQuotaSpec({ ...base, dailyLimit: d('30'), hourlyLimit: d('12'), recipients: ['a@example.com'] }),
    ).not.toThrow();
  });
  it.each<[string, Partial<QuotaSpec>, RegExp]>([
    ['negative limit', { limit: d('-1') }, /^--limit/],
    ['daily above limit', { dailyLimit: d('101') }, /^--daily-limit: 101 is above --limit 100/],
    [
      'hourly above daily',
      { dailyLimit: d('10'), hourlyLimit: d('11') },
      /^--hourly-limit: 11 is above --daily-limit 10/,
    ],
    ['daily on a daily quota', { period: 'daily', dailyLimit: d('1') }, /^--daily-limit: a daily quota/],
    ['hourly on an hourly quota', { period: 'hourly', hourlyLimit: d('1') }, /^--hourly-limit/],
    ['warning above 1', { warning: d('1.1') }, /^--warning/],
    ['critical 0', { critical: d('0') }, /^--critical/],
    ['warning = critical', { warning: d('0.9'), critical: d('0.9') }, /^--warning 0.9 must be below --critical 0.9/],
    ['fractional token limit', { metric: 'tokens', limit: d('1.5') }, /^--limit: 1.5 must be a whole number/],
    ['unknown period', { period: 'fortnightly' as never }, /^--period/],
    ['unknown metric', { metric: 'dollars' as never }, /^--metric/],
    ['bad recipient', { recipients: ['nobody'] }, /^--notify/],
    ['name with a colon', { name: 'a:b' }, /quota name/],
    ['more than 18 decimals', { limit: d('0.0000000000000000001') }, /more than 18 decimals/],
  ])('%s', (_label, patch, message) => {
    expect(() => validateQuotaSpec({ ...base, ...patch })).toThrow(message);
  });
});

describe('budgets', () => {
  it.each([
    ['sales=30000', { targetType: 'department', target: 'sales', amount: '30000' }],
    ['department:sales=1.5', { targetType: 'department', target: 'sales', amount: '1.5' }],
    ['project:apollo=5000', { targetType: 'project', target: 'apollo', amount: '5000' }],
  ])('parseAllocation %s', (text, expected) => {
    const a = parseAllocation(text);
    expect({ ...a, amount: a.amount.toFixed() }).toEqual(expected);
  });
  it.each(['sales', '=5', 'sales=', 'sales=-1', 'sales=1e3', 'user:u1=5'])(
    'parseAllocation "%s" is refused',
    (text) => {
      expect(() => parseAllocation(text)).toThrow(/^--allocate/);
    },
  );

  const budget: BudgetSpec = {
    name: 'fy',
    period: 'yearly',
    total: d('100'),
    allocations: [],
    warning: d('0.8'),
    enforcement: 'hard',
    recipients: [],
  };
  it('allocations may add up to the total exactly, not more', () => {
    const alloc = (target: string, amount: string) => ({
      targetType: 'department' as const,
      target,
      amount: d(amount),
    });
    expect(() => validateBudgetSpec({ ...budget, allocations: [alloc('a', '60'), alloc('b', '40')] })).not.toThrow();
    expect(() =>
      validateBudgetSpec({ ...budget, allocations: [alloc('a', '60'), alloc('b', '40.000000000000000001')] }),
    ).toThrow(/^--allocate: allocations add up to 100.000000000000000001, more than --total 100/);
    expect(() => validateBudgetSpec({ ...budget, allocations: [alloc('a', '1'), alloc('a', '1')] })).toThrow(
      /allocated twice/,
    );
  });
});
