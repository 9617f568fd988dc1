// Quota usage comes from the usage rows: scope attribution (row value, else directory), windows,
// model filter, unpriced rows. Expected figures are summed by hand from the rows written here.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { usageInWindows } from '../../../src/services/limits/status.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRow } from './quota-helpers.js';

const rows: UsageRow[] = [
  // u1 is in sales by directory; u2's row says marketing although the directory says sales.
  { id: 'a', ts: '2026-03-01T10:00:00Z', user: 'u1', cost: '1.50', input: 100, output: 10 },
  { id: 'b', ts: '2026-03-02T10:00:00Z', user: 'u1', cost: '2.25', input: 200, output: 20, model: 'gpt-x' },
  { id: 'c', ts: '2026-03-02T11:00:00Z', user: 'u2', department: 'marketing', cost: '4.00', input: 50, output: 5 },
  { id: 'd', ts: '2026-03-02T12:00:00Z', user: 'u3', department: 'sales', cost: null, input: 1000, output: 0 },
  { id: 'e', ts: '2026-02-28T23:59:59Z', user: 'u1', cost: '100', input: 1, output: 1 },
  { id: 'f', ts: '2026-03-03T00:00:00Z', user: 'u1', cost: '7', input: 1, output: 1, account: 'wx-1' },
];

async function seed(db: Db) {
  await db.run(
    `INSERT INTO directory VALUES ('u1', 'sales', 'acme', 'apollo', NULL, now()::TIMESTAMP), ('u2', 'sales', 'acme', NULL, NULL, now()::TIMESTAMP)`,
  );
  await insertUsage(db, rows);
}

describe('usageInWindows', () => {
  it('attributes rows by row value first, then the directory, and counts only start ≤ ts ≤ at', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const start = new Date('2026-03-01T00:00:00Z');
      const at = new Date('2026-03-02T23:59:59Z');
      const usage = await usageInWindows(
        db,
        [
          { key: 'sales', scope: { type: 'department', value: 'sales' }, model: null, start },
          { key: 'marketing', scope: { type: 'department', value: 'marketing' }, model: null, start },
          { key: 'u1', scope: { type: 'user', value: 'u1' }, model: null, start },
          { key: 'u1-gptx', scope: { type: 'user', value: 'u1' }, model: 'gpt-x', start },
          { key: 'acme', scope: { type: 'organization', value: 'acme' }, model: null, start },
          { key: 'apollo', scope: { type: 'project', value: 'apollo' }, model: null, start },
          { key: 'all', scope: { type: 'global', value: null }, model: null, start },
          {
            key: 'all-day2',
            scope: { type: 'global', value: null },
            model: null,
            start: new Date('2026-03-02T00:00:00Z'),
          },
          { key: 'wx', scope: { type: 'account', value: 'wx-1' }, model: null, start },
        ],
        at,
      );
      // sales: a (u1 via directory) + b (u1) + d (row says sales, unpriced: no cost) = 1.50 + 2.25
      expect(usage.get('sales')!.cost.toFixed()).toBe('3.75');
      expect(usage.get('sales')!.tokens.toFixed()).toBe(String(110 + 220 + 1000));
      expect(usage.get('sales')!.requests.toFixed()).toBe('3');
      expect(usage.get('sales')!.unpricedRows).toBe(1);
      expect(usage.get('marketing')!.cost.toFixed()).toBe('4');
      expect(usage.get('u1')!.cost.toFixed()).toBe('3.75');
      expect(usage.get('u1-gptx')!.cost.toFixed()).toBe('2.25');
      // acme: a, b, c (u2 in acme by directory); d's u3 has no directory entry
      expect(usage.get('acme')!.cost.toFixed()).toBe('7.75');
      expect(usage.get('apollo')!.cost.toFixed()).toBe('3.75');
      expect(usage.get('all')!.cost.toFixed()).toBe('7.75');
      expect(usage.get('all')!.rows).toBe(4);
      expect(usage.get('all-day2')!.cost.toFixed()).toBe('6.25');
      // f is after `at`: not counted, so the account has no usage at all
      expect(usage.has('wx')).toBe(false);
    });
  });
});
