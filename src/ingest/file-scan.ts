// One streaming pass over an input file: its content hash (the ledger's "same file" test) and, for CSV,
// the physical lines that do not start a record. DuckDB's CSV reader skips blank lines and folds quoted
// newlines into one record without telling us, so this pass is what lets a row carry its real line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileScan {
  sha256: string;
  sizeBytes: number;
  /** Physical lines (1-based) that are blank or continue a quoted field (CSV only, else empty). */
  nonRecordLines: number[];
}

const NL = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

// Where the scan is in a CSV record, as DuckDB's reader sees it: a quote opens a quoted cell only at the
// start of a cell; inside an unquoted cell it is an ordinary character (`c"d`), so it must not make the
// scan think the next newline continues a quoted cell (that shifted every later line number).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Inside a quoted cell, just after a quote: `""` is an escaped quote, anything else closes the cell. */
const QUOTE_SEEN = 3;

export async function scanFile(path: string, options: { csv: boolean }): Promise<FileScan> {
  const hash = createHash('sha256');
  const nonRecordLines: number[] = [];
  let size = 0;
  let line = 1;
  let lineHasContent = false;
  let state = FIELD_START;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (!options.csv) continue;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      // Fast path: outside quotes and no quote ahead in this chunk, only newlines matter.
      if (state !== QUOTED && state !== QUOTE_SEEN && chunk.indexOf(QUOTE, i) < 0) {
        const start = i;
        for (;;) {
          const nl = chunk.indexOf(NL, i);
          const end = nl < 0 ? n : nl;
          for (let k = i; k < end && !lineHasContent; k++) if (chunk[k] !== CR) lineHasContent = true;
          if (nl < 0) {
            i = n;
            break;
          }
          if (!lineHasContent) nonRecordLines.push(line);
          line++;
          lineHasContent = false;
          i = nl + 1;
        }
        let last = n - 1;
        while (last >= start && chunk[last] === CR) last--;
        if (last >= start) state = chunk[last] === COMMA || chunk[last] === NL ? FIELD_START : UNQUOTED;
        continue;
      }
      const b = chunk[i]!;
      if (b === NL) {
        if (state === QUOTED) nonRecordLines.push(line + 1);
        else {
          if (!lineHasContent) nonRecordLines.push(line);
          state = FIELD_START;
        }
        line++;
        lineHasContent = false;
      } else if (b !== CR) {
        lineHasContent = true;
        if (state === QUOTED) {
          if (b === QUOTE) state = QUOTE_SEEN;
        } else if (state === QUOTE_SEEN) {
          state = b === QUOTE ? QUOTED : b === COMMA ? FIELD_START : UNQUOTED;
        } else if (b === COMMA) state = FIELD_START;
        else if (b === QUOTE && state === FIELD_START) state = QUOTED;
        else state = UNQUOTED;
      }
      i++;
    }
  }
  return { sha256: hash.digest('hex'), sizeBytes: size, nonRecordLines };
}

// The pipeline starts the scan of a file when it begins with it and lets it run while DuckDB stages the
// file (the hash needs one core for ~0.1 s per 100 MB, DuckDB's staging leaves room for it); a CSV adapter
// needs the same pass's line facts. Keeping the last scan (as a promise) avoids reading a file twice.
const recent = new Map<string, Promise<FileScan>>();

export function scanFileCached(path: string, options: { csv: boolean }): Promise<FileScan> {
  const key = `${options.csv ? 'csv' : 'raw'}:${path}`;
  const hit = recent.get(key) ?? (options.csv ? undefined : recent.get(`csv:${path}`));
  if (hit) return hit;
  const scan = scanFile(path, options);
  recent.clear();
  recent.set(key, scan);
  // A failed scan is not kept: the next caller gets the error afresh rather than a stale rejection.
  scan.catch(() => recent.delete(key));
  return scan;
}
