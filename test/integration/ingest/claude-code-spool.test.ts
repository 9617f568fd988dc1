// The lines a Claude Code read parses reach DuckDB through one spool file per batch, written a block at a
// time (src/ingest/claude-code-batch.ts): lines spread over several blocks, a line longer than a block,
// and a carriage return inside a line all arrive whole, each row numbered by its own line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { ingest, withCatalogDb } from './ingest-helpers.js';

/** One assistant line of response `id`, with `text` as its content (to make the line long). */
function line(id: string, output: number, text = '') {
  return JSON.stringify({
    cwd: '/home/alice/work/bot',
    sessionId: 'sess-1',
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: '2026-02-12T16:02:51.467Z',
    requestId: `req_${id}`,
    message: {
      model: 'claude-sonnet-4-6',
      id: `msg_${id}`,
      content: [{ type: 'text', text }],
      usage: { input_tokens: 100, output_tokens: output, cache_read_input_tokens: 1000 },
    },
  });
}

describe('ingest: the Claude Code spool', () => {
  it('keeps every line whole across blocks, longer than a block, and with a CR inside', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    // ~3,000 lines of ~2 KB: more than one 4 MiB block.
    for (let i = 0; i < 3000; i++) lines.push(line(`n${i}`, i + 1, 'x'.repeat(2000)));
    // A line of ~5 MiB: longer than a block.
    lines.push(line('long', 7, 'y'.repeat(5 << 20)));
    // A raw CR between two tokens is JSON whitespace: the line is still valid.
    lines.push(line('cr', 9).replace('"type":"assistant"', '"type":\r"assistant"'));
    lines.push(line('last', 11));
    writeFileSync(join(dir, 'sess-1.jsonl'), `${lines.join('\n')}\n`);
    await withCatalogDb(async (db) => {
      const report = await ingest(db, [dir]);
      expect(report.files.map((f) => [f.rows_read, f.rows_loaded, f.rows_rejected])).toEqual([[3003, 3003, 0]]);
      const rows = await db.all<{ k: string; o: string; line: string }>(
        `SELECT request_id AS k, output_tokens::VARCHAR AS o, line::VARCHAR AS line FROM usage
         WHERE request_id IN ('msg_n0:req_n0', 'msg_n2999:req_n2999', 'msg_long:req_long', 'msg_cr:req_cr', 'msg_last:req_last')
         ORDER BY line`,
      );
      expect(rows).toEqual([
        { k: 'msg_n0:req_n0', o: '1', line: '1' },
        { k: 'msg_n2999:req_n2999', o: '3000', line: '3000' },
        { k: 'msg_long:req_long', o: '7', line: '3001' },
        { k: 'msg_cr:req_cr', o: '9', line: '3002' },
        { k: 'msg_last:req_last', o: '11', line: '3003' },
      ]);
      const sum = await db.one<{ o: string }>('SELECT sum(output_tokens)::VARCHAR AS o FROM usage');
      expect(sum?.o).toBe(String((3000 * 3001) / 2 + 7 + 9 + 11));
    });
  });
});
