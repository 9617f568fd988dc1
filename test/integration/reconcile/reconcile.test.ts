// Reconciliation on a real DuckDB file: usage priced by the catalog against billing lines.
// Expected amounts are derived by hand from the prices (per 1M tokens) and token counts below.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { checkConsistency } from '../../../src/services/reconcile/consistency.js';
import { reconcileBilling } from '../../../src/services/reconcile/billing-compare.js';
import { withTempDb } from '../../helpers/db.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertBilling, insertPricedUsage } from '../../helpers/seed.js';

const tolerance = { pct: new Decimal(1), abs: new Decimal('0.01') };

async function seed(db: Parameters<Parameters<typeof withTempDb>[0]>[0]) {
  // gpt-x: $2 / 1M input, $8 / 1M output. claude-y: $3 / $15.
  await addTokenModel(db, 'gpt-x', 'openai', { input: '2', output: '8' });
  await addTokenModel(db, 'claude-y', 'anthropic', { input: '3', output: '15' });
  await insertPricedUsage(db, [
    // 03-01 openai gpt-x: 1M in + 0.5M out = 2 + 4 = $6.00
    {
      request_id: 'a1',
      ts: '2026-03-01 10:00:00',
      model: 'gpt-x',
      provider: 'openai',
      input_tokens: 1_000_000,
      output_tokens: 500_000,
    },
    // 03-01 anthropic claude-y: 0.2M in + 0.1M out = 0.6 + 1.5 = $2.10
    {
      request_id: 'b1',
      ts: '2026-03-01 11:00:00',
      model: 'claude-y',
      provider: 'anthropic',
      input_tokens: 200_000,
      output_tokens: 100_000,
    },
    // 03-02 openai gpt-x: 0.5M in = $1.00 — the bill has nothing for this day
    { request_id: 'a2', ts: '2026-03-02 09:00:00', model: 'gpt-x', provider: 'openai', input_tokens: 500_000 },
    // 03-02 anthropic: a model the catalog does not know
    { request_id: 'c1', ts: '2026-03-02 09:30:00', model: 'mystery-1', provider: 'anthropic', input_tokens: 1000 },
  ]);
  await insertBilling(db, [
    // matches to the cent: $6.00 for 1.5M tokens
    {
      line_key: 'L1',
      start: '2026-03-01 00:00:00',
      provider: 'OpenAI',
      model: 'gpt-x',
      billed_cost: '6.004',
      quantity: '1500000',
      unit: 'Tokens',
    },
    // billed at $3.00 instead of $2.10 for the same 300k tokens: a price mismatch
    {
      line_key: 'L2',
      start: '2026-03-01 00:00:00',
      provider: 'anthropic',
      model: 'claude-y',
      billed_cost: '3.00',
      quantity: '300000',
      unit: 'tokens',
    },
    // anthropic 03-02: billed $0.50 against the unpriced row
    {
      line_key: 'L3',
      start: '2026-03-02 00:00:00',
      provider: 'anthropic',
      model: 'mystery-1',
      billed_cost: '0.50',
      quantity: '1000',
      unit: 'tokens',
    },
    // 03-03: billed, but no usage at all
    { line_key: 'L4', start: '2026-03-03 00:00:00', provider: 'openai', model: null, billed_cost: '4.00' },
    // a credit is listed, not compared
    {
      line_key: 'L5',
      start: '2026-03-01 00:00:00',
      provider: 'openai',
      model: null,
      billed_cost: '-1.00',
      charge_category: 'Credit',
    },
  ]);
}

describe('reconcileBilling', () => {
  it('finds each seeded difference with its likely cause, and nothing else', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const r = await reconcileBilling(db, { since: '2026-03-01', until: '2026-03-03', tz: 'UTC', tolerance });
      const byKey = Object.fromEntries(r.lines.map((l) => [`${l.day} ${l.provider} ${l.model ?? '*'}`, l]));
      expect(Object.keys(byKey).sort()).toEqual([
        '2026-03-01 anthropic claude-y',
        '2026-03-01 openai gpt-x',
        '2026-03-02 anthropic mystery-1',
        '2026-03-02 openai *',
        '2026-03-03 openai *',
      ]);
      expect(byKey['2026-03-01 openai gpt-x']).toMatchObject({
        usage_cost: '6.000000',
        billed_cost: '6.004000',
        within_tolerance: true,
        cause: null,
      });
      expect(byKey['2026-03-01 anthropic claude-y']).toMatchObject({
        usage_cost: '2.100000',
        difference: '0.900000',
        cause: 'price_mismatch',
      });
      // implied $3.00 / 0.3M = $10 per 1M tokens vs $2.10 / 0.3M = $7 per 1M
      expect(byKey['2026-03-01 anthropic claude-y']!.explanation).toContain(
        '$10 per 1M tokens billed vs $7 from the catalog',
      );
      expect(byKey['2026-03-02 anthropic mystery-1']).toMatchObject({ unpriced_rows: 1, cause: 'unpriced_usage' });
      expect(byKey['2026-03-02 openai *']).toMatchObject({
        usage_cost: '1.000000',
        billing_lines: 0,
        cause: 'usage_without_billing',
      });
      expect(byKey['2026-03-03 openai *']).toMatchObject({
        usage_rows: 0,
        billed_cost: '4.000000',
        cause: 'billing_without_usage',
      });
      expect(r.mismatches.map((m) => m.cause).sort()).toEqual([
        'billing_without_usage',
        'price_mismatch',
        'unpriced_usage',
        'usage_without_billing',
      ]);
      expect(r.other_charges).toEqual([
        { day: '2026-03-01', provider: 'openai', charge_category: 'Credit', lines: 1, billed_cost: '-1.000000' },
      ]);
      // totals re-derive from the lines: 6 + 2.10 + 0 + 1 + 0 = 9.10 computed; 6.004 + 3 + 0.5 + 4 = 13.504 billed
      expect(r.totals).toEqual({ usage_cost: '9.100000', billed_cost: '13.504000', difference: '4.404000' });
    });
  });

  it('a wider tolerance absorbs the price difference but never unpriced or missing sides', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const r = await reconcileBilling(db, {
        since: '2026-03-01',
        until: '2026-03-03',
        tz: 'UTC',
        tolerance: { pct: new Decimal(50), abs: new Decimal('1') },
      });
      expect(r.mismatches.map((m) => `${m.day} ${m.cause}`)).toEqual(['2026-03-03 billing_without_usage']);
    });
  });

  it('counts days in the reporting time zone', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      // 2026-03-01 10:00Z is already 2026-03-01 18:00 in Shanghai; 2026-03-02 09:00Z is 17:00 on 03-02.
      const r = await reconcileBilling(db, {
        since: '2026-03-02',
        until: '2026-03-02',
        tz: 'Asia/Shanghai',
        tolerance,
      });
      expect(r.lines.map((l) => `${l.day} ${l.provider} ${l.usage_rows}`)).toEqual([
        '2026-03-02 anthropic 1',
        '2026-03-02 openai 1',
      ]);
    });
  });
});

