// The SQL pricing picks the price version in force at each row's instant through a table of stretches
// [from, to) per model name (buildModelMap). Its edges: the very instant a version starts, the instant
// before, before the first version, and names the catalog does not know.
import { describe, expect, it } from 'vitest';
import { buildModelMap, pricedSelectSql } from '../../../src/db/pricing-sql.js';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { addModel, insertPriceVersion } from '../../../src/services/prices/catalog-write.js';
import { withTempDb } from '../../helpers/db.js';
import { addUsageV2Columns } from '../../helpers/seed.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function spec(input: string, effectiveFrom: Date) {
  const prices = emptyPriceList();
  prices.input = new Decimal(input);
  return { billingUnit: 'token' as const, unitSize: new Decimal('1'), prices, effectiveFrom };
}

describe('SQL pricing: version stretches', () => {
  it('takes the version in force at each instant, edges included', async () => {
    await withTempDb(async (db) => {
      const model = {
        name: 'm',
        provider: 'test',
        modelType: 'chat',
        costType: 'ai_api',
        currency: 'USD',
        aliases: ['m-alias'],
      } as const;
      await addModel(db, { ...model, aliases: [...model.aliases] }, spec('1', new Date('2026-02-01T00:00:00Z')), NOW);
      await insertPriceVersion(db, 'm', spec('2', new Date('2026-03-01T00:00:00Z')), NOW);
      await db.run(`CREATE TEMP TABLE t (request_id VARCHAR, ts TIMESTAMP, model VARCHAR, provider VARCHAR, input_tokens BIGINT,
        output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT, cache_write_1h_tokens BIGINT, requests BIGINT,
        duration_seconds DECIMAL(18,6), bytes BIGINT, request_type VARCHAR, speed VARCHAR, region VARCHAR)`);
      const rows: [string, string, string][] = [
        ['before-first', '2026-01-31 23:59:59.999999', 'm'],
        ['first-starts', '2026-02-01 00:00:00', 'm'],
        ['last-of-first', '2026-02-28 23:59:59.999999', 'm'],
        ['second-starts', '2026-03-01 00:00:00', 'm'],
        ['far-future', '2100-01-01 00:00:00', 'm-alias'],
        ['unknown', '2026-03-05 00:00:00', 'nope'],
      ];
      for (const [id, ts, name] of rows) {
        await db.run(
          'INSERT INTO t VALUES (?, ?::TIMESTAMP, ?, NULL, 10, 0, 0, 0, 0, 1, NULL, NULL, NULL, NULL, NULL)',
          [id, ts, name],
        );
      }
      await addUsageV2Columns(db, 't');
      await buildModelMap(db, 't');
      const priced = await db.all<{
        request_id: string;
        priced_model: string | null;
        unpriced: boolean;
        total_cost: string | null;
      }>(
        `SELECT request_id, priced_model, unpriced, total_cost::VARCHAR AS total_cost FROM (${pricedSelectSql('t')}) ORDER BY ts`,
      );
      const total = (s: string | null) => (s === null ? null : new Decimal(s).toFixed());
      expect(priced.map((r) => [r.request_id, r.priced_model, r.unpriced, total(r.total_cost)])).toEqual([
        ['before-first', 'm', true, null],
        ['first-starts', 'm', false, '10'],
        ['last-of-first', 'm', false, '10'],
        ['second-starts', 'm', false, '20'],
        ['unknown', null, true, null],
        ['far-future', 'm', false, '20'],
      ]);
    });
  });
});
