// #17 Low: a repeated request_id is a duplicate (the first row is kept); when its content differs it is a
// conflict: counted and named, not kept silently. An exact repeat is no conflict.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest } from './ingest-helpers.js';

const row = (id: string, tokens: number, user = 'ana') =>
  JSON.stringify({
    request_id: id,
    timestamp: '2026-03-01T10:00:00Z',
    model: 'm',
    input_tokens: tokens,
    user_id: user,
  });

function jsonl(name: string, lines: string[]): string {
  const path = join(tempDir(), name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('a repeated request_id with other content', () => {
  it('inside one file: the first line is kept, the differing repeat named with the kept line', async () => {
    const path = jsonl('a.jsonl', [row('r1', 10), row('r2', 5), row('r1', 10), row('r1', 99), row('r2', 5, 'bob')]);
    await withTempDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect([f.rows_loaded, f.rows_duplicate]).toEqual([2, 3]);
      expect(f.conflicts.count).toBe(2);
      expect(f.conflicts.first).toEqual([
        { line: 4, request_id: 'r1', kept_file: path, kept_line: 1 },
        { line: 5, request_id: 'r2', kept_file: path, kept_line: 2 },
      ]);
    });
  });

  it('against a stored row: named with the file it was stored from; an exact re-ingest has none', async () => {
    const first = jsonl('first.jsonl', [row('r1', 10), row('r2', 5)]);
    const later = jsonl('later.jsonl', [row('r2', 5), row('r1', 11)]);
    await withTempDb(async (db) => {
      await ingest(db, [first]);
      const f = (await ingest(db, [later])).files[0]!;
      expect(f.rows_duplicate).toBe(2);
      expect(f.conflicts).toEqual({ count: 1, first: [{ line: 2, request_id: 'r1', kept_file: first, kept_line: 1 }] });
      const again = jsonl('again.jsonl', [row('r1', 10), row('r2', 5), '']);
      expect((await ingest(db, [again])).files[0]!.conflicts.count).toBe(0);
    });
  });
});
