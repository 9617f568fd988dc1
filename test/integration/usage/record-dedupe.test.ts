// `record` stores a request once per request id: a retry (even with another timestamp) is not stored
// again, and the same id from another source is a different request.
import { describe, expect, it } from 'vitest';
import { recordUsage } from '../../../src/services/usage/record-request.js';
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
});
