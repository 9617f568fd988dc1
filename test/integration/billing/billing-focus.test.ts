// The FOCUS adapter on a real temp DuckDB with the real samples from fixtures/samples/focus and the
// fixtures in fixtures/focus: row counts and billed totals checked against sums computed independently.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { focusAdapter } from '../../../src/ingest/billing/focus.js';
import { withTempDb } from '../../helpers/db.js';
import { ROOT, SAMPLES as ALL_SAMPLES } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { inputFile } from '../../../src/services/ingest/inputs.js';
import { stageOne } from './focus-stage.js';

const SAMPLES = join(ALL_SAMPLES, 'focus');
const AI = join(SAMPLES, 'focus-spec-ai-model-billing');

describe('focus adapter: real samples', () => {
  it('loads all 1000 rows of the official FOCUS 1.0 sample with the exact BilledCost sum', async () => {
    const path = join(SAMPLES, 'focus_sample.csv');
    await withTempDb(async (db) => {
      // Independent sum: DuckDB's own CSV reader with the NULL literal, cast straight to DECIMAL.
      const expected = await db.one<{ n: string; t: string; aws: string }>(
        `SELECT count(*) AS n, sum(BilledCost::DECIMAL(38,18))::VARCHAR AS t, count(*) FILTER (WHERE ProviderName = 'AWS') AS aws
         FROM read_csv('${path}', nullstr = 'NULL', all_varchar = true)`,
      );
      const { result, staged, rejects, total } = await stageOne(db, path);
      expect(result.rowsRead).toBe(1000);
      expect(rejects).toEqual([]);
      expect(staged).toHaveLength(1000);
      expect(total).toBe(expected!.t);
      // The sample README rounds the sum to 20.5202.
      expect(Number(total)).toBeCloseTo(20.5202, 4);
      expect(staged.filter((r) => r.provider === 'AWS')).toHaveLength(942);
      expect(new Set(staged.map((r) => r.line_key)).size).toBe(1000);
      const first = staged[0]!;
      expect(first).toMatchObject({
        line: '2',
        charge_period_start: '2024-09-18 22:00:00',
        charge_period_end: '2024-09-18 23:00:00',
        provider: 'AWS',
        service: 'Amazon Simple Queue Service',
        sku: 'G95FST5FTYV3JSRX',
        charge_category: 'Usage',
        quantity: '2.000000000',
        unit: 'Requests',
        billed_cost: '0.000000800000000000',
        list_cost: '0.000000800000000000',
        currency: 'USD',
        billing_account: '1234567890123',
        invoice_id: null,
        tags: null,
      });
      expect(JSON.parse(staged[1]!.tags)).toEqual({
        application: 'BrightLensMatrix',
        environment: 'dev',
        business_unit: 'ViennaAI',
      });
    });
  });

  // Billed totals of the AI-billing examples, added by hand from their BilledCost cells.
  const aiCases: [string, number, string, string[]][] = [
    ['per_token_ai_model_api.csv', 2, '94.5', ['solora-saturn-4.8']], // 42.00 + 52.50
    ['cached_tokens_via_csp_marketplace.csv', 2, '47.5', ['solora-neptune-5.0']], // 10.00 + 37.50
    ['multi_model_usage.csv', 4, '104.5', ['solora-atlas-5.4-mini', 'solora-atlas-5.5']], // 50 + 50 + 2.25 + 2.25
    ['drawdown_via_prepayment_ai_model_api.csv', 3, '500000', ['solora-saturn-5.0']], // 500000.00 + 0 + 0
  ];
  it.each(aiCases)('loads %s with its hand-added billed total and models', async (name, rows, billed, models) => {
    await withTempDb(async (db) => {
      const { result, staged, rejects, total } = await stageOne(db, join(AI, name));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(rows);
      expect(staged).toHaveLength(rows);
      expect(Number(total)).toBe(Number(billed));
      expect(total!.replace(/\.?0+$/, '')).toBe(billed);
      expect([...new Set(staged.map((r) => r.model).filter(Boolean))].sort()).toEqual(models);
      expect(staged.every((r) => r.provider === 'Solora AI')).toBe(true);
    });
  });

  it('reads token quantities and units from ConsumedQuantity/ConsumedUnit, else PricingQuantity/PricingUnit', async () => {
    await withTempDb(async (db) => {
      const { staged } = await stageOne(db, join(AI, 'drawdown_via_prepayment_ai_model_api.csv'));
      // Purchase row: no ConsumedQuantity → PricingQuantity 500000.00 USD.
      expect(staged.map((r) => [r.charge_category, r.quantity, r.unit])).toEqual([
        ['Purchase', '500000.000000000', 'USD'],
        ['Usage', '5000000.000000000', 'Tokens'],
        ['Usage', '1500000.000000000', 'Tokens'],
      ]);
    });
  });
});

const FIXTURES = join(ROOT, 'fixtures', 'focus');

