// Usage reports pulled again: a bucket that was still running when first pulled comes back with its final
// figures. The stored row is restated (re-priced, the old row kept), the quota rollup stays equal to the
// rows, and per-request logs keep today's rule: a repeated request id is a duplicate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../src/services/reconcile/consistency.js';
import { rebuildRollup, verifyRollup } from '../../../src/services/limits/rollup.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, NOW, ingest, scalar, withCatalogDb } from './ingest-helpers.js';

const USAGE_PAGE = join(FIXTURES, 'openai', 'usage-page.json');

// The same page pulled a day later (fixtures/openai/README.md).
const LATER_PULL = join(FIXTURES, 'openai', 'usage-page-later.json');

describe('usage report restatements', () => {
  it('a later pull restates the bucket it finished, re-priced, and keeps the rollup and ledger equal to the rows', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [USAGE_PAGE]);
      await rebuildRollup(db, 'UTC', NOW); // as a quota would: ingest must then keep it in step
      const r = await ingest(db, [LATER_PULL]);
      const f = r.files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_duplicate]).toEqual([4, 2, 2]);
      expect(f.restated).toEqual([{ group: '', rows: 1, before: '1100', after: '3400' }]);

      const day2 = await db.one<Record<string, string>>(
        `SELECT input_tokens::VARCHAR AS i, output_tokens::VARCHAR AS o, requests::VARCHAR AS n, total_cost::VARCHAR AS cost
         FROM usage WHERE ts = '2026-03-02'`,
      );
      // gpt-4o-mini at $0.15 / $0.60 per 1M tokens: 3000 × 0.00000015 + 400 × 0.0000006 = 0.00069
      expect(day2).toEqual({ i: '3000', o: '400', n: '4', cost: '0.000690000000000000' });
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('4');
      expect(await scalar(db, "SELECT input_tokens::VARCHAR FROM usage_revisions WHERE ts = '2026-03-02'")).toBe(
        '1000',
      );
      expect(await verifyRollup(db)).toBe(0);
      expect((await checkConsistency(db)).issues).toEqual([]);

      // The first pull arriving again is older than what is stored: nothing changes.
      const again = await ingest(db, [USAGE_PAGE]);
      expect(again.files.map((x) => [x.rows_loaded, x.rows_duplicate, x.restated.length])).toEqual([[0, 3, 0]]);
      expect(await scalar(db, "SELECT input_tokens::VARCHAR FROM usage WHERE ts = '2026-03-02'")).toBe('3000');
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage_revisions')).toBe('1');
    });
  });

  it('a bucket pulled again whose web searches grew, its tokens unchanged, is restated too', async () => {
    const dir = tempDir('costctl-usage-restate-');
    const pull = (name: string, searches: number) => {
      const result = {
        uncached_input_tokens: 1000,
        output_tokens: 100,
        model: 'claude-sonnet-4-6',
        server_tool_use: { web_search_requests: searches },
      };
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ data: [{ starting_at: '2026-03-02T00:00:00Z', results: [result] }] }));
      return path;
    };
    await withCatalogDb(async (db) => {
      await ingest(db, [pull('first.json', 1)]);
      const r = await ingest(db, [pull('later.json', 3)]);
      expect(r.files.map((x) => [x.rows_loaded, x.rows_duplicate, x.restated.length])).toEqual([[1, 0, 1]]);
      expect(await scalar(db, 'SELECT web_search_calls::VARCHAR FROM usage')).toBe('3');
      expect(await scalar(db, 'SELECT web_search_calls::VARCHAR FROM usage_revisions')).toBe('1');
    });
  });

  it('per-request logs do not restate: a repeated request id with other figures is a duplicate', async () => {
    const dir = tempDir('costctl-usage-restate-');
    const first = join(dir, 'a.jsonl');
    const second = join(dir, 'b.jsonl');
    writeFileSync(
      first,
      '{"request_id":"r-1","timestamp":"2026-03-02T10:00:00Z","model":"gpt-4o-mini","input_tokens":100}\n',
    );
    writeFileSync(
      second,
      '{"request_id":"r-1","timestamp":"2026-03-02T10:00:00Z","model":"gpt-4o-mini","input_tokens":999}\n',
    );
    await withCatalogDb(async (db) => {
      await ingest(db, [first]);
      const r = await ingest(db, [second]);
      expect([r.files[0]!.rows_loaded, r.files[0]!.rows_duplicate, r.files[0]!.restated]).toEqual([0, 1, []]);
      expect(await scalar(db, 'SELECT input_tokens::VARCHAR FROM usage')).toBe('100');
    });
  });
});
