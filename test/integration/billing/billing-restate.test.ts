// Billing restatements on a real DuckDB file: a later export of a stored charge with new amounts replaces
// the line, keeps the old values, and never lets an older export take the line back. Expected figures are
// the hand sums in fixtures/focus/README.md, and, for the real FOCUS sample, sums taken straight from the
// CSV files by DuckDB's own reader.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { listRestated } from '../../../src/services/billing/lines.js';
import { checkConsistency } from '../../../src/services/reconcile/consistency.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, SAMPLES, ingest, scalar } from '../ingest/ingest-helpers.js';

const F = (name: string) => join(FIXTURES, 'focus', name);
const billedTotal = (db: Db) => scalar(db, 'SELECT sum(billed_cost)::VARCHAR FROM billing_lines');

/** The ledger's per-file totals, re-derived from the lines each file loaded (current and restated since). */
async function ledgerMatchesRows(db: Db): Promise<void> {
  const report = await checkConsistency(db);
  expect(report.issues).toEqual([]);
}

describe('billing restatements', () => {
  it('a re-issued export restates changed amounts, keeps the old ones, and adds nothing twice', async () => {
    await withTempDb(async (db) => {
      await ingest(db, [F('focus-1.2-ai.csv'), F('focus-overlap.csv')]);
      expect(await billedTotal(db)).toBe('16.873456789012345678');

      const r = await ingest(db, [F('focus-restated.csv')]);
      const file = r.files[0]!;
      expect([file.rows_read, file.rows_loaded, file.rows_duplicate, file.rows_rejected]).toEqual([4, 3, 1, 0]);
      expect(new Decimal(file.total_cost).eq('1.725')).toBe(true);
      expect(file.restated).toEqual([
        { group: 'USD', rows: 2, before: '1.650000000000000000', after: '1.575000000000000000' },
      ]);

      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM billing_lines')).toBe('9');
      expect(await billedTotal(db)).toBe('16.948456789012345678');
      // The late-usage line took the new quantity too; the old values are kept, with the file that changed them.
      const late = await db.one<{ quantity: string; billed: string }>(
        "SELECT quantity::VARCHAR AS quantity, billed_cost::VARCHAR AS billed FROM billing_lines WHERE charge_period_start = '2026-03-03'",
      );
      expect(late).toEqual({ quantity: '2500000.000000000', billed: '0.375000000000000000' });
      const history = await listRestated(db, {});
      expect(
        history.map((h) => [
          h.charge_period_start,
          h.billed_cost_before,
          h.billed_cost_after,
          h.quantity_before,
          h.quantity_after,
        ]),
      ).toEqual([
        [
          '2026-03-02T00:00:00Z',
          '1.350000000000000000',
          '1.200000000000000000',
          '10000000.000000000',
          '10000000.000000000',
        ],
        [
          '2026-03-03T00:00:00Z',
          '0.300000000000000000',
          '0.375000000000000000',
          '2000000.000000000',
          '2500000.000000000',
        ],
      ]);
      expect(
        history.map((h) => [
          h.file_before?.endsWith('focus-1.2-ai.csv'),
          h.restated_by?.endsWith('focus-restated.csv'),
        ]),
      ).toEqual([
        [true, true],
        [false, true], // the 03-03 charge first came from focus-overlap.csv
      ]);
      expect(history[1]!.file_before).toMatch(/focus-overlap\.csv$/);
      await ledgerMatchesRows(db);

      // Older exports arriving again restate nothing: their amounts are the ones the lines moved away from.
      const late2 = await ingest(db, [F('focus-overlap.csv'), F('focus-1.2-ai.csv')]);
      expect(late2.files.map((f) => [f.rows_loaded, f.rows_duplicate, f.restated.length])).toEqual([
        [0, 4, 0],
        [0, 7, 0],
      ]);
      expect(await billedTotal(db)).toBe('16.948456789012345678');
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM billing_line_revisions')).toBe('2');
      await ledgerMatchesRows(db);
    });
  });

  it('a line restated twice keeps both earlier versions, each showing what replaced it', async () => {
    const dir = tempDir('costctl-restate-');
    const original = readFileSync(F('focus-restated.csv'), 'utf8');
    const third = join(dir, 'focus-final.csv');
    writeFileSync(third, original.replace(',1.50,1.20,1.20,INV-2026-03,', ',1.50,1.10,1.10,INV-2026-03,'));
    await withTempDb(async (db) => {
      await ingest(db, [F('focus-1.2-ai.csv'), F('focus-restated.csv'), third]);
      const history = await listRestated(db, {
        since: new Date('2026-03-02T00:00:00Z'),
        until: new Date('2026-03-03T00:00:00Z'),
      });
      expect(history.map((h) => [h.billed_cost_before, h.billed_cost_after])).toEqual([
        ['1.350000000000000000', '1.200000000000000000'],
        ['1.200000000000000000', '1.100000000000000000'],
      ]);
      await ledgerMatchesRows(db);
    });
  });

  it('an export that leaves out list cost and quantity does not restate them away', async () => {
    const dir = tempDir('costctl-restate-');
    // The same charges with ListCost and ConsumedQuantity/PricingQuantity blank, as a thinner export writes them.
    const lines = readFileSync(F('focus-overlap.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const blank = new Set(['ListCost', 'ConsumedQuantity', 'PricingQuantity'].map((c) => header.indexOf(c)));
    const thin = join(dir, 'focus-thin.csv');
    writeFileSync(
      thin,
      `${[
        lines[0],
        ...lines.slice(1).map((l) =>
          splitKeepingQuotes(l)
            .map((c, i) => (blank.has(i) ? '' : c))
            .join(','),
        ),
      ].join('\n')}\n`,
    );
    await withTempDb(async (db) => {
      await ingest(db, [F('focus-1.2-ai.csv'), F('focus-overlap.csv')]);
      const before = await db.all('SELECT * FROM billing_lines ORDER BY line_key');
      const r = await ingest(db, [thin]);
      expect(r.files.map((f) => [f.rows_loaded, f.rows_duplicate, f.restated.length])).toEqual([[0, 4, 0]]);
      expect(await db.all('SELECT * FROM billing_lines ORDER BY line_key')).toEqual(before);
    });
  });

  it('the real FOCUS 1.0 sample re-issued with changed amounts: the billed total is the new file’s own sum', async () => {
    const path = join(SAMPLES, 'focus', 'focus_sample.csv');
    const dir = tempDir('costctl-restate-');
    const reissued = join(dir, 'focus_sample_reissued.csv');
    await withTempDb(async (db) => {
      // Re-issue the sample with BilledCost raised by 0.01 on 25 rows, chosen and rewritten by DuckDB itself.
      await db.run(
        `COPY (SELECT * EXCLUDE (rn) REPLACE (CASE WHEN rn % 40 = 7 AND BilledCost <> 'NULL' THEN (BilledCost::DECIMAL(38,18) + 0.01)::VARCHAR ELSE BilledCost END AS BilledCost)
               FROM (SELECT *, row_number() OVER () AS rn FROM read_csv('${path}', all_varchar = true, nullstr = '\\N')))
         TO '${reissued}' (HEADER, DELIMITER ',')`,
      );
      const changed = Number(
        await scalar(
          db,
          `SELECT count(*)::VARCHAR FROM (SELECT row_number() OVER () AS rn, BilledCost FROM read_csv('${path}', all_varchar = true, nullstr = '\\N')) WHERE rn % 40 = 7 AND BilledCost <> 'NULL'`,
        ),
      );
      expect(changed).toBeGreaterThan(20);
      const expected = await scalar(
        db,
        `SELECT sum(BilledCost::DECIMAL(38,18))::VARCHAR FROM read_csv('${reissued}', nullstr = 'NULL', all_varchar = true)`,
      );

      const first = await ingest(db, [path]);
      expect(first.files[0]!.rows_loaded).toBe(1000);
      const second = await ingest(db, [reissued]);
      const f = second.files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_duplicate]).toEqual([1000, changed, 1000 - changed]);
      expect(f.restated.reduce((n, x) => n + x.rows, 0)).toBe(changed);
      expect(
        new Decimal(f.restated[0]!.after).minus(f.restated[0]!.before).eq(new Decimal('0.01').times(changed)),
      ).toBe(true);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM billing_lines')).toBe('1000');
      expect(await billedTotal(db)).toBe(expected);
      await ledgerMatchesRows(db);
    });
  });

  it('a dry run restates nothing', async () => {
    await withTempDb(async (db) => {
      await ingest(db, [F('focus-1.2-ai.csv'), F('focus-overlap.csv')]);
      const r = await ingest(db, [F('focus-restated.csv')], { dryRun: true });
      expect(r.files[0]!.restated[0]!.rows).toBe(2);
      expect(await billedTotal(db)).toBe('16.873456789012345678');
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM billing_line_revisions')).toBe('0');
    });
  });
});

/** CSV cells of one line, quotes kept as written (the fixture quotes only JSON cells). */
function splitKeepingQuotes(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}
