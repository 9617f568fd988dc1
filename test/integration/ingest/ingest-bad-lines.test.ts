// #17: a JSON Lines line that is not UTF-8, or longer than the reader's 16 MiB, is a reject with its own
// line number and the rest of the file loads (it failed the whole file before); a line of spaces and tabs
// is blank, not broken JSON.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest, scalar } from './ingest-helpers.js';

const row = (id: string, extra = '') =>
  `{"request_id":"${id}","timestamp":"2026-03-01T10:00:00Z","model":"m","input_tokens":1${extra}}`;

function file(name: string, parts: (string | Buffer)[]): string {
  const path = join(tempDir(), name);
  writeFileSync(path, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  return path;
}

const LATIN1 = Buffer.from('{"request_id":"r2","timestamp":"2026-03-01T10:00:00Z","model":"caf\xe9"}\n', 'latin1');

describe('JSON Lines lines the reader cannot take', () => {
  it('a line with non-UTF-8 bytes is rejected by its line; the lines after it load', async () => {
    const path = file('latin1.jsonl', [`${row('r1')}\n`, LATIN1, `\n${row('r4')}\n`, LATIN1, `${row('r6')}\n`]);
    await withTempDb(async (db) => {
      const report = await ingest(db, [path]);
      const f = report.files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([5, 3, 2]);
      expect(f.rejects.map((r) => r.line)).toEqual([2, 5]);
      expect(f.rejects[0]!.reason).toBe(
        'line is not UTF-8 text (byte 0xe9 at byte 67 of the line); save the file as UTF-8',
      );
      expect(f.rejects[0]!.raw).toContain('"model":"caf\uFFFD"');
      expect(await scalar(db, "SELECT string_agg(request_id, ',' ORDER BY request_id) FROM usage")).toBe('r1,r4,r6');
      // Kept for `rejects list`, and the ledger counts them.
      expect(await scalar(db, "SELECT string_agg(line::VARCHAR, ',' ORDER BY line) FROM rejects")).toBe('2,5');
      expect(await scalar(db, 'SELECT rows_rejected::VARCHAR FROM ingest_files')).toBe('2');
    });
  });

  it('a line over 16 MiB is rejected by its line; one of exactly 16 MiB - 1 bytes loads', async () => {
    const sized = (id: string, bytes: number) => {
      const base = row(id, ',"user_id":""');
      return row(id, `,"user_id":"${'x'.repeat(bytes - base.length)}"`);
    };
    const path = file('long.jsonl', [
      `${row('a')}\n${sized('long', 16 * 1024 * 1024)}\n${sized('max', 16 * 1024 * 1024 - 1)}\n${row('b')}`,
    ]);
    await withTempDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect(f.rejects.map((r) => [r.line, r.reason])).toEqual([
        [
          2,
          'line is 16777216 bytes long; one record may be at most 16777215 bytes (16 MiB): split the record or drop it',
        ],
      ]);
      expect(f.rejects[0]!.raw?.length).toBeLessThanOrEqual(513);
      expect(await scalar(db, "SELECT string_agg(request_id, ',' ORDER BY request_id) FROM usage")).toBe('a,b,max');
    });
  });

  it('works for the other line formats (Claude Code logs)', async () => {
    const line = (uuid: string, model: string) =>
      `{"cwd":"/home/alice/x","sessionId":"s1","version":"2.1.39","message":{"model":"${model}","id":"msg_${uuid}","type":"message","role":"assistant","usage":{"input_tokens":20,"output_tokens":30}},"requestId":"req_${uuid}","type":"assistant","uuid":"${uuid}","timestamp":"2026-03-02T09:00:30.000Z"}\n`;
    const bad = Buffer.from(line('u2', 'claude-\xff'), 'latin1');
    const path = file('session.jsonl', [line('u1', 'claude-haiku-4-5'), bad, line('u3', 'claude-haiku-4-5')]);
    await withTempDb(async (db) => {
      const f = (await ingest(db, [path], { format: 'claude-code' })).files[0]!;
      expect([f.rows_loaded, f.rows_rejected]).toEqual([2, 1]);
      expect(f.rejects[0]!.line).toBe(2);
    });
  });

  it('Claude Code: a bad line in the appended tail of a grown session file is rejected by its line in the file', async () => {
    const line = (uuid: string) =>
      `{"cwd":"/home/alice/x","sessionId":"s1","version":"2.1.39","message":{"model":"claude-haiku-4-5","id":"msg_${uuid}","type":"message","role":"assistant","usage":{"input_tokens":20,"output_tokens":30}},"requestId":"req_${uuid}","type":"assistant","uuid":"${uuid}","timestamp":"2026-03-02T09:00:30.000Z"}\n`;
    const path = file('grown.jsonl', [line('u1'), line('u2')]);
    await withTempDb(async (db) => {
      expect((await ingest(db, [path], { format: 'claude-code' })).files[0]!.rows_loaded).toBe(2);
      appendFileSync(
        path,
        Buffer.concat([Buffer.from(line('u3')), Buffer.from(line('u4-\xff'), 'latin1'), Buffer.from(line('u5'))]),
      );
      const f = (await ingest(db, [path], { format: 'claude-code' })).files[0]!;
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([3, 2, 1]);
      expect(f.rejects.map((r) => [r.line, r.reason.slice(0, 24)])).toEqual([[4, 'line is not UTF-8 text (']]);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('4');
    });
  });

  it('--strict still refuses the whole file', async () => {
    const path = file('strict.jsonl', [`${row('r1')}\n`, LATIN1]);
    await withTempDb(async (db) => {
      await expect(ingest(db, [path], { strict: true })).rejects.toThrow(/strict\.jsonl:2: line is not UTF-8 text/);
      expect(await scalar(db, 'SELECT count(*)::VARCHAR FROM usage')).toBe('0');
    });
  });

  it('a line of spaces and tabs is blank, not broken JSON', async () => {
    const path = file('ws.jsonl', [`${row('r1')}\n \t \n\t\n\t${row('r4')}\nnope\n`]);
    await withTempDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect(f.rejects.map((r) => [r.line, r.reason])).toEqual([[5, 'broken JSON line (not valid JSON)']]);
      expect([f.rows_read, f.rows_loaded]).toEqual([3, 2]);
    });
  });
  it('CSV: a stray quote inside an unquoted cell does not shift the lines of later rejects', async () => {
    const t = '2026-01-01T00:00:00Z';
    const rows = ['a', 'c"d', '"say ""hi"""', '', 'e', 'f"', 'g'];
    const counts = ['1', '2', '3', '', 'x', '6', 'y'];
    const lines = rows.map((u, i) => (u === '' ? '' : `${t},m,${counts[i]},${u}`));
    const path = file('stray.csv', [`timestamp,model,input_tokens,user_id\n${lines.join('\n')}\n`]);
    await withTempDb(async (db) => {
      const f = (await ingest(db, [path])).files[0]!;
      expect(f.rejects.map((r) => r.line)).toEqual([6, 8]);
      expect(await scalar(db, "SELECT string_agg(user_id, ' ' ORDER BY input_tokens) FROM usage")).toBe(
        'a c"d say "hi" f"',
      );
    });
  });
});
