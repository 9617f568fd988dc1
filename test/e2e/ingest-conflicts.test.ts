// A repeated request_id with other content is named on stderr (#17 Low); --json stays the contract.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('ingest: conflicting repeats (e2e)', () => {
  it('says which line repeats which kept row, and how many conflict', () => {
    const path = join(tempDir(), 'rows.jsonl');
    const row = (tokens: number) =>
      JSON.stringify({ request_id: 'r1', timestamp: '2026-03-01T10:00:00Z', model: 'm', input_tokens: tokens });
    writeFileSync(path, `${row(10)}\n${row(10)}\n${row(12)}\n`);
    const r = runCli(['ingest', path, '--json'], { db: initializedDb() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows_loaded: 1, rows_duplicate: 2 });
    expect(r.stderr).toContain(`${path}:3: request_id "r1" repeats the row kept from ${path}:1 with other content`);
    expect(r.stderr).toContain(`${path}: 1 duplicate conflict with the kept row's content`);
  });
});
