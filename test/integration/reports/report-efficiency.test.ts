// Efficiency outliers: requests far above their own model's typical cost, with user and session.
import { describe, expect, it } from 'vitest';
import { efficiencyReport } from '../../../src/services/reports/efficiency.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';

describe('efficiency outliers', () => {
  it('flags a request 100× its model median, not one at 2×, and never compares across models', async () => {
    await withTempDb(async (db) => {
      const rows: UsageRowInput[] = [];
      for (let i = 0; i < 20; i++) {
        rows.push({
          ts: `2026-03-02 10:${String(i).padStart(2, '0')}:00`,
          model: 'small',
          cost: i % 2 ? '0.0100' : '0.0110',
          user: 'u1',
          session: 's1',
        });
        // A model whose every request costs $2: expensive, but typical for itself.
        rows.push({
          ts: `2026-03-02 11:${String(i).padStart(2, '0')}:00`,
          model: 'big',
          cost: i % 2 ? '2' : '2.1',
          user: 'u2',
        });
      }
      rows.push({
        ts: '2026-03-02 12:00:00',
        model: 'small',
        cost: '1.05',
        user: 'runaway',
        session: 'loop-7',
        id: 'x-1',
      });
      rows.push({ ts: '2026-03-02 12:01:00', model: 'small', cost: '0.021', user: 'u1', id: 'x-2' });
      await insertUsage(db, rows);
      const r = await efficiencyReport(db, {
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-03T00:00:00Z'),
        tz: 'UTC',
        filters: {},
      });
      expect(r.outliers.map((o) => [o.request_id, o.model, o.user, o.session, o.total_cost.toFixed()])).toEqual([
        ['x-1', 'small', 'runaway', 'loop-7', '1.05'],
      ]);
      // Median of `small` is ≈ 0.0105–0.011, so 1.05 is roughly 100× it.
      expect(r.outliers[0]!.times_median).toBeGreaterThan(90);
      expect(r.most_expensive.slice(0, 3).map((o) => o.model)).toEqual(['big', 'big', 'big']);
      // Rank by cost per 1K tokens: every row has 150 tokens, so `big` (≈ $2/request) ranks first.
      expect(r.models.map((m) => [m.rank, m.model])).toEqual([
        [1, 'big'],
        [2, 'small'],
      ]);
    });
  });
});
