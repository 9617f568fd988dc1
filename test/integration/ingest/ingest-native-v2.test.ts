// Usage log version 2 (the usage-log contract, version 2): the breakdowns, per-call units and served variant
// are stored as written, from JSONL and CSV alike; a breakdown larger than its total, or a negative or
// fractional one, rejects its row with the line and the reason, and the other rows still load.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

const V2 = [
  'reasoning_tokens',
  'audio_input_tokens',
  'image_input_tokens',
  'audio_output_tokens',
  'image_output_tokens',
  'images',
  'web_search_calls',
  'service_tier',
  'speed',
  'region',
];

const base = { timestamp: '2026-03-02T09:00:00Z', model: 'gpt-4o-audio-preview' };
const GOOD = [
  {
    request_id: 'ok-1',
    ...base,
    input_tokens: 1000,
    output_tokens: 800,
    reasoning_tokens: 300,
    audio_input_tokens: 600,
    image_input_tokens: 400,
    audio_output_tokens: 200,
    image_output_tokens: 300,
    images: 2,
    web_search_calls: 3,
    service_tier: 'priority',
    speed: 'fast',
    region: 'us',
  },
  // an unknown tier is stored as given (priced as standard)
  { request_id: 'ok-2', ...base, input_tokens: 10, output_tokens: 10, service_tier: 'turbo-gold' },
  // version 1 rows are version 2 rows: every new count 0, variants unknown
  { request_id: 'ok-3', ...base, input_tokens: 10, output_tokens: 10 },
];
const BAD: [Record<string, unknown>, string][] = [
  [
    { request_id: 'bad-1', ...base, output_tokens: 500, reasoning_tokens: 900 },
    'reasoning_tokens + audio_output_tokens + image_output_tokens (900) must not exceed output_tokens (500): a breakdown is part of its total',
  ],
  [
    { request_id: 'bad-2', ...base, input_tokens: 100, audio_input_tokens: 60, image_input_tokens: 50 },
    'audio_input_tokens + image_input_tokens (110) must not exceed input_tokens (100): a breakdown is part of its total',
  ],
  [
    { request_id: 'bad-3', ...base, web_search_calls: -1 },
    'web_search_calls "-1" must be a whole number from 0 to 1000000000000000',
  ],
  [{ request_id: 'bad-4', ...base, images: 1.5 }, 'images "1.5" must be a whole number from 0 to 1000000000000000'],
];

const expected = [
  ['ok-1', '300', '600', '400', '200', '300', '2', '3', 'priority', 'fast', 'us'],
  ['ok-2', '0', '0', '0', '0', '0', '0', '0', 'turbo-gold', null, null],
  ['ok-3', '0', '0', '0', '0', '0', '0', '0', null, null, null],
];

async function stored(path: string) {
  return withCatalogDb(async (db) => {
    const report = await ingest(db, [path]);
    const f = report.files[0]!;
    const rows = await db.all<Record<string, string | null>>(
      `SELECT request_id, ${V2.map((c) => `${c}::VARCHAR AS ${c}`).join(', ')} FROM usage ORDER BY request_id`,
    );
    return {
      loaded: f.rows_loaded,
      rejects: f.rejects.map((r) => [r.line, r.reason]),
      rows: rows.map((r) => [r.request_id, ...V2.map((c) => r[c] ?? null)]),
    };
  });
}

describe('ingest: usage log v2 fields', () => {
  it('JSONL: stored as written; breakdowns over their total rejected with line and reason', async () => {
    const path = join(tempDir(), 'v2.jsonl');
    writeFileSync(path, [...GOOD, ...BAD.map(([row]) => row)].map((r) => JSON.stringify(r)).join('\n'));
    const r = await stored(path);
    expect(r.loaded).toBe(3);
    expect(r.rows).toEqual(expected);
    expect(r.rejects).toEqual(BAD.map(([, reason], i) => [GOOD.length + i + 1, reason]));
  });

  it('CSV: the same rows, the same result', async () => {
    const cols = ['request_id', 'timestamp', 'model', 'input_tokens', 'output_tokens', ...V2];
    const rows = [...GOOD, ...BAD.map(([row]) => row)] as Record<string, unknown>[];
    const path = join(tempDir(), 'v2.csv');
    writeFileSync(
      path,
      [
        cols.join(','),
        ...rows.map((row) => cols.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',')),
      ].join('\n'),
    );
    const r = await stored(path);
    expect(r.loaded).toBe(3);
    expect(r.rows).toEqual(expected);
    // CSV line numbers count the header
    expect(r.rejects).toEqual(BAD.map(([, reason], i) => [GOOD.length + i + 2, reason]));
  });
});
