// The one streaming pass over an input file: content hash and the CSV lines that start no record.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile } from '../../src/ingest/file-scan.js';
import { tempDir } from '../helpers/temp.js';

async function scan(text: string, csv = true) {
  const path = join(tempDir(), 'f.csv');
  writeFileSync(path, text);
  return scanFile(path, { csv });
}

describe('scanFile', () => {
  it.each([
    ['no skips', 'h\na\nb\n', []],
    ['blank line', 'h\na\n\nb\n', [3]],
    ['CRLF blank line', 'h\r\na\r\n\r\nb\r\n', [3]],
    ['quoted newline continues the record', 'h,n\na,"x\ny"\nb,z\n', [3]],
    ['two continuation lines', 'h,n\na,"x\n\ny"\nb,z\n', [3, 4]],
    ['escaped quotes do not end the cell', 'h,n\na,"say ""hi""\nstill"\nb,z\n', [3]],
    ['no trailing newline', 'h\na\n\nb', [3]],
    // #17: a quote inside an unquoted cell is an ordinary character (DuckDB reads `c"d` as is).
    ['stray quote inside an unquoted cell', 'h,n\na,c"d\nb,z\n\nc,w\n', [4]],
    ['stray quote at the end of a cell', 'h,n\na,c"\nb,"x\ny"\n', [4]],
    ['text after a closing quote', 'h,n\na,"ab"c\nb,z\n\n', [4]],
    ['a quoted cell after a stray quote', 'h,n,m\na,c"d,"x\ny"\nb,z,w\n', [3]],
    ['CRLF and a quoted cell at line start', 'h\r\n"x\r\ny"\r\n\r\n', [3, 4]],
  ])('%s', async (_name, text, expected) => {
    expect((await scan(text)).nonRecordLines).toEqual(expected);
  });

  it('keeps its place across read chunks (1 MiB) with a quote on each side of the boundary', async () => {
    const pad = 'p'.repeat((1 << 20) - 6);
    // Line 2 ends in a stray quote just before the chunk boundary; a quoted newline follows after it.
    expect((await scan(`h,n\n${pad},c"\nb,"x\ny"\n\n`)).nonRecordLines).toEqual([4, 5]);
  });

  it('hashes the exact bytes (sha256) and counts the size', async () => {
    const text = 'request_id,timestamp\nr,2026-03-02\n';
    const s = await scan(text, false);
    expect(s.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(s.sizeBytes).toBe(Buffer.byteLength(text));
    expect(s.nonRecordLines).toEqual([]);
  });
});
