// The FOCUS adapter on odd but valid spellings (BOM, CRLF, lower-case headers, scientific notation) and on
// physical line numbers; the samples and fixtures with their totals are in billing-focus.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { focusAdapter } from '../../../src/ingest/billing/focus.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { inputFile } from '../../../src/services/ingest/inputs.js';
import { stageOne } from './focus-stage.js';

describe('focus adapter: CSV spellings', () => {
  it('reads a file with a BOM, CRLF line ends, lower-case headers and scientific notation', async () => {
    const path = join(tempDir(), 'bom.csv');
    writeFileSync(
      path,
      '\uFEFFbilledcost,chargeperiodstart,billingcurrency,providername\r\n1.5E-3,2026-03-01T00:00:00+02:00,usd,OpenAI\r\n2,2026-03-01,USD,OpenAI\r\n',
    );
    expect(focusAdapter.detect(inputFile(path, true))).toBe(true);
    await withTempDb(async (db) => {
      const { staged, rejects, total } = await stageOne(db, path);
      expect(rejects).toEqual([]);
      expect(total).toBe('2.001500000000000000'); // 0.0015 + 2
      expect(staged.map((r) => [r.charge_period_start, r.currency, r.line])).toEqual([
        ['2026-02-28 22:00:00', 'USD', '2'],
        ['2026-03-01 00:00:00', 'USD', '3'],
      ]);
    });
  });

  it('a malformed SkuPriceDetails cell only loses the model, not the row', async () => {
    const path = join(tempDir(), 'sku.csv');
    writeFileSync(
      path,
      'BilledCost,ChargePeriodStart,BillingCurrency,SkuPriceDetails,x_ModelId\n1,2026-03-01,USD,{broken,gpt-4o\n2,2026-03-01,USD,{broken,\n',
    );
    await withTempDb(async (db) => {
      const { staged, rejects } = await stageOne(db, path);
      expect(rejects).toEqual([]);
      expect(staged.map((r) => r.model)).toEqual(['gpt-4o', null]);
    });
  });
});

describe('focus adapter: line numbers', () => {
  it('names good rows and rejects by their physical line across blank lines and multi-line cells', async () => {
    const path = join(tempDir(), 'ml.csv');
    writeFileSync(
      path,
      `${[
        'BilledCost,ChargePeriodStart,BillingCurrency,ChargeDescription', // 1
        '1,2026-03-01,USD,"two', // 2
        'lines"', // 3
        '', // 4
        '2,2026-03-01,USD,x', // 5
        '3,2026-03-01', // 6: too few fields
        '4,2026-03-01,USD,"a ""quoted"" word"', // 7
        'abc,2026-03-01,USD,y', // 8: bad number
      ].join('\n')}\n`,
    );
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stageOne(db, path);
      expect(result.rowsRead).toBe(5);
      expect(staged.map((r) => [r.line, r.billed_cost])).toEqual([
        ['2', '1.000000000000000000'],
        ['5', '2.000000000000000000'],
        ['7', '4.000000000000000000'],
      ]);
      expect(rejects.map((r) => [r.line, r.reason])).toEqual([
        ['6', 'MISSING COLUMNS: Expected Number of Columns: 4 Found: 2'],
        ['8', 'BilledCost "abc" is not a number'],
      ]);
    });
  });
});