describe('focus adapter: fixtures (totals hand-checked in fixtures/focus/README.md)', () => {
  it('loads focus-1.2-ai.csv: 7 rows, billed 16.573456789012345678, list 17.10', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects, total } = await stageOne(db, join(FIXTURES, 'focus-1.2-ai.csv'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(7);
      expect(total).toBe('16.573456789012345678');
      const list = await db.one<{ t: string }>('SELECT sum(list_cost)::VARCHAR AS t FROM staged');
      expect(list!.t).toBe('17.100000000000000000');
      const byProvider = await db.all(
        `SELECT provider, count(*) AS n, sum(billed_cost)::VARCHAR AS t FROM staged GROUP BY 1 ORDER BY 1`,
      );
      expect(byProvider).toEqual([
        { provider: 'Anthropic', n: '2', t: '12.000000000000000000' },
        { provider: 'OpenAI', n: '5', t: '4.573456789012345678' },
      ]);
      expect(staged.map((r) => r.model)).toEqual([
        'gpt-4o-mini',
        'gpt-4o-mini',
        'claude-sonnet-4-5',
        'claude-sonnet-4-5',
        'gpt-4o-mini',
        null,
        null,
      ]);
      expect(staged.map((r) => r.charge_category)).toEqual([
        'Usage',
        'Usage',
        'Usage',
        'Usage',
        'Usage',
        'Credit',
        'Tax',
      ]);
      // Both timestamp spellings land on the same UTC instant.
      expect(staged.map((r) => r.charge_period_start)).toEqual([
        '2026-03-01 00:00:00',
        '2026-03-01 00:00:00',
        '2026-03-01 00:00:00',
        '2026-03-01 00:00:00',
        '2026-03-02 00:00:00',
        '2026-03-02 00:00:00',
        '2026-03-02 00:00:00',
      ]);
      expect(JSON.parse(staged[0]!.tags)).toEqual({ team: 'sales-east' });
      expect(staged[5]).toMatchObject({
        quantity: null,
        unit: null,
        list_cost: null,
        billed_cost: '-0.500000000000000000',
      });
    });
  });

  it('an overlapping export yields the same keys for the same charges and a new key for the new one', async () => {
    await withTempDb(async (db) => {
      const first = (await stageOne(db, join(FIXTURES, 'focus-1.2-ai.csv'))).staged;
      const second = (await stageOne(db, join(FIXTURES, 'focus-overlap.csv'))).staged;
      const firstKeys = new Set(first.map((r) => r.line_key));
      const shared = second.filter((r) => firstKeys.has(r.line_key));
      expect(shared.map((r) => r.billed_cost)).toEqual([
        '1.350000000000000000',
        '-0.500000000000000000',
        '0.123456789012345678',
      ]);
      const fresh = second.filter((r) => !firstKeys.has(r.line_key));
      expect(fresh.map((r) => r.billed_cost)).toEqual(['0.300000000000000000']);
      expect(second[0]!.invoice_id).toBe('INV-2026-03');
    });
  });

  it('two identical charges in one file both load, with distinct keys', async () => {
    const dir = tempDir();
    const lines = readFileSync(join(FIXTURES, 'focus-1.2-ai.csv'), 'utf8').trim().split('\n');
    const path = join(dir, 'dup.csv');
    writeFileSync(path, `${[lines[0], lines[1], lines[1]].join('\n')}\n`);
    await withTempDb(async (db) => {
      const { staged, total } = await stageOne(db, path);
      expect(staged).toHaveLength(2);
      expect(new Set(staged.map((r) => r.line_key)).size).toBe(2);
      expect(total).toBe('3.600000000000000000'); // 1.80 twice
    });
  });

  it('rejects each broken row of focus-broken.csv with its line and reason, and loads the rest', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects, total } = await stageOne(db, join(FIXTURES, 'focus-broken.csv'));
      expect(result.rowsRead).toBe(8);
      expect(staged.map((r) => r.line)).toEqual(['2', '8']);
      expect(total).toBe('3.500000000000000000');
      expect(rejects.map((r) => [r.line, r.reason])).toEqual([
        ['3', 'BilledCost "abc" is not a number'],
        ['4', 'ChargePeriodStart is missing'],
        ['5', expect.stringContaining('MISSING COLUMNS')],
        ['6', expect.stringContaining('ChargePeriodStart "yesterday" is not a timestamp')],
        ['7', 'Tags is not a JSON object'],
        ['9', 'BilledCost is missing'],
      ]);
      expect(rejects[1]!.raw).toContain('sku-c');
      expect(rejects[2]!.raw).toBe('ba-7,USD,2026-03-01 00:00:00,Usage,OpenAI,OpenAI API,sku-d,1.00');
    });
  });

  it('reads the same charges from Parquet with the same keys and totals as from CSV', async () => {
    const dir = tempDir();
    const parquet = join(dir, 'focus.parquet');
    const csv = join(FIXTURES, 'focus-1.2-ai.csv');
    await withTempDb(async (db) => {
      // A typed Parquet file as a provider would write it: timestamps as TIMESTAMP, costs as DECIMAL.
      await db.run(
        `COPY (SELECT * REPLACE (ChargePeriodStart::TIMESTAMPTZ AS ChargePeriodStart, ChargePeriodEnd::TIMESTAMPTZ AS ChargePeriodEnd,
                 BilledCost::DECIMAL(38,18) AS BilledCost)
               FROM read_csv('${csv}', nullstr = ['NULL', ''], all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
      );
      expect(focusAdapter.detect(inputFile(parquet, true))).toBe(true);
      const fromCsv = (await stageOne(db, csv)).staged;
      const fromParquet = await stageOne(db, parquet);
      expect(fromParquet.rejects).toEqual([]);
      expect(fromParquet.total).toBe('16.573456789012345678');
      expect(fromParquet.staged.map((r) => r.line_key)).toEqual(fromCsv.map((r) => r.line_key));
      expect(fromParquet.staged.map((r) => r.line)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    });
  });

  it('a file that is not CSV at all fails with one line naming it (exit 1)', async () => {
    const dir = tempDir();
    const path = join(dir, 'fake.parquet');
    writeFileSync(path, 'PAR1 this is not parquet');
    await withTempDb(async (db) => {
      await expect(focusAdapter.stage(db, inputFile(path, true), { source: 'focus' })).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/fake\.parquet: cannot be read as FOCUS Parquet/),
      });
    });
  });
});
