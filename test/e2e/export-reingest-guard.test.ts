// #17 Low: `records export` neutralizes cells a spreadsheet would execute (= + - @ get a leading '), and
// ingesting that CSV takes the ' off again: user ids come back exactly as they were.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const USERS = ['=ops', '+1-555-0100', '-admin', '@team', "'=already-quoted", "''+two", '-5', 'plain', "it's"];

describe('export → re-ingest keeps ids that start with = + - @', () => {
  it('the CSV is guarded for spreadsheets and re-ingests unchanged', () => {
    const dir = tempDir();
    const source = join(dir, 'rows.jsonl');
    writeFileSync(
      source,
      `${USERS.map((u, i) => JSON.stringify({ request_id: `r${i}`, timestamp: '2026-03-01T10:00:00Z', model: 'm', input_tokens: i, user_id: u })).join('\n')}\n`,
    );
    const first = initializedDb();
    expect(runCli(['ingest', source], { db: first }).code).toBe(0);
    const csv = join(dir, 'export.csv');
    const exported = runCli(['records', 'export', '--out', csv], { db: first });
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain(",'=ops,");
    expect(text).toContain(",''=already-quoted,");
    expect(text).toContain(',-5,');

    const second = initializedDb();
    const again = runCli(['ingest', csv, '--json'], { db: second });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).files[0].rows_rejected).toBe(0);
    const users = (db: string) =>
      (JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout) as { request_id: string; user_id: string }[])
        .sort((a, b) => a.request_id.localeCompare(b.request_id))
        .map((r) => r.user_id);
    expect(users(second)).toEqual(users(first));
    expect(new Set(users(second))).toEqual(new Set(USERS));
  });
});
