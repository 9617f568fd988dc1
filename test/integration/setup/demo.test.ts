// The demo data set: costctl's pricing of it equals the generator's independent computation
// (fixtures/demo/expected.json), and the bill differs from usage in exactly the documented places.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { DEMO_NOW, runDemo } from '../../../src/services/setup/demo.js';
import { withTempDb } from '../../helpers/db.js';
import { FIXTURES } from '../ingest/ingest-helpers.js';

const expected = JSON.parse(readFileSync(join(FIXTURES, 'demo', 'expected.json'), 'utf8'));

describe('demo', () => {
  it('loads the demo data; totals equal the generator’s independent ones; exactly the documented differences', async () => {
    await withTempDb(async (db) => {
      const notes: string[] = [];
      const s = await runDemo(db, { now: new Date(DEMO_NOW), note: (t) => notes.push(t) });
      expect(s.rows_loaded).toBe(expected.usage_rows);
      expect(new Decimal(s.usage_total_cost).eq(expected.usage_total_cost)).toBe(true);
      expect(Object.fromEntries(s.cost_by_model.map((m) => [m.model, new Decimal(m.cost).toFixed()]))).toEqual(
        expected.cost_by_model,
      );
      expect(s.unpriced).toEqual([{ model: expected.unpriced_model, rows: expected.unpriced_rows }]);
      expect(s.billing_lines).toBe(expected.billing_lines);
      expect(new Decimal(s.billed_total).eq(expected.billed_total)).toBe(true);
      // Later features append their own steps after these.
      expect(s.steps.map((x) => x.name).slice(0, 3)).toEqual(['catalog', 'usage', 'billing']);

      // Compare per (day, model): usage cost (costctl SQL pricing) vs billed cost.
      const diffs = await db.all<{ day: string; model: string; usage: string | null; billed: string | null }>(
        `WITH u AS (SELECT strftime(ts, '%Y-%m-%d') AS day, priced_model AS model, sum(total_cost) AS cost FROM usage WHERE NOT unpriced GROUP BY 1, 2),
              b AS (SELECT strftime(charge_period_start, '%Y-%m-%d') AS day, model, sum(billed_cost) AS cost FROM billing_lines GROUP BY 1, 2)
         SELECT coalesce(u.day, b.day) AS day, coalesce(u.model, b.model) AS model, u.cost::VARCHAR AS usage, b.cost::VARCHAR AS billed
         FROM u FULL OUTER JOIN b ON u.day = b.day AND u.model = b.model
         WHERE u.cost IS DISTINCT FROM b.cost ORDER BY 1, 2`,
      );
      const d = expected.differences;
      expect(diffs.map((x) => [x.day, x.model])).toEqual([
        [d.price_mismatch.day, d.price_mismatch.model],
        [d.billing_without_usage.day, d.billing_without_usage.model],
        [d.usage_without_billing.day, d.usage_without_billing.model],
      ]);
      expect(new Decimal(diffs[0]!.usage!).eq(d.price_mismatch.usage_cost)).toBe(true);
      expect(new Decimal(diffs[0]!.billed!).eq(d.price_mismatch.billed)).toBe(true);
      expect([diffs[1]!.usage, new Decimal(diffs[1]!.billed!).eq(d.billing_without_usage.billed)]).toEqual([
        null,
        true,
      ]);
      expect([new Decimal(diffs[2]!.usage!).eq(d.usage_without_billing.usage_cost), diffs[2]!.billed]).toEqual([
        true,
        null,
      ]);
      // The README's hand-checked row.
      expect(
        new Decimal(
          (await db.one<{ c: string }>("SELECT total_cost::VARCHAR AS c FROM usage WHERE request_id = 'demo-000181'"))!
            .c,
        ).eq('0.00027045'),
      ).toBe(true);
    });
  });
});
