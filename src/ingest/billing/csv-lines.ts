// Where each CSV record starts in the file. DuckDB's reader numbers its rejects by unquoted newlines
// (a quoted multi-line cell counts once, a blank line counts) and gives good rows no number at all; a
// person opening the file in an editor wants the physical line. One byte scan with the quote state
// gives both numbers for every record, so rows and rejects can be named by their real line.
import { closeSync, openSync, readSync } from 'node:fs';

export interface RecordLines {
  /** Physical (editor) line where each data record starts, header excluded, in file order. */
  physical: number[];
  /** The same records numbered as DuckDB's reject table numbers them. */
  duckdb: number[];
}

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Scans bytes in chunks, so a large export is never held in memory as one string. */
export function csvRecordLines(path: string, chunkSize = 1 << 20): RecordLines {
  const physical: number[] = [];
  const duckdb: number[] = [];
  let phys = 1;
  let duck = 1;
  let inQuote = false;
  let atRecordStart = true;
  let seenHeader = false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(chunkSize);
    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        if (b === NL) {
          phys++;
          if (!inQuote) {
            duck++;
            atRecordStart = true;
          }
          continue;
        }
        if (b === CR && !inQuote) continue;
        if (atRecordStart && !inQuote) {
          atRecordStart = false;
          if (seenHeader) {
            physical.push(phys);
            duckdb.push(duck);
          } else {
            seenHeader = true;
          }
        }
        // RFC 4180: "" inside a quoted cell toggles twice, which leaves the state as it was.
        if (b === QUOTE) inQuote = !inQuote;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { physical, duckdb };
}
