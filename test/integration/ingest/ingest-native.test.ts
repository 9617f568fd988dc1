// The native usage log end to end through the pipeline, on a real DuckDB file, against hand-checked
// numbers (fixtures/usage/README.md, fixtures/broken/README.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, ingest, scalar, withCatalogDb } from './ingest-helpers.js';

const JSONL = join(FIXTURES, 'usage', 'usage.jsonl');
const CSV = join(FIXTURES, 'usage', 'usage.csv');

// fixtures/usage/README.md, computed by hand from the catalog's per-token prices.
const HAND_COSTS: Record<string, string | null> = {
  'r-0001': '0.000366',
  'r-0002': '0.0306',
  'r-0003': '0.014',
  'r-0004': '0.0135',
  'r-0005': '0.001',
  'r-0006': null,
  'r-0007': '0.00075',
};
const NO_ID_COST = '0.006';
const HAND_TOTAL = '0.066216';

describe('ingest: native usage log', () => {
  it('loads the JSONL fixture with hand-checked costs, line numbers, timestamps and tags', async () => {
    await withCatalogDb(async (db) => {
      const report = await ingest(db, [JSONL]);
      expect(report.files).toHaveLength(1);
      const f = report.files[0]!;
      expect([f.format, f.kind, f.rows_read, f.rows_loaded, f.rows_duplicate, f.rows_rejected]).toEqual([
        'usage',
        'usage',
        8,
        8,
        0,
        0,
      ]);
      expect(new Decimal(f.total_cost).eq(HAND_TOTAL)).toBe(true);
      expect(report.unpriced_models).toEqual([{ model: 'acme-sales-llm-v1', rows: 1 }]);

      const rows = await db.all<{
        request_id: string;
        total_cost: string | null;
        unpriced: boolean;
        line: string;
        ts: string;
      }>('SELECT request_id, total_cost, unpriced, line, ts::VARCHAR AS ts FROM usage ORDER BY line');
      for (const [id, cost] of Object.entries(HAND_COSTS)) {
        const row = rows.find((r) => r.request_id === id)!;
        if (cost === null) expect([row.unpriced, row.total_cost]).toEqual([true, null]);
        else expect(new Decimal(row.total_cost!).eq(cost), id).toBe(true);
      }
      const noId = rows.find((r) => r.request_id.startsWith('sha256:'))!;
      expect(new Decimal(noId.total_cost!).eq(NO_ID_COST)).toBe(true);
      // +08:00 is converted to UTC; epoch seconds 1772443503 = 2026-03-02T09:25:03Z.
      expect(noId.ts).toBe('2026-03-02 09:30:00');
      expect(rows.find((r) => r.request_id === 'r-0007')!.ts).toBe('2026-03-02 09:25:03');
      // Line 6 is blank: rows are on their physical lines.
      expect(rows.map((r) => Number(r.line))).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
      expect(await scalar(db, "SELECT tags->>'channel' FROM usage WHERE request_id = 'r-0001'")).toBe('wechat');
      // provider is not in the log: it comes from the catalog; unpriced rows have none.
      expect(await scalar(db, "SELECT provider FROM usage WHERE request_id = 'r-0001'")).toBe('openai');
      expect(await scalar(db, "SELECT provider FROM usage WHERE request_id = 'r-0006'")).toBe(null);
      expect(await scalar(db, "SELECT reported_cost::VARCHAR FROM usage WHERE request_id = 'r-0002'")).toBe(
        '0.030600000000000000',
      );
    });
  });

  it('every total is re-derivable: ledger = sum of rows = sum of components (independent JS sum)', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [JSONL]);
      const rows = await db.all<Record<string, string | null>>(
        'SELECT input_cost, output_cost, cache_read_cost, cache_write_cost, base_cost, total_cost FROM usage WHERE NOT unpriced',
      );
      let components = new Decimal(0);
      let totals = new Decimal(0);
      for (const r of rows) {
        components = components
          .plus(r.input_cost!)
          .plus(r.output_cost!)
          .plus(r.cache_read_cost!)
          .plus(r.cache_write_cost!)
          .plus(r.base_cost!);
        totals = totals.plus(r.total_cost!);
      }
      const ledger = await scalar(db, 'SELECT total_cost::VARCHAR FROM ingest_files');
      expect(components.eq(totals)).toBe(true);
      expect(totals.eq(ledger!)).toBe(true);
      expect(totals.eq(HAND_TOTAL)).toBe(true);
    });
  });

  it('the CSV encoding of the same rows is all duplicates; re-ingesting a file adds nothing', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [JSONL]);
      const csv = await ingest(db, [CSV]);
      expect([csv.files[0]!.rows_read, csv.files[0]!.rows_loaded, csv.files[0]!.rows_duplicate]).toEqual([8, 0, 8]);
      const again = await ingest(db, [JSONL]);
      expect([again.files[0]!.rows_loaded, again.files[0]!.rows_duplicate]).toEqual([0, 8]);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('8');
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM ingest_files')).toBe('3');
    });
  });

  it('the CSV fixture alone gives the same hand-checked total', async () => {
    await withCatalogDb(async (db) => {
      const report = await ingest(db, [CSV]);
      expect(new Decimal(report.files[0]!.total_cost).eq(HAND_TOTAL)).toBe(true);
      expect(await scalar(db, "SELECT ts::VARCHAR FROM usage WHERE request_id = 'r-0007'")).toBe('2026-03-02 09:25:03');
      expect(await scalar(db, "SELECT tags->>'channel' FROM usage WHERE request_id = 'r-0001'")).toBe('wechat');
    });
  });

  it('duplicates inside one file keep the first row', async () => {
    await withCatalogDb(async (db) => {
      const dir = tempDir();
      const path = join(dir, 'dup.jsonl');
      writeFileSync(
        path,
        [
          '{"request_id":"d-1","timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o-mini","input_tokens":1000}',
          '{"request_id":"d-1","timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o-mini","input_tokens":9999}',
        ].join('\n'),
      );
      const r = await ingest(db, [path]);
      expect([r.files[0]!.rows_loaded, r.files[0]!.rows_duplicate]).toEqual([1, 1]);
      expect(await scalar(db, 'SELECT input_tokens::VARCHAR FROM usage')).toBe('1000');
    });
  });
});

