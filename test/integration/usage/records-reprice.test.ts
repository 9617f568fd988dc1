// Reprice, unpriced listing, rejects listing and records export → ingest round trip, on real DuckDB files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { addModel } from '../../../src/services/prices/catalog-write.js';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { exportRecords, listRecords } from '../../../src/services/usage/records.js';
import { listRejects } from '../../../src/services/usage/rejects.js';
import { repriceUsage } from '../../../src/services/usage/reprice.js';
import { unpricedUsage } from '../../../src/services/prices/unpriced.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, NOW, ingest, scalar, withCatalogDb } from '../ingest/ingest-helpers.js';

const JSONL = join(FIXTURES, 'usage', 'usage.jsonl');

async function addAcme(db: Parameters<typeof addModel>[0], input: string, output: string, effectiveFrom = new Date(0)) {
  await addModel(
    db,
    {
      name: 'acme-sales-llm-v1',
      provider: 'acme',
      modelType: 'chat',
      costType: 'ai_api',
      currency: 'USD',
      aliases: [],
    },
    {
      billingUnit: 'token',
      unitSize: new Decimal(1000),
      prices: { ...emptyPriceList(), input: new Decimal(input), output: new Decimal(output) },
      effectiveFrom,
    },
    NOW,
  );
}

describe('unpriced and reprice', () => {
  it('lists the unpriced model, then reprice costs it and reports the money moved', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [JSONL]);
      expect((await unpricedUsage(db)).map((u) => [u.model, u.rows, u.input_tokens])).toEqual([
        ['acme-sales-llm-v1', 1, '1000'],
      ]);
      // $1 per 1K input, $2 per 1K output: 1000 × 0.001 + 100 × 0.002 = 1.2
      await addAcme(db, '1', '2');
      const dry = await repriceUsage(db, { dryRun: true });
      expect([dry.rows_considered, dry.rows_changed, dry.newly_priced]).toEqual([8, 1, 1]);
      expect(await scalar(db, 'SELECT count(*) FILTER (WHERE unpriced)::VARCHAR FROM usage')).toBe('1');
      const r = await repriceUsage(db, {});
      expect([r.rows_changed, r.newly_priced]).toEqual([1, 1]);
      expect(new Decimal(r.delta).eq('1.2')).toBe(true);
      expect(new Decimal(r.total_before).eq('0.066216')).toBe(true);
      expect(new Decimal(r.total_after).eq('1.266216')).toBe(true);
      // The stored rows agree with the report (independent SQL sum).
      expect(new Decimal((await scalar(db, 'SELECT sum(total_cost)::VARCHAR FROM usage'))!).eq(r.total_after)).toBe(
        true,
      );
      expect(await unpricedUsage(db)).toEqual([]);
      const again = await repriceUsage(db, {});
      expect([again.rows_changed, new Decimal(again.delta).isZero()]).toEqual([0, true]);
    });
  });

  it('--model and --since limit the rows; a price change after the rows leaves them alone', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [JSONL]);
      await addAcme(db, '1', '2', new Date('2026-04-01T00:00:00Z'));
      const byModel = await repriceUsage(db, { model: 'acme-sales-llm-v1' });
      // The only price starts after the row's timestamp: the row now names its catalog model but stays
      // unpriced, and no money moves.
      expect([byModel.rows_considered, byModel.newly_priced, byModel.still_unpriced]).toEqual([
        1,
        0,
        [{ model: 'acme-sales-llm-v1', rows: 1 }],
      ]);
      expect(new Decimal(byModel.delta).isZero()).toBe(true);
      expect(await scalar(db, "SELECT total_cost FROM usage WHERE request_id = 'r-0006'")).toBe(null);
      const since = await repriceUsage(db, { since: new Date('2026-03-02T10:00:00Z') });
      // Rows at 10:00, 10:05 and 10:10 (the others are earlier).
      expect(since.rows_considered).toBe(3);
    });
  });
});

describe('records', () => {
  it('filters and totals; export → ingest of the native format round-trips to identical totals (csv, json, parquet-free)', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [JSONL]);
      const ops = await listRecords(db, { filters: { department: ['ops'] } });
      expect([ops.matching, ops.unpriced_rows]).toEqual([3, 1]);
      const two = await listRecords(db, { filters: { department: ['ops', 'sales-east'] } });
      const sales = await listRecords(db, { filters: { department: ['sales-east'] } });
      expect(two.matching).toBe(ops.matching + sales.matching);
      expect(new Decimal(two.total_cost).eq(new Decimal(ops.total_cost).plus(sales.total_cost))).toBe(true);
      // r-0004 0.0135 + r-0005 0.001 (r-0006 unpriced)
      expect(new Decimal(ops.total_cost).eq('0.0145')).toBe(true);
      const dir = tempDir();
      for (const format of ['csv', 'json'] as const) {
        const out = join(dir, `records.${format}`);
        expect(await exportRecords(db, { filters: {} }, { out, format })).toBe(8);
        await withCatalogDb(async (fresh) => {
          const r = await ingest(fresh, [out]);
          expect([r.files[0]!.format, r.files[0]!.rows_loaded, r.files[0]!.rows_rejected]).toEqual(['usage', 8, 0]);
          expect(new Decimal(r.total_cost).eq('0.066216')).toBe(true);
          const a = await db.all(
            'SELECT request_id, ts, total_cost, tags::VARCHAR AS tags FROM usage ORDER BY request_id',
          );
          const b = await fresh.all(
            'SELECT request_id, ts, total_cost, tags::VARCHAR AS tags FROM usage ORDER BY request_id',
          );
          expect(b).toEqual(a);
        });
      }
    });
  });
});

describe('rejects', () => {
  it('are listed in file and line order, and filtered by file', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [join(FIXTURES, 'broken')]);
      const all = await listRejects(db);
      expect(all).toHaveLength(14);
      const jsonl = await listRejects(db, { file: 'usage-broken.jsonl' });
      expect(jsonl.map((r) => Number(r.line))).toEqual([2, 3, 4, 5, 6, 7, 8, 11]);
      expect(jsonl[0]!.format).toBe('usage');
    });
  });
});
