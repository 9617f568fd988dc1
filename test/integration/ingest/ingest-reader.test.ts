// How the readers see a file: JSON Lines read with one parse per line (from_json into a struct), lines far
// longer than DuckDB's default limit, and physical line numbers (a CSV with many lines that start no record,
// where past 200 of them the line mapping switches to a join; billing lines).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, ingest, scalar, withCatalogDb } from './ingest-helpers.js';

const T = '"timestamp":"2026-03-02T09:15:03Z"';

describe('ingest: JSON Lines values', () => {
  it('strings, numbers, nested and unknown keys, blank and non-object lines read as before', async () => {
    const path = join(tempDir(), 'forms.jsonl');
    writeFileSync(
      path,
      [
        `{"request_id":"j-1",${T},"model":"gpt-4o-mini","input_tokens":1200,"output_tokens":"31","user_id":"caf\\u00e9 \\"x\\""}`,
        `   {"request_id":"j-2",${T},"model":"gpt-4o-mini","team":{"name":"blue","size":3},"priority":2,"department":null}`,
        '   ',
        `{"request_id":"j-3",${T},"model":"gpt-4o-mini","tags":{"a":1},"note":"kept"}`,
        '[1,2]',
        `{"request_id":"j-4",${T},"model":"gpt-4o-mini"} trailing`,
        `{"request_id":"j-5","timestamp":1772443503,"model":"gpt-4o-mini","input_tokens":1e3}`,
        '',
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([6, 3, 3]);
      const rows = await db.all<{
        request_id: string;
        line: string;
        input_tokens: string;
        output_tokens: string;
        user_id: string | null;
        tags: string | null;
      }>(
        'SELECT request_id, line::VARCHAR AS line, input_tokens::VARCHAR AS input_tokens, output_tokens::VARCHAR AS output_tokens, user_id, tags::VARCHAR AS tags FROM usage ORDER BY line',
      );
      expect(rows.map((r) => [r.request_id, r.line])).toEqual([
        ['j-1', '1'],
        ['j-2', '2'],
        ['j-3', '4'],
      ]);
      expect([rows[0]!.input_tokens, rows[0]!.output_tokens, rows[0]!.user_id]).toEqual(['1200', '31', 'café "x"']);
      // Unknown keys go to tags with their JSON values; a known key written as null is just absent.
      expect(JSON.parse(rows[1]!.tags!)).toEqual({ team: { name: 'blue', size: 3 }, priority: 2 });
      expect(JSON.parse(rows[2]!.tags!)).toEqual({ a: 1, note: 'kept' });
      const rejects = await db.all<{ line: string; reason: string }>(
        'SELECT line::VARCHAR AS line, reason FROM rejects ORDER BY line',
      );
      expect(rejects).toEqual([
        { line: '5', reason: 'line is not a JSON object' },
        { line: '6', reason: 'broken JSON line (not valid JSON)' },
        { line: '7', reason: 'input_tokens "1000.0" must be a whole number from 0 to 1000000000000000' },
      ]);
    });
  });

  it('decimals keep every digit as written; a nested key of the same name is not the field', async () => {
    const path = join(tempDir(), 'exact.jsonl');
    writeFileSync(
      path,
      [
        `{"request_id":"e-1",${T},"model":"gpt-4o-mini","reported_cost":0.123456789012345678,"duration_seconds":12.345678}`,
        `{"request_id":"e-2",${T},"model":"gpt-4o-mini","meta":{"reported_cost":5},"reported_cost":"0.5"}`,
        `{"request_id":"e-3",${T},"model":"gpt-4o-mini","meta":{"reported_cost":5}}`,
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      await ingest(db, [path]);
      const rows = await db.all<{ request_id: string; c: string | null; d: string | null }>(
        'SELECT request_id, reported_cost::VARCHAR AS c, duration_seconds::VARCHAR AS d FROM usage ORDER BY request_id',
      );
      expect(rows).toEqual([
        { request_id: 'e-1', c: '0.123456789012345678', d: '12.345678' },
        { request_id: 'e-2', c: '0.500000000000000000', d: null },
        { request_id: 'e-3', c: null, d: null },
      ]);
    });
  });

  it('an unknown key is found whatever the line’s commas (the count that spares most lines a second parse)', async () => {
    const path = join(tempDir(), 'keys.jsonl');
    writeFileSync(
      path,
      [
        // Exactly one comma per key boundary: 4 keys, 3 values present, 3 commas.
        `{"request_id":"k-1",${T},"model":"gpt-4o-mini","zz":1}`,
        // A known key written as null and an unknown key with no comma of its own beyond the separators.
        `{"request_id":"k-2",${T},"model":"gpt-4o-mini","department":null,"zz":"a"}`,
        // Commas inside values and nested objects (more commas than keys): still only the real extra key.
        `{"request_id":"k-3",${T},"model":"gpt-4o-mini","user_id":"a,b,c","zz":{"x":[1,2,3]}}`,
        // No unknown key: every key known and present, commas inside a value.
        `{"request_id":"k-4",${T},"model":"gpt-4o-mini","user_id":"a,b"}`,
        `{"request_id":"k-5",${T},"model":"gpt-4o-mini"}`,
        `{${T},"model":"gpt-4o-mini","input_tokens":7,"a":1}`,
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      await ingest(db, [path]);
      const rows = await db.all<{ request_id: string; user_id: string | null; tags: string | null }>(
        'SELECT request_id, user_id, tags::VARCHAR AS tags FROM usage ORDER BY line',
      );
      expect(rows.map((r) => [r.request_id.startsWith('sha256:') ? 'sha' : r.request_id, r.user_id])).toEqual([
        ['k-1', null],
        ['k-2', null],
        ['k-3', 'a,b,c'],
        ['k-4', 'a,b'],
        ['k-5', null],
        ['sha', null],
      ]);
      expect(rows.map((r) => (r.tags === null ? null : JSON.parse(r.tags)))).toEqual([
        { zz: 1 },
        { zz: 'a' },
        { zz: { x: [1, 2, 3] } },
        null,
        null,
        { a: 1 },
      ]);
    });
  });

  it('a line of several MiB (past DuckDB’s default line limit) loads with the others', async () => {
    const path = join(tempDir(), 'long.jsonl');
    const long = 'x'.repeat(5 * 1024 * 1024);
    writeFileSync(
      path,
      [
        `{"request_id":"l-1",${T},"model":"gpt-4o-mini","input_tokens":1}`,
        `{"request_id":"l-2",${T},"model":"gpt-4o-mini","input_tokens":2,"note":"${long}"}`,
        `{"request_id":"l-3",${T},"model":"gpt-4o-mini","input_tokens":3}`,
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([3, 3, 0]);
      expect(await scalar(db, "SELECT length(tags->>'note')::VARCHAR FROM usage WHERE request_id = 'l-2'")).toBe(
        String(long.length),
      );
    });
  });
});

