// A quota's extra threshold percentages: parsing the flag, the ladder they form with warning, critical
// and exceeded, how many rungs a usage reaches, and the spec rules naming --thresholds.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { parseThresholdPercents, rungsReached, thresholdLadder } from '../../src/domain/thresholds.js';
import { validateQuotaSpec, type QuotaSpec } from '../../src/services/limits/quotas.js';

const d = (s: string) => new Decimal(s);
const fracs = (r: ReturnType<typeof parseThresholdPercents>) =>
  'error' in r ? r.error : r.fractions.map((x) => x.toFixed());

describe('parseThresholdPercents', () => {
  it.each([
    ['50,75,90', ['0.5', '0.75', '0.9']],
    ['90, 50%, 87.5', ['0.5', '0.875', '0.9']],
    ['', []],
  ])('"%s" → %j', (text, expected) => expect(fracs(parseThresholdPercents(text))).toEqual(expected));
  it.each([
    ['0', /above 0 and below 100/],
    ['100', /100 % is the exceeded alert/],
    ['50,50', /listed twice/],
    ['fifty', /not a percentage/],
    ['0.5.1', /not a percentage/],
    ['1.234', /not a percentage/],
    ['1,2,3,4,5,6,7,8,9,10,11', /at most 10/],
  ])('"%s" is refused', (text, message) => expect(fracs(parseThresholdPercents(text))).toMatch(message));
});

describe('the threshold ladder', () => {
  const ladder = thresholdLadder({ warning: d('0.8'), critical: d('0.95') }, [d('0.5'), d('0.9')]);
  it('orders the extra fractions among the named levels', () => {
    expect(ladder.map((r) => `${r.level}@${r.fraction.toFixed()}`)).toEqual([
      'extra@0.5',
      'warning@0.8',
      'extra@0.9',
      'critical@0.95',
      'exceeded@1',
    ]);
  });
  it.each([
    ['0', '100', 0],
    ['49.99', '100', 0],
    ['50', '100', 1],
    ['89.99', '100', 2],
    ['97', '100', 4],
    ['100', '100', 5],
    ['0', '0', 0],
    ['0.01', '0', 5],
  ])('used %s of %s reaches %i rungs', (used, limit, n) => expect(rungsReached(d(used), d(limit), ladder)).toBe(n));
});

describe('validateQuotaSpec --thresholds', () => {
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
  it('accepts extras between and around the named levels', () => {
    expect(() => validateQuotaSpec({ ...base, extraThresholds: [d('0.5'), d('0.9'), d('0.99')] })).not.toThrow();
  });
  it.each([
    [[d('0.8')], /^--thresholds: 80 is already --warning 0.8/],
    [[d('0.95')], /^--thresholds: 95 is already --critical 0.95/],
    [[d('1')], /^--thresholds: 100 must be above 0 and below 100/],
  ])('%j is refused', (extra, message) => {
    expect(() => validateQuotaSpec({ ...base, extraThresholds: extra })).toThrow(message);
  });
});
