// check resolves the caller's model name the way the catalog does (exact, alias, provider prefix) and
// prices the worst case with the version in force at --at.
import { describe, expect, it } from 'vitest';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { loadNameIndex } from '../../../src/db/pricing-sql.js';
import { matchModelName } from '../../../src/domain/model-names.js';
import { insertPriceVersion, setAliases } from '../../../src/services/prices/catalog-write.js';
import { worstCaseCost } from '../../../src/services/limits/check.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel } from './quota-helpers.js';

describe('worstCaseCost model resolution', () => {
  it.each([
    ['m-dollar', 'm-dollar'],
    ['dollar', 'm-dollar'],
    ['acme/m-dollar', 'm-dollar'],
    ['openrouter/acme/dollar', 'm-dollar'],
    ['m-two', 'm-two'],
    ['acme/m-two', 'm-two'],
    ['nobody', undefined],
    // Dotted versions fall back to dashes (OpenRouter's claude-sonnet-4.5 is the catalog's claude-sonnet-4-5) ...
    ['m-4.5', 'm-4-5'],
    ['openrouter/acme/m-4.5', 'm-4-5'],
    ['acme/m-4.5.1', 'm-4-5-1'],
    // ... only when no name as written matches.
    ['m-4.6', 'm-4.6'],
    ['m-4.7', undefined],
  ])('%s → %s, same as the catalog matcher', async (name, expected) => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await addDollarModel(db, 'm-two');
      for (const m of ['m-4-5', 'm-4-5-1', 'm-4.6', 'm-4-6']) await addDollarModel(db, m);
      await setAliases(db, 'm-dollar', ['dollar']);
      const index = await loadNameIndex(db);
      expect(matchModelName(index, name)).toBe(expected);
      const r = await worstCaseCost(
        db,
        name,
        requestUnits({ inputTokens: 2000n, outputTokens: 500n }),
        new Date('2026-03-01T00:00:00Z'),
      );
      expect(r.model).toBe(expected ?? name);
      // $1 per 1K input, $2 per 1K output: 2 + 1 = 3
      expect(r.cost?.toFixed() ?? null).toBe(expected ? '3' : null);
    });
  });

  it('prices with the version in force at the instant', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      await insertPriceVersion(
        db,
        'm-dollar',
        {
          billingUnit: 'token',
          unitSize: new Decimal(1000),
          prices: { ...emptyPriceList(), input: new Decimal(10), output: new Decimal(20) },
          effectiveFrom: new Date('2026-04-01T00:00:00Z'),
        },
        new Date('2026-03-15T00:00:00Z'),
      );
      const units = requestUnits({ inputTokens: 1000n });
      expect((await worstCaseCost(db, 'm-dollar', units, new Date('2026-03-31T23:59:59Z'))).cost!.toFixed()).toBe('1');
      expect((await worstCaseCost(db, 'm-dollar', units, new Date('2026-04-01T00:00:00Z'))).cost!.toFixed()).toBe('10');
    });
  });
});