describe('checkConsistency', () => {
  it('finds rows whose total is not the sum of their parts and repairs them by re-pricing', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      let report = await checkConsistency(db);
      expect(report.issues).toEqual([]);
      await db.run("UPDATE usage SET total_cost = 99 WHERE request_id = 'a1'");
      await db.run("UPDATE usage SET output_cost = NULL WHERE request_id = 'b1'");
      report = await checkConsistency(db);
      expect(report.issues.map((i) => i.subject)).toEqual(['usage test/a1', 'usage test/b1']);
      report = await checkConsistency(db, { repair: true });
      // a1 repriced: 1M × $2/1M + 0.5M × $8/1M = $6; b1: $2.10
      expect(report.repaired).toEqual([
        { check: 'usage_row_total', subject: 'usage test/a1', before: '99.000000', after: '6.000000' },
        { check: 'usage_row_total', subject: 'usage test/b1', before: '2.100000', after: '2.100000' },
      ]);
      expect((await checkConsistency(db)).issues).toEqual([]);
      const b1 = await db.one("SELECT output_cost::VARCHAR AS o FROM usage WHERE request_id = 'b1'");
      expect(b1!.o).toBe('1.500000000000000000');
    });
  });

  it('checks the ingest ledger against its rows; repair recomputes totals but not rows loaded', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      // File #1 loaded a1 ($6.00) and c1 (unpriced) as a usage file would have recorded them.
      await db.run("UPDATE usage SET file_id = 1 WHERE request_id IN ('a1', 'c1')");
      await db.run(`INSERT INTO ingest_files (id, path, sha256, size_bytes, format, kind, source, rows_read, rows_loaded, rows_duplicate,
        rows_rejected, rows_unpriced, total_cost, started_at, finished_at)
        VALUES (1, 'u.jsonl', 'x', 1, 'native', 'usage', 'test', 2, 2, 0, 0, 1, 6, now()::TIMESTAMP, now()::TIMESTAMP)`);
      expect((await checkConsistency(db)).issues).toEqual([]);
      // A price correction re-priced a1 by hand to $7.00 (parts and total agree), without touching the ledger.
      await db.run("UPDATE usage SET input_cost = input_cost + 1, total_cost = total_cost + 1 WHERE request_id = 'a1'");
      await db.run('UPDATE ingest_files SET rows_unpriced = 0 WHERE id = 1');
      let report = await checkConsistency(db);
      expect(report.issues).toEqual([
        {
          check: 'ingest_file_total',
          subject: 'ingest file #1 u.jsonl',
          stored: '6.000000',
          expected: '7.000000',
          repairable: true,
        },
        {
          check: 'ingest_file_unpriced',
          subject: 'ingest file #1 u.jsonl',
          stored: '0',
          expected: '1',
          repairable: true,
        },
      ]);
      report = await checkConsistency(db, { repair: true });
      expect(report.repaired).toEqual([
        { check: 'ingest_file_total', subject: 'ingest file #1 u.jsonl', before: '6.000000', after: '7.000000' },
        { check: 'ingest_file_unpriced', subject: 'ingest file #1 u.jsonl', before: '0', after: '1' },
      ]);
      expect(report.issues).toEqual([]);
      // Rows removed since the ingest: reported, never "repaired" (the ledger is history).
      await db.run("DELETE FROM usage WHERE request_id = 'c1'");
      report = await checkConsistency(db, { repair: true });
      expect(report.issues.map((i) => [i.check, i.stored, i.expected, i.repairable])).toEqual([
        ['ingest_file_rows', '2', '1', false],
      ]);
    });
  });
});
