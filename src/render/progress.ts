// A live progress line for long ingests on a terminal: one line on stderr, rewritten in place, cleared
// before anything else is printed. Only shown when stderr is a TTY (never in pipes, cron or tests).

import { truncateMiddle } from './terminal.js';

export interface IngestStep {
  path: string;
  sizeBytes: number;
  /** reading: parsing and checking the rows; loading: de-duplicating, pricing and writing them. */
  step: 'reading' | 'loading';
  /** How far DuckDB says the running statement has got, 0-100; null when it cannot tell. */
  percentage: number | null;
  elapsedMs: number;
}

export function ingestProgressText(s: IngestStep): string {
  const mb = s.sizeBytes / 1e6;
  const secs = (s.elapsedMs / 1000).toFixed(0);
  const head = `ingesting ${s.path} (${mb.toFixed(1)} MB): ${s.step}`;
  if (s.percentage === null) return `${head}… ${secs} s`;
  const pct = `${Math.floor(s.percentage)}%`;
  if (s.step === 'loading') return `${head} ${pct} · ${secs} s`;
  // While reading, the share of the statement done is the share of the file read.
  const read = (mb * s.percentage) / 100;
  const rate = s.elapsedMs > 0 ? read / (s.elapsedMs / 1000) : 0;
  return `${head} ${pct} (${read.toFixed(0)} MB, ${rate.toFixed(0)} MB/s) · ${secs} s`;
}

/** One terminal line rewritten in place. */
export class LiveLine {
  private shown = false;

  /** `width()`: the terminal's columns now (it may be resized mid-ingest), or undefined when unknown. */
  constructor(
    private readonly write: (raw: string) => void,
    private readonly width: () => number | undefined = () => undefined,
  ) {}

  show(text: string): void {
    // A line wider than the terminal wraps, and \r then rewrites only its last row: debris above. One
    // column stays free so the cursor never wraps either; the middle (the path) gives way.
    const cols = this.width();
    this.write(`\r\x1b[K${cols ? truncateMiddle(text, Math.max(cols - 1, 1)) : text}`);
    this.shown = true;
  }

  /** Clears the line, so what is printed next starts at the left margin of an empty line. */
  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
