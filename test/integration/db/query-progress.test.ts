// Db.queryProgress on a real DuckDB: nothing while idle or untracked, a figure between 0 and 100 while a
// long statement runs (read from the JavaScript thread, which a running statement leaves free).
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';

describe('Db.queryProgress', () => {
  it('is null while idle, and reports the running statement once tracking is on', async () => {
    await withTempDb(async (db) => {
      expect(db.queryProgress()).toBeNull();
      await db.trackProgress();
      // A table scan reports progress (a bare range() does not). Joined with itself it runs far longer than
      // the test waits: it is interrupted as soon as progress is seen.
      await db.run('CREATE TEMP TABLE big AS SELECT range AS i FROM range(1000000)');
      const running = db.run('SELECT sum(a.i * b.i) FROM big a, big b').catch((e: Error) => e);
      const seen: number[] = [];
      const deadline = Date.now() + 20_000;
      while (seen.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        const p = db.queryProgress();
        if (p !== null && p > 0) seen.push(p);
      }
      db.connection.interrupt();
      expect(await running).toBeInstanceOf(Error);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeGreaterThan(0);
      expect(seen[0]).toBeLessThanOrEqual(100);
      expect(db.queryProgress()).toBeNull();
    });
  });
});
