// Claude Code session files read only as far as they are new (#20): a file that grew is read from where
// the last read ended, one replaced by a shorter file or changed before that point is read again from its
// first line, and every response is stored exactly once with its final usage. Lines shaped like the real
// transcripts (fixtures/samples/claude-code/spotter), written by the test.
import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest, scalar, withCatalogDb } from './ingest-helpers.js';

/** One assistant line of response `id` (output grows as a response streams). */
function line(id: string, output = 10, ts = '2026-02-12T16:02:51.467Z') {
  return `${JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/alice/work/bot',
    sessionId: 'sess-1',
    version: '2.1.39',
    type: 'assistant',
    uuid: `u-${id}-${output}`,
    timestamp: ts,
    requestId: `req_${id}`,
    message: {
      model: 'claude-sonnet-4-6',
      id: `msg_${id}`,
      usage: { input_tokens: 100, output_tokens: output, cache_read_input_tokens: 1000 },
    },
  })}\n`;
}
const other = `${JSON.stringify({ type: 'user', sessionId: 'sess-1', uuid: 'u-x', message: { content: 'hi' } })}\n`;

/** Every stored row: key and output tokens; and that no key is stored twice. */
async function rows(db: Db) {
  expect(await scalar(db, 'SELECT (count(*) - count(DISTINCT request_id))::VARCHAR FROM usage')).toBe('0');
  return db.all<{ k: string; o: string; line: string }>(
    'SELECT request_id AS k, output_tokens::VARCHAR AS o, line::VARCHAR AS line FROM usage ORDER BY request_id',
  );
}

describe('ingest: Claude Code files read as far as they are new', () => {
  it('a grown file: only its tail is read, a response cut by the last read gets its final usage', async () => {
    const dir = tempDir();
    const path = join(dir, 'sess-1.jsonl');
    writeFileSync(path, line('A') + other + line('B', 5));
    await withCatalogDb(async (db) => {
      const first = await ingest(db, [dir]);
      expect(first.files.map((f) => [f.rows_read, f.rows_loaded])).toEqual([[2, 2]]);
      // B was still streaming: its later line has the final output; C is new.
      appendFileSync(path, line('B', 300) + other + line('C'));
      const second = await ingest(db, [dir]);
      expect(second.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_duplicate])).toEqual([[2, 2, 0]]);
      expect(second.files[0]!.restated.map((r) => r.rows)).toEqual([1]);
      expect(await rows(db)).toEqual([
        { k: 'msg_A:req_A', o: '10', line: '1' },
        { k: 'msg_B:req_B', o: '300', line: '4' },
        { k: 'msg_C:req_C', o: '10', line: '6' },
      ]);
      // The earlier figures of B are kept as a revision.
      expect(await scalar(db, 'SELECT output_tokens::VARCHAR FROM usage_revisions')).toBe('5');
      const third = await ingest(db, [dir]);
      expect([third.files.length, third.unchanged]).toEqual([0, 1]);
      // Touched only: the prefix hash says nothing changed, nothing is read.
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
      const touched = await ingest(db, [dir]);
      expect([touched.files.length, touched.unchanged]).toEqual([0, 1]);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('3');
    });
  });

  it('a file replaced by a shorter one is read again from its first line: new keys once, old rows kept', async () => {
    const dir = tempDir();
    const path = join(dir, 'sess-1.jsonl');
    writeFileSync(path, line('A') + line('B') + line('C') + line('D'));
    await withCatalogDb(async (db) => {
      await ingest(db, [dir]);
      writeFileSync(path, line('B') + line('E'));
      const r = await ingest(db, [dir]);
      expect(r.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_duplicate])).toEqual([[2, 1, 1]]);
      expect((await rows(db)).map((x) => `${x.k}@${x.line}`)).toEqual([
        'msg_A:req_A@1',
        'msg_B:req_B@2',
        'msg_C:req_C@3',
        'msg_D:req_D@4',
        'msg_E:req_E@2',
      ]);
      // It grows again: only the tail after the shorter file's end is read.
      appendFileSync(path, line('F'));
      const again = await ingest(db, [dir]);
      expect(again.files.map((f) => [f.rows_read, f.rows_loaded])).toEqual([[1, 1]]);
      expect(await scalar(db, "SELECT line::VARCHAR FROM usage WHERE request_id = 'msg_F:req_F'")).toBe('3');
    });
  });

  it('a file whose middle changed (same or larger size) is read again whole, without duplicates or losses', async () => {
    const dir = tempDir();
    const path = join(dir, 'sess-1.jsonl');
    writeFileSync(path, line('A') + line('B') + line('C'));
    await withCatalogDb(async (db) => {
      await ingest(db, [dir]);
      // Same length, B replaced by G, then a line appended: a tail read would miss G.
      writeFileSync(path, line('A') + line('G') + line('C') + line('H'));
      const r = await ingest(db, [dir]);
      expect(r.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_duplicate])).toEqual([[4, 2, 2]]);
      expect((await rows(db)).map((x) => x.k)).toEqual([
        'msg_A:req_A',
        'msg_B:req_B',
        'msg_C:req_C',
        'msg_G:req_G',
        'msg_H:req_H',
      ]);
      // Same size and modification time as the last read: not opened again.
      expect((await ingest(db, [dir])).unchanged).toBe(1);
    });
  });

  it('a last line still being written is left for the next read, then read once complete', async () => {
    const dir = tempDir();
    const path = join(dir, 'sess-1.jsonl');
    const cut = line('B');
    writeFileSync(path, line('A') + cut.slice(0, 40));
    await withCatalogDb(async (db) => {
      const first = await ingest(db, [dir]);
      expect(first.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_rejected])).toEqual([[1, 1, 0]]);
      expect(first.incomplete).toEqual([{ path, line: 2 }]);
      appendFileSync(path, cut.slice(40));
      const second = await ingest(db, [dir]);
      expect(second.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_rejected])).toEqual([[1, 1, 0]]);
      expect(second.incomplete).toEqual([]);
      expect((await rows(db)).map((x) => `${x.k}@${x.line}`)).toEqual(['msg_A:req_A@1', 'msg_B:req_B@2']);
    });
  });

  it('many files in one read: positions per file, a dry run stores none', async () => {
    const dir = tempDir();
    for (const s of ['1', '2', '3']) writeFileSync(join(dir, `s${s}.jsonl`), line(`A${s}`) + line(`B${s}`));
    await withCatalogDb(async (db) => {
      const dry = await ingest(db, [dir], { dryRun: true });
      expect(dry.files.map((f) => f.rows_loaded)).toEqual([2, 2, 2]);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM ingest_file_positions')).toBe('0');
      const r = await ingest(db, [dir]);
      expect(r.files.map((f) => f.rows_loaded)).toEqual([2, 2, 2]);
      appendFileSync(join(dir, 's2.jsonl'), line('C2'));
      const again = await ingest(db, [dir]);
      expect([again.files.map((f) => [f.path.slice(dir.length + 1), f.rows_loaded]), again.unchanged]).toEqual([
        [['s2.jsonl', 1]],
        2,
      ]);
      // Each read is a ledger entry with its own rows: the ledger still adds up (rows per entry).
      expect(
        await scalar(
          db,
          `SELECT count(*)::VARCHAR FROM ingest_files f
           WHERE rows_loaded <> (SELECT count(*) FROM usage u WHERE u.file_id = f.id)`,
        ),
      ).toBe('0');
    });
  });
});
