// The accepted range of instants (domain/ingest-bounds.ts): configured days, their checks, the rule text.
import { describe, expect, it } from 'vitest';
import {
  acceptedInstants,
  acceptedRange,
  DEFAULT_INSTANT_RANGE,
  instantInRange,
  instantRangeRule,
  parseAcceptedDay,
  withAcceptedInstants,
} from '../../src/domain/ingest-bounds.js';

const NAMES = { first: 'accepted_from', last: 'accepted_to' };

describe('parseAcceptedDay', () => {
  const cases: [string, string][] = [
    ['2020-01-01', '2020-01-01T00:00:00.000Z'],
    ['1900-01-01', '1900-01-01T00:00:00.000Z'],
    ['9999-12-31', '9999-12-31T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29', '"2023-02-29" is not a date (YYYY-MM-DD, e.g. 2020-01-01)'],
    ['2020-1-1', '"2020-1-1" is not a date (YYYY-MM-DD, e.g. 2020-01-01)'],
    ['2020-01-01T00:00:00Z', '"2020-01-01T00:00:00Z" is not a date (YYYY-MM-DD, e.g. 2020-01-01)'],
    ['yesterday', '"yesterday" is not a date (YYYY-MM-DD, e.g. 2020-01-01)'],
    ['0000-01-01', '"0000-01-01" must be from 1900-01-01 to 9999-12-31'],
    ['1899-12-31', '"1899-12-31" must be from 1900-01-01 to 9999-12-31'],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const d = parseAcceptedDay(text);
      expect(typeof d === 'string' ? d : d.toISOString()).toBe(want);
    });
  }
});

describe('acceptedRange', () => {
  it('defaults to 1970-01-01 … 2099-12-31', () => {
    expect(acceptedRange(undefined, undefined, NAMES)).toEqual(DEFAULT_INSTANT_RANGE);
    expect(instantRangeRule(DEFAULT_INSTANT_RANGE)).toBe(
      'is outside the accepted range 1970-01-01 to 2099-12-31 (UTC)',
    );
  });

  it('the last day is included whole', () => {
    const r = acceptedRange('2025-01-01', '2026-12-31', NAMES);
    if (typeof r === 'string') throw new Error(r);
    expect(instantInRange(new Date('2026-12-31T23:59:59.999Z'), r)).toBe(true);
    expect(instantInRange(new Date('2027-01-01T00:00:00Z'), r)).toBe(false);
    expect(instantInRange(new Date('2024-12-31T23:59:59Z'), r)).toBe(false);
    expect(instantRangeRule(r)).toBe('is outside the accepted range 2025-01-01 to 2026-12-31 (UTC)');
  });

  it('names the place of a bad value and refuses an empty range', () => {
    expect(acceptedRange('2020-13-01', undefined, NAMES)).toBe(
      'accepted_from: "2020-13-01" is not a date (YYYY-MM-DD, e.g. 2020-01-01)',
    );
    expect(acceptedRange('2030-01-01', '2029-12-31', NAMES)).toBe(
      'accepted_from (2030-01-01) is after accepted_to (2029-12-31): the first accepted day must not be after the last',
    );
    // One day is a range.
    expect(typeof acceptedRange('2030-01-01', '2030-01-01', NAMES)).toBe('object');
  });

  it('withAcceptedInstants restores the range before it, after a failure too', async () => {
    const r = acceptedRange('2025-01-01', undefined, NAMES);
    if (typeof r === 'string') throw new Error(r);
    await expect(
      withAcceptedInstants(r, async () => {
        expect(acceptedInstants()).toBe(r);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(acceptedInstants()).toBe(DEFAULT_INSTANT_RANGE);
  });
});

describe('serve: POST /records checks the range', () => {
  it('a record dated outside the range is a 400 naming its field; without a timestamp it is now', async () => {
    const { recordInputOf } = await import('../../src/services/serve/request-input.js');
    const now = new Date('2026-03-01T00:00:00Z');
    const r = acceptedRange(undefined, '2025-12-31', NAMES);
    if (typeof r === 'string') throw new Error(r);
    expect(() => recordInputOf({ model: 'm', timestamp: '0000-01-01T00:00:00Z' }, 'records[3].', now, r)).toThrow(
      'records[3].timestamp "0000-01-01T00:00:00Z" is outside the accepted range 1970-01-01 to 2025-12-31 (UTC)',
    );
    expect(recordInputOf({ model: 'm', timestamp: '2025-12-31T23:00:00Z' }, '', now, r).timestamp).toEqual(
      new Date('2025-12-31T23:00:00Z'),
    );
    expect(recordInputOf({ model: 'm' }, '', now, r).timestamp).toBe(now);
  });
});
