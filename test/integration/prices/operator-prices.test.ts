// The operator's own price wins over every catalog: a model last priced with `models update` keeps that
// price through imports and syncs (dated catalog prices included), and the report says so.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { updateModel } from '../../../src/services/prices/catalog-write.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { withTempDb } from '../../helpers/db.js';
import type { Db } from '../../../src/db/database.js';

const NOW = new Date('2026-12-01T00:00:00Z');
/** genai-prices' shape, by hand: one model with a price change on 2026-03-13. */
const catalog = (input: number) =>
  JSON.stringify([
    {
      id: 'anthropic',
      models: [
        {
          id: 'claude-negotiated',
          match: { equals: 'claude-negotiated' },
          prices: [
            { prices: { input_mtok: input, output_mtok: 15 } },
            { constraint: { start_date: '2026-03-13' }, prices: { input_mtok: input / 2, output_mtok: 15 } },
          ],
        },
        { id: 'claude-listed', match: { equals: 'claude-listed' }, prices: { input_mtok: input, output_mtok: 15 } },
      ],
    },
  ]);

const versions = (db: Db, model: string) =>
  db.all<{ f: string; input: string; source: string }>(
    `SELECT effective_from::VARCHAR AS f, input_price::VARCHAR AS input, source FROM model_prices
     WHERE model_name = ? ORDER BY effective_from`,
    [model],
  );

describe("the operator's own prices", () => {
  it('survive every import of a catalog, dated prices included', async () => {
    await withTempDb(async (db) => {
      await importCatalog(db, 'a.json', 'genai-prices', catalog(4), { now: new Date('2026-01-01T00:00:00Z') });
      await updateModel(
        db,
        'claude-negotiated',
        { prices: { input: new Decimal('0.0024') }, aliases: [], effectiveFrom: new Date('2026-06-01T00:00:00Z') },
        NOW,
      );
      const before = await versions(db, 'claude-negotiated');
      expect(before.at(-1)).toEqual({ f: '2026-06-01 00:00:00', input: '0.002400000000000000', source: 'manual' });
      for (const input of [4, 6]) {
        const report = await importCatalog(db, 'b.json', 'genai-prices', catalog(input), { now: NOW });
        expect(report.kept).toEqual(['claude-negotiated']);
        expect(await versions(db, 'claude-negotiated')).toEqual(before);
      }
      // A model the operator did not price follows the catalog.
      expect((await versions(db, 'claude-listed')).map((v) => v.input)).toEqual([
        '0.004000000000000000',
        '0.006000000000000000',
      ]);
    });
  });
});
