// insertRows: many rows through an appender and one cast, exact and all-or-nothing like a plain INSERT.
import { describe, expect, it } from 'vitest';
import { insertRows } from '../../../src/db/bulk-insert.js';
import { withTempDb } from '../../helpers/db.js';

const HEAD = 'INSERT INTO t (name, ts, amount, n)';
const TYPES = ['VARCHAR', 'TIMESTAMP', 'DECIMAL(38,18)', 'BIGINT'];

describe('insertRows', () => {
  it('casts each column, keeps money and big counts exact, and NULL stays NULL', async () => {
    await withTempDb(async (db) => {
      await db.run('CREATE TABLE t (name VARCHAR, ts TIMESTAMP, amount DECIMAL(38,18), n BIGINT)');
      const rows = Array.from({ length: 1500 }, (_, i) => [
        `m-${i}`,
        '2026-03-01 00:00:00',
        `0.${String(i).padStart(18, '0')}`,
        i % 2 ? null : String(10n ** 15n + BigInt(i)),
      ]);
      rows.push(['it\'s, "quoted"', '2026-12-31 23:59:59.5', '123456789012345678.000000000000000001', '1']);
      await insertRows(db, HEAD, TYPES, rows);
      const summary = await db.one(
        `SELECT count(*)::VARCHAR AS rows, sum(amount)::VARCHAR AS total, count(n)::VARCHAR AS counted,
          max(n)::VARCHAR AS top FROM t`,
      );
      // 0 + 1e-18 + … + 1499e-18 = 1,124,250e-18, plus the last row's amount.
      expect(summary).toEqual({
        rows: '1501',
        total: '123456789012345678.000000000001124251',
        counted: '751',
        top: String(10n ** 15n + 1498n),
      });
      expect(await db.one(`SELECT ts::VARCHAR AS ts FROM t WHERE name LIKE 'it%'`)).toEqual({
        ts: '2026-12-31 23:59:59.5',
      });
    });
  });

  it('rolls back with the transaction it runs in, and a bad value fails the whole insert', async () => {
    await withTempDb(async (db) => {
      await db.run('CREATE TABLE t (name VARCHAR, ts TIMESTAMP, amount DECIMAL(38,18), n BIGINT)');
      const good = ['a', '2026-03-01', '1', '1'];
      await expect(
        db.transaction(async () => {
          await insertRows(db, HEAD, TYPES, [good]);
          throw new Error('later step failed');
        }),
      ).rejects.toThrow('later step failed');
      await expect(insertRows(db, HEAD, TYPES, [good, ['b', '2026-03-01', 'not money', '1']])).rejects.toThrow(
        /Could not convert string "not money" to DECIMAL/,
      );
      await expect(insertRows(db, HEAD, TYPES, [['c', '2026-03-01']])).rejects.toThrow(/a row of 2 values for 4/);
      expect(await db.one('SELECT count(*)::VARCHAR AS n FROM t')).toEqual({ n: '0' });
      // The connection is clean afterwards: the staging table is gone and a good insert works.
      await insertRows(db, HEAD, TYPES, [good]);
      expect(await db.one('SELECT count(*)::VARCHAR AS n FROM t')).toEqual({ n: '1' });
    });
  });
});
