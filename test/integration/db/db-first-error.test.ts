// A transaction that fails reports the error that aborted it, not the "Current transaction is aborted"
// of a cleanup statement that ran after it (a RESET or DROP in a `finally`).
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';

const CAUSE = /Conversion Error: Could not convert string 'not a number'/;

describe('Db.transaction keeps the first error', () => {
  it('a cleanup in a finally does not hide the cause', async () => {
    await withTempDb(async (db) => {
      await db.run('CREATE TABLE t (n INTEGER)');
      const failing = db.transaction(async () => {
        await db.run('INSERT INTO t VALUES (1)');
        try {
          await db.run(`INSERT INTO t SELECT CAST('not a number' AS INTEGER)`);
        } finally {
          await db.run('RESET preserve_insertion_order');
          await db.run('DROP TABLE IF EXISTS temp.scratch');
        }
      });
      await expect(failing).rejects.toThrow(CAUSE);
      // Rolled back as a whole, and the connection is usable again.
      expect(await db.one('SELECT count(*)::VARCHAR AS n FROM t')).toEqual({ n: '0' });
      await db.transaction(() => db.run('INSERT INTO t VALUES (2)'));
      expect(await db.one('SELECT count(*)::VARCHAR AS n FROM t')).toEqual({ n: '1' });
    });
  });

  it('a function that swallows the first error and fails later still reports the cause', async () => {
    await withTempDb(async (db) => {
      const failing = db.transaction(async () => {
        await db.run(`SELECT CAST('not a number' AS INTEGER)`).catch(() => undefined);
        await db.run('SELECT 1');
      });
      await expect(failing).rejects.toThrow(CAUSE);
    });
  });

  it('outside a transaction each error is its own', async () => {
    await withTempDb(async (db) => {
      await expect(db.run(`SELECT CAST('not a number' AS INTEGER)`)).rejects.toThrow(CAUSE);
      await expect(db.run('SELECT * FROM missing_table')).rejects.toThrow(/missing_table/);
    });
  });
});
