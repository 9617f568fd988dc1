// csvRecordLines: the physical line of every CSV record, and the number DuckDB's reject table gives it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecordLines } from '../../src/ingest/billing/csv-lines.js';
import { tempDir } from '../helpers/temp.js';

const cases: [string, string, number[], number[]][] = [
  ['plain', 'h\na\nb\n', [2, 3], [2, 3]],
  ['no final newline', 'h\na\nb', [2, 3], [2, 3]],
  ['CRLF', 'h\r\na\r\nb\r\n', [2, 3], [2, 3]],
  ['blank lines are no records but count as lines', 'h\n\na\n\r\n\nb\n', [3, 6], [3, 6]],
  ['a quoted cell over two lines counts once for DuckDB', 'h\n"x\ny",1\nb\n', [2, 4], [2, 3]],
  ['escaped quotes do not end the cell', 'h\n"say ""hi""\nthere",1\nb\n', [2, 4], [2, 3]],
  ['header only', 'h\n', [], []],
];

describe('csvRecordLines', () => {
  it.each(cases)('%s', (_name, text, physical, duckdb) => {
    const path = join(tempDir(), 'f.csv');
    writeFileSync(path, text);
    expect(csvRecordLines(path)).toEqual({ physical, duckdb });
    // The chunk border may fall anywhere, even inside a quoted cell.
    expect(csvRecordLines(path, 1)).toEqual({ physical, duckdb });
  });
});
