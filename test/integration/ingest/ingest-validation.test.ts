// The native field rules, one value per row, table-driven through the real pipeline (SQL validation).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest } from './ingest-helpers.js';

const TOKENS: [string, string | null][] = [
  ['"1200"', '1200'],
  ['1200', '1200'],
  ['" 5 "', '5'],
  ['"+7"', '7'],
  ['0', '0'],
  ['"1e3"', null],
  ['"0x10"', null],
  ['"1_000"', null],
  ['1.5', null],
  ['-3', null],
  ['"-0"', null],
  ['9223372036854775808', null],
  ['"abc"', null],
];

const TIMES: [string, string | null][] = [
  ['"2026-03-02T09:15:03Z"', '2026-03-02 09:15:03'],
  ['"2026-03-02T09:15:03+02:00"', '2026-03-02 07:15:03'],
  ['"2026-03-02T09:15:03-0500"', '2026-03-02 14:15:03'],
  ['"2026-03-02 09:15"', '2026-03-02 09:15:00'],
  ['"2026-03-02"', '2026-03-02 00:00:00'],
  ['1772443503', '2026-03-02 09:25:03'],
  ['"1772443503.5"', '2026-03-02 09:25:03.5'],
  ['1772443503123', '2026-03-02 09:25:03.123'],
  ['"2026-02-31T00:00:00Z"', null],
  ['"02/03/2026"', null],
  ['"yesterday"', null],
];

async function run(field: string, cases: [string, string | null][], column: string) {
  const dir = tempDir();
  const path = join(dir, 'cases.jsonl');
  const lines = cases.map(([value], i) =>
    field === 'timestamp'
      ? `{"request_id":"c${i}","timestamp":${value},"model":"m"}`
      : `{"request_id":"c${i}","timestamp":"2026-03-02T00:00:00Z","model":"m","${field}":${value}}`,
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return withTempDb(async (db) => {
    const report = await ingest(db, [path]);
    const stored = new Map(
      (await db.all<{ request_id: string; v: string }>(`SELECT request_id, ${column}::VARCHAR AS v FROM usage`)).map(
        (r) => [r.request_id, r.v],
      ),
    );
    return { report, stored };
  });
}

describe('native field rules', () => {
  it('token counts: whole numbers ≥ 0 only (DuckDB’s own cast would take 1e3, 0x10, 1_000)', async () => {
    const { report, stored } = await run('input_tokens', TOKENS, 'input_tokens');
    for (const [i, [value, expected]] of TOKENS.entries()) expect(stored.get(`c${i}`) ?? null, value).toBe(expected);
    const rejects = report.files[0]!.rejects;
    expect(rejects.map((r) => r.line)).toEqual(TOKENS.map((c, i) => (c[1] === null ? i + 1 : -1)).filter((x) => x > 0));
    expect(rejects[0]!.reason).toMatch(/^input_tokens "1e3" must be a whole number from 0 to 1000000000000000$/);
  });

  it('timestamps: ISO 8601 with offset or Z, no offset = UTC, epoch seconds or ms; stored as UTC', async () => {
    const { stored } = await run('timestamp', TIMES, 'ts');
    for (const [i, [value, expected]] of TIMES.entries()) expect(stored.get(`c${i}`) ?? null, value).toBe(expected);
  });
});
