// Db.writeStamp on a real DuckDB file: it moves with every statement that may have changed a table, and
// stays put for reads, for writes elsewhere and for row changes that changed no row.
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';

describe('Db.writeStamp', () => {
  it('moves only when a statement may have changed one of the tables', async () => {
    await withTempDb(async (db) => {
      await db.run('CREATE TABLE a (k INTEGER PRIMARY KEY, v VARCHAR)');
      await db.run('CREATE TABLE b (k INTEGER)');
      await db.run("INSERT INTO a VALUES (1, 'x')");
      let last = db.writeStamp(['a']);
      const moved = async (sql: string, params: (string | number)[] = []) => {
        await db.all(sql, params);
        const now = db.writeStamp(['a']);
        const did = now !== last;
        last = now;
        return did;
      };
      expect(await moved('SELECT * FROM a')).toBe(false);
      expect(await moved('INSERT INTO b VALUES (1)')).toBe(false);
      expect(await moved("UPDATE a SET v = 'y' WHERE k = 99")).toBe(false);
      expect(await moved("INSERT INTO a VALUES (1, 'z') ON CONFLICT DO NOTHING")).toBe(false);
      expect(await moved("INSERT OR REPLACE INTO a VALUES (1, 'z')")).toBe(true);
      expect(await moved("UPDATE a SET v = 'w' WHERE k = 1")).toBe(true);
      // RETURNING hides the count of changed rows: counted as a write whatever it did.
      expect(await moved('DELETE FROM a WHERE k = 99 RETURNING k')).toBe(true);
      expect(await moved('CREATE TEMP TABLE a AS SELECT 1 AS k')).toBe(true);
      expect(await moved('DROP TABLE temp.a')).toBe(true);
      expect(await moved('CREATE TEMP TABLE c AS SELECT 1 AS k')).toBe(false);
      await expect(
        db.transaction(async () => {
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(db.writeStamp(['a'])).not.toBe(last);
    });
  });
});
