// The lines a Claude Code read parses (session-scan.ts picks them in the pass that hashes the file):
// lines that mention "usage", and lines not shaped like an object that are not blank; nothing else.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ReadBefore, scanSession } from '../../src/ingest/session-scan.js';
import { tempDir } from '../helpers/temp.js';

const picked = (path: string, before?: ReadBefore, wholeFile?: boolean) =>
  scanSession(path, before, wholeFile).lines.map((l) => [l.line, l.text.toString('utf8')]);

describe('scanSession lines', () => {
  it('keeps usage lines and broken lines, with their line numbers; skips other objects and blank lines', () => {
    const path = join(tempDir(), 's.jsonl');
    const big = `{"type":"user","pad":"${'x'.repeat(3 << 20)}","message":{"usage":{"input_tokens":1}}}`;
    writeFileSync(
      path,
      [
        '\ufeff{"type":"assistant","message":{"usage":{"input_tokens":1}}}', // BOM: dropped from the text
        '{"type":"progress"}',
        '',
        '   ',
        'not json',
        '{"type":"assistant","message":{"usage":{}}}\r', // CRLF: the CR is not part of the line
        big, // longer than the 1 MiB read chunk: spans several
        '{"a":1,\r"usage":2}', // a CR inside a line does not end it
        '{"truncated":',
        '{"last":"usage"}',
      ].join('\n'),
    );
    const lines = picked(path);
    expect(lines.map(([n]) => n)).toEqual([1, 5, 6, 7, 8, 9, 10]);
    expect(lines[0]![1]).toBe('{"type":"assistant","message":{"usage":{"input_tokens":1}}}');
    expect(lines[1]![1]).toBe('not json');
    expect(lines[2]![1]).toBe('{"type":"assistant","message":{"usage":{}}}');
    expect(lines[3]![1]).toBe(big);
    expect(lines[4]![1]).toBe('{"a":1,\r"usage":2}');
  });

  it('an incomplete last line is left out (and read when reading the file whole); a kept prefix is not read again', () => {
    const path = join(tempDir(), 's.jsonl');
    writeFileSync(path, '{"n":1,"usage":{}}\n{"type":"user"}\n{"n":3,"usage":');
    expect(picked(path).map(([n]) => n)).toEqual([1]);
    expect(picked(path, undefined, true).map(([n]) => n)).toEqual([1, 3]);
    const first = scanSession(path);
    appendFileSync(path, '{}}\n{"n":4,"usage":{}}\n');
    const before = {
      consumedBytes: first.consumedBytes,
      consumedLines: first.consumedLines,
      prefixSha256: first.prefixSha256,
    };
    expect(picked(path, before)).toEqual([
      [3, '{"n":3,"usage":{}}'],
      [4, '{"n":4,"usage":{}}'],
    ]);
    // The first line changed: everything is read again from line 1.
    writeFileSync(path, `{"n":9,"usage":{}}\n{"type":"user"}\n{"n":3,"usage":{}}\n{"n":4,"usage":{}}\n`);
    expect(picked(path, before).map(([n]) => n)).toEqual([1, 3, 4]);
  });
});