describe('ingest: CSV line numbers', () => {
  it('keep their physical lines past 200 lines that start no record', async () => {
    const path = join(tempDir(), 'gaps.csv');
    const lines = ['request_id,timestamp,model,input_tokens'];
    const expected: [string, number][] = [];
    let rejectLine = 0;
    for (let i = 1; i <= 300; i++) {
      lines.push(`g-${i},2026-03-02T09:15:03Z,gpt-4o-mini,${i === 150 ? 'x' : i}`);
      if (i === 150) rejectLine = lines.length;
      else expected.push([`g-${i}`, lines.length]);
      lines.push(''); // a blank line after every record
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    await withCatalogDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([300, 299, 1]);
      const rows = await db.all<{ request_id: string; line: string }>(
        'SELECT request_id, line FROM usage ORDER BY usage.line',
      );
      expect(rows.map((r) => [r.request_id, Number(r.line)])).toEqual(expected);
      expect(await scalar(db, 'SELECT line::VARCHAR FROM rejects')).toBe(String(rejectLine));
    });
  });
});

describe('ingest: billing lines', () => {
  it('keep their physical lines (staged tables are numbered outside the file’s transaction)', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [join(FIXTURES, 'focus', 'focus-1.2-ai.csv')]);
      const lines = await db.all<{ line: string }>(
        'SELECT line::VARCHAR AS line FROM billing_lines ORDER BY billing_lines.line',
      );
      expect(lines.map((r) => Number(r.line))).toEqual([2, 3, 4, 5, 6, 7, 8]);
    });
  });
});

describe('ingest: staging', () => {
  it('leaves no scratch tables behind, after a load or a --strict failure', async () => {
    const good = join(tempDir(), 'good.csv');
    writeFileSync(good, 'request_id,timestamp,model\ns-1,2026-03-02T09:15:03Z,gpt-4o-mini\ns-x,too,many,cells\n');
    const bad = join(tempDir(), 'bad.jsonl');
    writeFileSync(bad, `{"request_id":"s-2",${T},"model":"gpt-4o-mini"}\n{"request_id":"s-3","model":"gpt-4o-mini"}\n`);
    await withCatalogDb(async (db) => {
      await ingest(db, [good]);
      await expect(ingest(db, [bad], { strict: true })).rejects.toThrow(/--strict/);
      const left = await db.all<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = 'temp'",
      );
      expect(left).toEqual([]);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('1');
    });
  });
});
