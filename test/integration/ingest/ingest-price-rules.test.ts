// Rows priced by a provider rule say so on the row (price_rules), through the real ingest into a real
// DuckDB file with the bundled LiteLLM catalog; and names written as callers write them find their entry.
// Expected costs are hand computations from the catalog entries (see test/unit/provider-rules.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

const ROWS = [
  // 2000 × 0.000003 + 500 × 0.000015 + 10000 × 2 × 0.000003
  [
    'r1',
    'claude-sonnet-4-5',
    { input_tokens: 2000, output_tokens: 500, cache_write_1h_tokens: 10000 },
    '0.0735',
    'cache write 1h = 2 × input (anthropic rule)',
  ],
  // half of 1000 × 0.000001 + 1000 × 0.000005
  [
    'r2',
    'claude-haiku-4-5',
    { input_tokens: 1000, output_tokens: 1000, request_type: 'batch' },
    '0.003',
    'batch 50 % (anthropic rule)',
  ],
  // 1000 × 0.00000015 + 100 × 0.0000006: case does not matter
  ['r3', 'GPT-4o-mini', { input_tokens: 1000, output_tokens: 100 }, '0.00021', null],
  // the one provider with the bare name: mistral/mistral-medium-latest, 1000 × 0.0000004 + 1000 × 0.000002
  ['r4', 'mistral-medium-latest', { input_tokens: 1000, output_tokens: 1000 }, '0.0024', null],
] as const;

describe('ingest: price rules on the row', () => {
  it('stores the cost and the rule that priced it', async () => {
    await withCatalogDb(async (db) => {
      const file = join(tempDir(), 'rules.jsonl');
      writeFileSync(
        file,
        ROWS.map(([id, model, counts]) =>
          JSON.stringify({ request_id: id, timestamp: '2026-03-02T09:00:00Z', model, ...counts }),
        ).join('\n'),
      );
      const report = await ingest(db, [file]);
      expect(report.files[0]!.rows_loaded).toBe(4);
      const rows = await db.all<{ request_id: string; total_cost: string | null; price_rules: string | null }>(
        'SELECT request_id, total_cost::VARCHAR AS total_cost, price_rules FROM usage ORDER BY request_id',
      );
      expect(
        rows.map((r) => [r.request_id, r.total_cost && new Decimal(r.total_cost).toFixed(), r.price_rules]),
      ).toEqual(ROWS.map(([id, , , cost, rule]) => [id, cost, rule]));
    });
  });
});
