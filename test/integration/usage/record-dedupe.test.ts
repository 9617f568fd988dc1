// `record` stores a request once per request id: a retry (even with another timestamp) is not stored
// again, and the same id from another source is a different request.
import { describe, expect, it } from 'vitest';
import { recordUsage, recordUsageBatch } from '../../../src/services/usage/record-request.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel, insertUsage } from '../limits/quota-helpers.js';

const NOW = new Date('2026-03-10T12:00:00Z');

describe('record de-duplication', () => {
  it('stores each request id once', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      // Rows of another source with the same id do not count as recorded.
      await insertUsage(db, [{ id: 'r-1', ts: '2026-03-10T10:00:00Z', cost: '1' }]);
      const rec = (ts: string) =>
        recordUsage(db, { requestId: 'r-1', timestamp: new Date(ts), model: 'm-dollar', inputTokens: 1000n }, NOW);
      expect((await rec('2026-03-10T11:00:00Z')).stored).toBe(true);
      expect((await rec('2026-03-10T11:00:00Z')).stored).toBe(false);
      expect((await rec('2026-03-10T11:30:00Z')).stored).toBe(false);
      const rows = await db.all<{ source: string; n: string }>(
        "SELECT source, count(*)::VARCHAR AS n FROM usage WHERE request_id = 'r-1' GROUP BY source ORDER BY source",
      );
      expect(rows).toEqual([
        { source: 'record', n: '1' },
        { source: 'test', n: '1' },
      ]);
    });
  });

  // The ids are looked up as a list padded to a power of two (the last id repeated): a batch of three ids,
  // one stored before, one twice in the batch, and one repeated as padding, is still told apart exactly.
  it('tells stored, repeated and new ids apart in a batch whose size is no power of two', async () => {
    await withTempDb(async (db) => {
      await addDollarModel(db);
      const one = (requestId: string) => ({
        requestId,
        timestamp: new Date('2026-03-10T11:00:00Z'),
        model: 'm-dollar',
        inputTokens: 1000n,
      });
      await recordUsage(db, one('a'), NOW);
      const results = await recordUsageBatch(db, [one('b'), one('a'), one('c'), one('b')], NOW);
      expect(results.map((r) => [r.request_id, r.stored])).toEqual([
        ['b', true],
        ['a', false],
        ['c', true],
        ['b', false],
      ]);
      const [n] = await db.all<{ n: string }>("SELECT count(*)::VARCHAR AS n FROM usage WHERE source = 'record'");
      expect(n!.n).toBe('3');
    });
  });
});
