// The edge every format checks (domain/ingest-bounds.ts): instants from 1970 to 2099, offsets that
// exist, counts up to 10^15. One bad row is a reject naming its line; the rest of the file loads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, ingest, scalar } from './ingest-helpers.js';

const RANGE = 'is outside the accepted range 1970-01-01 to 2099-12-31 (UTC)';
const COUNT = 'must be a whole number from 0 to 1000000000000000';

// [timestamp as written in JSON, stored ts or null (rejected)]
const TIMES: [string, string | null][] = [
  ['"0000-01-01T00:00:00Z"', null],
  ['"0001-01-01T00:00:00Z"', null],
  ['"1899-12-31T00:00:00Z"', null],
  ['"1969-12-31T23:59:59Z"', null],
  ['"1970-01-01T00:00:00Z"', '1970-01-01 00:00:00'],
  ['"2099-12-31T23:59:59Z"', '2099-12-31 23:59:59'],
  ['"2100-01-01T00:00:00Z"', null],
  ['"9999-12-31T00:00:00Z"', null],
  ['99999999999', null], // epoch seconds of year 5138
  ['"2026-03-02T09:15:03+25:00"', null],
  ['"2026-03-02T09:15:03+05:99"', null],
  ['"2026-03-02T09:15:03+14:00"', '2026-03-01 19:15:03'],
  ['"2026-03-02T09:15:03-12:00"', '2026-03-02 21:15:03'],
];

const COUNTS: [string, string | null][] = [
  ['1000000000000000', '1000000000000000'],
  ['1000000000000001', null],
  ['9223372036854775807', null],
];

function jsonl(lines: string[]): string {
  const path = join(tempDir(), 'rows.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('instants and counts at the edge (native usage)', () => {
  it('timestamps outside 1970–2099 and offsets that do not exist are rejected by line', async () => {
    const path = jsonl(TIMES.map(([t], i) => `{"request_id":"t${i}","timestamp":${t},"model":"m"}`));
    await withTempDb(async (db) => {
      const report = await ingest(db, [path]);
      const stored = new Map(
        (await db.all<{ id: string; ts: string }>('SELECT request_id AS id, ts::VARCHAR AS ts FROM usage')).map((r) => [
          r.id,
          r.ts,
        ]),
      );
      for (const [i, [t, expected]] of TIMES.entries()) expect(stored.get(`t${i}`) ?? null, t).toBe(expected);
      const reasons = new Map(report.files[0]!.rejects.map((r) => [r.line, r.reason]));
      expect(reasons.get(1)).toBe(`timestamp "0000-01-01T00:00:00Z" ${RANGE}`);
      expect(reasons.get(9)).toBe(`timestamp "99999999999" ${RANGE}`);
      expect(reasons.get(10)).toMatch(/^timestamp "2026-03-02T09:15:03\+25:00" is not an ISO 8601 timestamp/);
    });
  });

  it('counts over 10^15 are rejected; the sums of what is stored stay exact', async () => {
    const lines = COUNTS.flatMap(([n], i) => [
      `{"request_id":"i${i}","timestamp":"2026-03-02T00:00:00Z","model":"m","input_tokens":${n}}`,
      `{"request_id":"o${i}","timestamp":"2026-03-02T00:00:00Z","model":"m","output_tokens":${n},"input_tokens":${n}}`,
    ]);
    await withTempDb(async (db) => {
      const report = await ingest(db, [jsonl(lines)]);
      expect(report.files[0]!.rows_loaded).toBe(2);
      expect(report.files[0]!.rejects.map((r) => r.line)).toEqual([3, 4, 5, 6]);
      expect(report.files[0]!.rejects[0]!.reason).toBe(`input_tokens "1000000000000001" ${COUNT}`);
      // Every token column added per row, then summed: 3 × 10^15, no overflow.
      expect(await scalar(db, 'SELECT sum(input_tokens + output_tokens)::VARCHAR FROM usage')).toBe('3000000000000000');
    });
  });

  it('CSV: a year-0 row and a 2^63-1 count are rejected, the good row loads', async () => {
    const path = join(tempDir(), 'rows.csv');
    writeFileSync(
      path,
      'request_id,timestamp,model,input_tokens\na,0000-01-01T00:00:00Z,m,1\nb,2026-03-02T00:00:00Z,m,9223372036854775807\nc,2026-03-02T00:00:00Z,m,5\n',
    );
    await withTempDb(async (db) => {
      const report = await ingest(db, [path]);
      expect(report.files[0]!.rows_loaded).toBe(1);
      expect(report.files[0]!.rejects.map((r) => [r.line, r.reason])).toEqual([
        [2, `timestamp "0000-01-01T00:00:00Z" ${RANGE}`],
        [3, `input_tokens "9223372036854775807" ${COUNT}`],
      ]);
    });
  });
});

describe('instants and counts at the edge (billing and provider reports)', () => {
  it('FOCUS: a charge period outside 1970–2099 is rejected by line', async () => {
    const [header, first] = readFileSync(join(FIXTURES, 'focus', 'focus-overlap.csv'), 'utf8').split('\n');
    const path = join(tempDir(), 'focus.csv');
    const year = (y: string, id: string) => first!.replace(/^9001/, id).replaceAll('2026-03-0', `${y}-03-0`);
    writeFileSync(path, `${header}\n${year('0001', '1')}\n${year('2100', '2')}\n${year('2026', '3')}\n`);
    await withTempDb(async (db) => {
      const report = await ingest(db, [path]);
      expect(report.files[0]!.rows_loaded).toBe(1);
      expect(report.files[0]!.rejects.map((r) => [r.line, r.reason])).toEqual([
        [2, `ChargePeriodStart "0001-03-02T00:00:00Z" ${RANGE}`],
        [3, `ChargePeriodStart "2100-03-02T00:00:00Z" ${RANGE}`],
      ]);
    });
  });

  it('OpenAI costs page: a bucket in year 5138 is rejected; Anthropic usage: a count over 10^15 is', async () => {
    const costs = JSON.parse(readFileSync(join(FIXTURES, 'openai', 'costs-page.json'), 'utf8'));
    costs.data[0].start_time = 99999999999;
    const usage = readFileSync(join(FIXTURES, 'anthropic', 'usage-report.json'), 'utf8').replace(
      '"output_tokens": 400',
      '"output_tokens": 9223372036854775807',
    );
    const dir = tempDir();
    writeFileSync(join(dir, 'costs.json'), JSON.stringify(costs));
    writeFileSync(join(dir, 'usage.json'), usage);
    await withTempDb(async (db) => {
      const c = (await ingest(db, [join(dir, 'costs.json')])).files[0]!;
      expect(c.rows_rejected).toBeGreaterThan(0);
      expect(c.rejects[0]!.reason).toMatch(new RegExp(`start_time 99999999999 ${RANGE.replace(/[()]/g, '\\$&')}`));
      expect(c.rows_loaded).toBeGreaterThan(0);
      const u = (await ingest(db, [join(dir, 'usage.json')])).files[0]!;
      expect(u.rejects.map((r) => r.reason)).toEqual([
        `data[0].results[0]: output_tokens 9223372036854775807 is larger than 1000000000000000 (the most one row may carry)`,
      ]);
      expect(u.rows_loaded).toBeGreaterThan(0);
    });
  });
});
