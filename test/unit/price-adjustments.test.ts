import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import {
  adjustmentMultiplier,
  adjustmentStretches,
  adjustmentsAt,
  overlaps,
  patternMatches,
  percentProblem,
  type PriceAdjustment,
} from '../../src/domain/price-adjustments.js';

const day = (d: number) => new Date(Date.UTC(2026, 2, d));
let nextId = 1;
const adj = (over: Partial<PriceAdjustment>): PriceAdjustment => ({
  id: nextId++,
  kind: 'discount',
  provider: 'anthropic',
  modelPattern: null,
  percent: new Decimal(20),
  multiplier: new Decimal('0.8'),
  from: new Date(0),
  until: null,
  note: null,
  ...over,
});

describe('price adjustments', () => {
  it.each([
    ['discount', '20', '0.8'],
    ['discount', '12.5', '0.875'],
    ['discount', '0.0001', '0.999999'],
    ['markup', '15', '1.15'],
    ['markup', '1000', '11'],
  ] as const)('%s %s %% multiplies by %s', (kind, percent, multiplier) => {
    expect(adjustmentMultiplier(kind, new Decimal(percent)).toFixed()).toBe(multiplier);
    expect(percentProblem(kind, new Decimal(percent))).toBeNull();
  });

  it.each([
    ['discount', '0', 'greater than 0'],
    ['discount', '100', 'below 100 (a discount of 100 % or more makes every price 0)'],
    ['markup', '-1', 'greater than 0'],
    ['markup', '1000.5', 'at most 1000'],
    ['discount', '1.23456', 'at most 4 decimals'],
  ] as const)('%s %s %% is refused: must be %s', (kind, percent, problem) => {
    expect(percentProblem(kind, new Decimal(percent))).toBe(problem);
  });

  it.each([
    [null, 'anything', true],
    ['claude-opus-*', 'claude-opus-4-7', true],
    ['claude-opus-*', 'claude-sonnet-4', false],
    ['CLAUDE-Y', 'claude-y', true],
    ['gpt-4.1', 'gpt-4x1', false],
  ] as const)('pattern %s on %s: %s', (pattern, model, matches) => {
    expect(patternMatches(pattern, model)).toBe(matches);
  });

  it('picks the most specific of a kind, then the latest; a discount and a markup both apply, in that order', () => {
    const wide = adj({});
    const opus = adj({ modelPattern: 'claude-opus-*', percent: new Decimal(30) });
    const exact = adj({ modelPattern: 'claude-opus-4-7' });
    const markup = adj({ kind: 'markup', from: day(10) });
    const all = [markup, exact, opus, wide];
    const ids = (model: string, at: Date) => adjustmentsAt(all, 'Anthropic', model, at).map((a) => a.id);
    expect(ids('claude-y', day(1))).toEqual([wide.id]);
    expect(ids('claude-opus-4-1', day(1))).toEqual([opus.id]);
    expect(ids('claude-opus-4-7', day(11))).toEqual([exact.id, markup.id]);
    expect(adjustmentsAt(all, 'openai', 'claude-y', day(1))).toEqual([]);
    expect(adjustmentsAt(all, null, 'claude-y', day(1))).toEqual([]);
  });

  it('cuts time into stretches where the same terms apply', () => {
    const a = adj({ from: day(1), until: day(10) });
    const b = adj({ kind: 'markup', from: day(5) });
    const stretches = adjustmentStretches([a, b], 'anthropic', 'claude-y').map((s) => [
      s.from?.toISOString().slice(5, 10),
      s.to?.toISOString().slice(5, 10) ?? null,
      s.applied.map((x) => x.id),
    ]);
    expect(stretches).toEqual([
      ['03-01', '03-05', [a.id]],
      ['03-05', '03-10', [a.id, b.id]],
      ['03-10', null, [b.id]],
    ]);
  });

  it('overlap: same kind, provider and scope with intersecting windows only', () => {
    const a = adj({ from: day(1), until: day(10) });
    expect(overlaps(a, adj({ from: day(9) }))).toBe(true);
    expect(overlaps(a, adj({ from: day(10) }))).toBe(false);
    expect(overlaps(a, adj({ from: day(5), kind: 'markup' }))).toBe(false);
    expect(overlaps(a, adj({ from: day(5), modelPattern: 'claude-*' }))).toBe(false);
    expect(overlaps(adj({ modelPattern: 'Claude-*' }), adj({ modelPattern: 'claude-*' }))).toBe(true);
  });
});
