import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import {
  DEFAULT_THRESHOLDS,
  atOrPast,
  bindingLimit,
  percentage,
  remaining,
  thresholdState,
  wouldExceed,
  type QuotaState,
} from '../../src/domain/thresholds.js';

const d = (s: string) => new Decimal(s);

describe('thresholdState (warning 0.80, critical 0.95)', () => {
  it.each([
    ['0', '100', 'ok'],
    ['79.999999999999999999', '100', 'ok'],
    ['80', '100', 'warning'],
    ['94.99', '100', 'warning'],
    ['95', '100', 'critical'],
    ['99.999999', '100', 'critical'],
    ['100', '100', 'exceeded'],
    ['150', '100', 'exceeded'],
    ['0', '0', 'ok'],
    ['0.000000000000000001', '0', 'exceeded'],
    // 0.8 of 0.000000000000000010 is exactly 8e-18: exact decimals, no float rounding
    ['0.000000000000000008', '0.000000000000000010', 'warning'],
  ] as const)('used %s of %s → %s', (used, limit, state) => {
    expect(thresholdState(d(used), d(limit), DEFAULT_THRESHOLDS)).toBe(state);
  });

  it('custom thresholds', () => {
    const t = { warning: d('0.5'), critical: d('0.6') };
    expect(thresholdState(d('55'), d('100'), t)).toBe('warning');
    expect(thresholdState(d('60'), d('100'), t)).toBe('critical');
  });
});

describe('percentage, remaining, wouldExceed', () => {
  it.each([
    ['25', '200', '12.5'],
    ['1', '3', '33.33'],
    ['2', '3', '66.66'],
    ['99.999', '100', '99.99'],
  ])('%s of %s is %s %%', (used, limit, pct) => {
    expect(percentage(d(used), d(limit))!.toFixed()).toBe(pct);
  });
  it('zero limit has no percentage', () => expect(percentage(d('1'), d('0'))).toBeNull());
  it('remaining is never negative', () => {
    expect(remaining(d('30'), d('100')).toFixed()).toBe('70');
    expect(remaining(d('130'), d('100')).toFixed()).toBe('0');
  });
  it.each([
    ['90', '10', '100', false],
    ['90', '10.000000000000000001', '100', true],
    ['100', '0', '100', false],
    ['0', '0.01', '0', true],
  ] as const)('used %s + %s against %s → exceeds %s', (used, amount, limit, exceeds) => {
    expect(wouldExceed(d(used), d(amount), d(limit))).toBe(exceeds);
  });
});

describe('bindingLimit', () => {
  const r = (kind: string, used: string, limit: string, state: QuotaState) => ({
    kind,
    used: d(used),
    limit: d(limit),
    state,
  });
  it.each([
    ['worst state wins', [r('period', '90', '100', 'warning'), r('daily', '10', '10', 'exceeded')], 'daily'],
    ['same state: the fuller wins', [r('period', '85', '100', 'warning'), r('daily', '9', '10', 'warning')], 'daily'],
    [
      'same state and fullness: the shorter (later) window wins',
      [r('period', '80', '100', 'warning'), r('daily', '8', '10', 'warning')],
      'daily',
    ],
    ['period fuller than daily', [r('period', '50', '100', 'ok'), r('daily', '1', '10', 'ok')], 'period'],
    [
      'all ok, hourly fullest',
      [r('period', '1', '100', 'ok'), r('daily', '1', '10', 'ok'), r('hourly', '1', '2', 'ok')],
      'hourly',
    ],
  ])('%s', (_label, readings, kind) => {
    expect(bindingLimit(readings).kind).toBe(kind);
  });
});

describe('atOrPast', () => {
  it.each([
    ['ok', 'warning', false],
    ['warning', 'warning', true],
    ['exceeded', 'warning', true],
    ['critical', 'exceeded', false],
  ] as const)('%s at or past %s: %s', (state, threshold, expected) => {
    expect(atOrPast(state, threshold)).toBe(expected);
  });
});
