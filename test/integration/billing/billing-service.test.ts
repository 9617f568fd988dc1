// listBilling / exportBilling on a real temp DuckDB: filters by charge start (in a non-UTC zone too),
// provider, limit; totals per currency re-derived from the rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { parseDateOrInstant } from '../../../src/domain/time.js';
import { exportBilling, listBilling } from '../../../src/services/billing/lines.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';

// [start (UTC), provider, billed, currency]
const LINES: [string, string, string, string][] = [
  ['2026-03-01 15:00:00', 'OpenAI', '1.10', 'USD'],
  ['2026-03-01 16:00:00', 'OpenAI', '2.20', 'USD'], // = 2026-03-02 00:00 in Asia/Shanghai
  ['2026-03-02 10:00:00', 'anthropic', '3.000000000000000001', 'USD'],
  ['2026-03-03 00:00:00', 'AWS', '4.00', 'EUR'],
];

async function seed(db: Db) {
  for (const [i, [start, provider, billed, currency]] of LINES.entries()) {
    await db.run(
      `INSERT INTO billing_lines (source, line_key, charge_period_start, provider, billed_cost, currency, billing_account, line)
       VALUES ('test', ?, ?::TIMESTAMP, ?, ?::DECIMAL(38,18), ?, 'acct-9', ?)`,
      [`k${i}`, start, provider, billed, currency, i + 2],
    );
  }
}

describe('listBilling', () => {
  it('lists every line oldest first with per-currency totals equal to the row sums', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const list = await listBilling(db, {});
      expect(list.lines.map((l) => l.charge_period_start)).toEqual([
        '2026-03-01T15:00:00Z',
        '2026-03-01T16:00:00Z',
        '2026-03-02T10:00:00Z',
        '2026-03-03T00:00:00Z',
      ]);
      expect(list.matching).toBe(4);
      // 1.10 + 2.20 + 3.000000000000000001 by hand
      expect(list.totals).toEqual([
        { currency: 'EUR', billed_cost: '4.000000000000000000', lines: 1 },
        { currency: 'USD', billed_cost: '6.300000000000000001', lines: 3 },
      ]);
      const usd = list.lines
        .filter((l) => l.currency === 'USD')
        .reduce((s, l) => s.plus(l.billed_cost), new Decimal(0));
      expect(usd.equals(list.totals[1]!.billed_cost)).toBe(true);
    });
  });

  it('a calendar day in Asia/Shanghai starts at 16:00 UTC the day before', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const since = parseDateOrInstant('2026-03-02', 'Asia/Shanghai')!;
      const until = parseDateOrInstant('2026-03-03', 'Asia/Shanghai')!;
      const list = await listBilling(db, { since, until });
      expect(list.lines.map((l) => l.billed_cost)).toEqual(['2.200000000000000000', '3.000000000000000001']);
    });
  });

  it('filters by provider case-insensitively and keeps totals over all matches when limited', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const list = await listBilling(db, { provider: 'openai' }, 1);
      expect(list.lines.map((l) => l.billed_cost)).toEqual(['1.100000000000000000']);
      expect(list.matching).toBe(2);
      expect(list.totals).toEqual([{ currency: 'USD', billed_cost: '3.300000000000000000', lines: 2 }]);
      expect((await listBilling(db, { provider: 'nobody' })).lines).toEqual([]);
    });
  });
});

describe('exportBilling', () => {
  it('writes exactly the filtered lines; the CSV total equals the list total', async () => {
    const out = join(tempDir(), 'b.csv');
    await withTempDb(async (db) => {
      await seed(db);
      const filter = { provider: 'OPENAI' };
      expect(await exportBilling(db, filter, { out, format: 'csv', mask: true })).toBe(2);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      const header = rows[0]!.split(',');
      const cells = rows.slice(1).map((r) => r.split(','));
      const total = cells.reduce((s, c) => s.plus(c[header.indexOf('billed_cost')]!), new Decimal(0));
      expect(total.equals((await listBilling(db, filter)).totals[0]!.billed_cost)).toBe(true);
      expect(cells.map((c) => c[header.indexOf('billing_account')])).toEqual([
        expect.stringMatching(/^b-[0-9a-f]{12}$/),
        expect.stringMatching(/^b-/),
      ]);
    });
  });
});
