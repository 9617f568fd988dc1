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
  ])('%s', async (_name, text, expected) => {
    expect((await scan(text)).nonRecordLines).toEqual(expected);
  });

  it('hashes the exact bytes (sha256) and counts the size', async () => {
    const text = 'request_id,timestamp\nr,2026-03-02\n';
    const s = await scan(text, false);
    expect(s.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(s.sizeBytes).toBe(Buffer.byteLength(text));
    expect(s.nonRecordLines).toEqual([]);
  });
});