describe('ingest: broken rows', () => {
  it('JSONL: one reject per broken row with its line, every good row loaded', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'broken', 'usage-broken.jsonl')]);
      const f = r.files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([11, 3, 8]);
      expect(new Decimal(f.total_cost).eq('0.00126')).toBe(true);
      const rejects = await db.all<{ line: string; reason: string; raw: string }>(
        'SELECT line, reason, raw FROM rejects ORDER BY line',
      );
      expect(rejects.map((x) => Number(x.line))).toEqual([2, 3, 4, 5, 6, 7, 8, 11]);
      const reason = (line: number) => rejects.find((x) => Number(x.line) === line)!.reason;
      expect(reason(2)).toMatch(/broken JSON/);
      expect(reason(3)).toBe('timestamp is missing');
      expect(reason(4)).toBe('model is missing');
      expect(reason(5)).toMatch(/^output_tokens "-3"/);
      expect(reason(6)).toMatch(/^input_tokens "1.5"/);
      expect(reason(7)).toMatch(/^timestamp "yesterday"/);
      expect(reason(8)).toMatch(/^reported_cost "abc"/);
      expect(reason(11)).toMatch(/not a JSON object/);
      expect(rejects[0]!.raw).toBe('{"request_id":"b-2","timestamp":');
      const good = await db.all<{ line: string }>('SELECT line FROM usage ORDER BY line');
      expect(good.map((x) => Number(x.line))).toEqual([1, 10, 12]);
    });
  });

  it('CSV: wrong column counts, blank line and a quoted two-line cell keep physical line numbers', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'broken', 'usage-broken.csv')]);
      const f = r.files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([9, 3, 6]);
      const rejects = await db.all<{ line: string; reason: string; raw: string }>(
        'SELECT line, reason, raw FROM rejects ORDER BY line',
      );
      expect(rejects.map((x) => Number(x.line))).toEqual([3, 4, 5, 8, 9, 12]);
      expect(rejects[0]!.reason).toMatch(/wrong column count/);
      expect(rejects[0]!.raw).toBe('c-3,2026-03-03T08:00:00Z,gpt-4o-mini,10,10,,,extra');
      expect(rejects[2]!.raw).toBe('c-5,2026-03-03T08:00:00Z,gpt-4o-mini,-5,10,,');
      const good = await db.all<{ line: string; note: string }>(
        "SELECT line, tags->>'note' AS note FROM usage ORDER BY line",
      );
      expect(good.map((x) => Number(x.line))).toEqual([2, 7, 10]);
      expect(good[2]!.note).toBe('a note\nover two lines');
    });
  });

  it('--strict: a reject fails the file, nothing of it is stored', async () => {
    await withCatalogDb(async (db) => {
      await expect(ingest(db, [join(FIXTURES, 'broken', 'usage-broken.jsonl')], { strict: true })).rejects.toThrow(
        /usage-broken\.jsonl: --strict: 8 row\(s\) rejected.*\n.*usage-broken\.jsonl:2: broken JSON/,
      );
      for (const t of ['usage', 'rejects', 'ingest_files'])
        expect(await scalar(db, `SELECT count(*)::VARCHAR FROM ${t}`)).toBe('0');
    });
  });

  it('--dry-run reports real counts and stores nothing', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'broken', 'usage-broken.csv')], { dryRun: true });
      expect([r.files[0]!.rows_loaded, r.files[0]!.rows_rejected]).toEqual([3, 6]);
      for (const t of ['usage', 'rejects', 'ingest_files'])
        expect(await scalar(db, `SELECT count(*)::VARCHAR FROM ${t}`)).toBe('0');
    });
  });

  it('a CSV without a model column is refused naming file:1, nothing stored', async () => {
    await withTempDb(async (db) => {
      const path = join(tempDir(), 'nomodel.csv');
      writeFileSync(path, 'request_id,timestamp,model_name\nx,2026-03-02T00:00:00Z,gpt-4o\n');
      await expect(ingest(db, [path], { format: 'usage' })).rejects.toThrow(
        /nomodel\.csv:1: the header has no "model" column/,
      );
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM ingest_files')).toBe('0');
    });
  });

  it('a file no adapter recognizes is refused by name', async () => {
    await withTempDb(async (db) => {
      const path = join(tempDir(), 'notes.txt');
      writeFileSync(path, 'hello\nworld\n');
      await expect(ingest(db, [path])).rejects.toThrow(/notes\.txt: not a format costctl reads/);
    });
  });
});
