// Native JSONL stages only the fields its head shows (src/ingest/usage-native.ts), which saves parsing ~26
// absent keys on every line. A native key that first appears past the head must still be read as its field
// (never dropped, never moved to tags), every row of the file alike, and a bad value in it still rejects its
// line; keys costctl does not know still go to tags.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

/** 1,000 plain lines (~100 KiB, well past the 64 KiB head), then `late`. */
function fileWith(late: Record<string, unknown>[]): string {
  const plain = Array.from({ length: 1_000 }, (_, i) =>
    JSON.stringify({
      request_id: `p-${i}`,
      timestamp: '2026-03-02T09:00:00Z',
      model: 'gpt-4o-mini',
      input_tokens: 1000,
      output_tokens: 100,
      user_id: `u-${i % 7}`,
    }),
  );
  const path = join(tempDir(), 'late.jsonl');
  writeFileSync(path, `${[...plain, ...late.map((r) => JSON.stringify(r))].join('\n')}\n`);
  return path;
}

const LATE = {
  request_id: 'late-1',
  timestamp: '2026-03-02T10:00:00Z',
  model: 'gpt-4o-mini',
  input_tokens: 2000,
  output_tokens: 300,
  provider: 'openai',
  department: 'sales',
  reasoning_tokens: 120,
  web_search_calls: 2,
  service_tier: 'flex',
  request_type: 'chat',
  tags: { team: 'north' },
  shard: 7,
};

describe('native JSONL: keys that first appear after the head', () => {
  it('are read as their fields, exactly, and unknown keys still go to tags', async () => {
    await withCatalogDb(async (db) => {
      const path = fileWith([{ ...LATE, reported_cost: '0.123456789012345678' }]);
      // A decimal written as a JSON number keeps its digits too (it never passes through a double).
      writeFileSync(
        path,
        `${JSON.stringify({ ...LATE, request_id: 'late-2', duration_seconds: 12.345678 }).replace('"shard":7', '"shard":7,"reported_cost":0.100000000000000001')}\n`,
        { flag: 'a' },
      );
      const report = await ingest(db, [path]);
      expect([report.files[0]!.rows_loaded, report.files[0]!.rows_rejected]).toEqual([1_002, 0]);
      const late = await db.all<Record<string, string | null>>(
        `SELECT request_id, provider, department, reasoning_tokens::VARCHAR AS reasoning, web_search_calls::VARCHAR AS searches,
           service_tier, request_type, reported_cost::VARCHAR AS reported, duration_seconds::VARCHAR AS duration,
           tags::VARCHAR AS tags, line::VARCHAR AS line
         FROM usage WHERE request_id LIKE 'late-%' ORDER BY request_id`,
      );
      // Both late rows carry the same late keys; they differ in their id, decimals and line.
      const lateKeys = {
        provider: 'openai',
        department: 'sales',
        reasoning: '120',
        searches: '2',
        service_tier: 'flex',
        request_type: 'chat',
        tags: '{"shard":7,"team":"north"}',
      };
      expect(late).toEqual([
        { request_id: 'late-1', ...lateKeys, reported: '0.123456789012345678', duration: null, line: '1001' },
        { request_id: 'late-2', ...lateKeys, reported: '0.100000000000000001', duration: '12.345678', line: '1002' },
      ]);
      // The plain rows are what they were: no provider written, so the catalog's; default counts.
      const plain = await db.one<{ n: string; providers: string; searches: string }>(
        `SELECT count(*)::VARCHAR AS n, string_agg(DISTINCT provider, ',')::VARCHAR AS providers,
           sum(web_search_calls)::VARCHAR AS searches FROM usage WHERE request_id LIKE 'p-%'`,
      );
      expect(plain).toEqual({ n: '1000', providers: 'openai', searches: '0' });
    });
  });

  it('a bad value in a late key rejects its line by number; the other lines load', async () => {
    await withCatalogDb(async (db) => {
      const path = fileWith([{ ...LATE, web_search_calls: -3 }]);
      const report = await ingest(db, [path]);
      const f = report.files[0]!;
      expect([f.rows_loaded, f.rows_rejected]).toEqual([1_000, 1]);
      expect(f.rejects[0]).toMatchObject({ line: 1001 });
      expect(f.rejects[0]!.reason).toMatch(/web_search_calls "-3" must be a whole number/);
    });
  });
});
