// Lines DuckDB's line reader cannot take: bytes that are not UTF-8, or a line longer than its limit. One
// such line fails the reader for the whole file, so when a line-based file fails to read, this pass copies
// it with each such line blanked (blank lines are skipped by every adapter, and the line numbers of the
// others stay the same) and reports the blanked lines, which become rejects by their own line number.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { isUtf8 } from 'node:buffer';

/** The longest line (bytes, without its `\n`) the JSON Lines reader takes: 16 MiB - 1. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024 - 1;
/** How much of a refused line the reject keeps (characters). */
const RAW_KEPT = 512;

export interface BadLine {
  line: number;
  reason: string;
  raw: string;
}

/** Why a whole line (without its `\n`) cannot be read, or undefined when it can. */
export function badLineReason(bytes: Buffer, length: number): string | undefined {
  if (length > MAX_LINE_BYTES) {
    return `line is ${length} bytes long; one record may be at most ${MAX_LINE_BYTES} bytes (16 MiB): split the record or drop it`;
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidByte(bytes);
    return `line is not UTF-8 text (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at byte ${at + 1} of the line); save the file as UTF-8`;
  }
  return undefined;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (the line is known to be invalid). */
function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const size = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    // isUtf8 on the one sequence also refuses overlong forms and surrogates.
    if (size === 0 || i + size > bytes.length || !isUtf8(bytes.subarray(i, i + size))) return i;
    i += size;
  }
  return 0;
}

function totalLength(pieces: Buffer[]): number {
  return pieces.reduce((n, p) => n + p.length, 0);
}

/** The start of a refused line as text, as its reject keeps it. */
export function rejectedLineText(bytes: Buffer): string {
  return rawOf([bytes]);
}

function rawOf(pieces: Buffer[]): string {
  const head = Buffer.concat(pieces, Math.min(RAW_KEPT * 4, totalLength(pieces)));
  const text = head.toString('utf8').replace(/\r$/, '');
  return text.length > RAW_KEPT ? `${text.slice(0, RAW_KEPT)}…` : text;
}

/**
 * Copies `source` to `dest` with every line that is not UTF-8 or over MAX_LINE_BYTES replaced by a blank
 * line, and returns those lines (1-based), in order. A line over the limit is never held whole in memory.
 */
export async function copyWithoutBadLines(source: string, dest: string): Promise<BadLine[]> {
  const out = createWriteStream(dest);
  const bad: BadLine[] = [];
  let line = 1;
  let pieces: Buffer[] = [];
  let length = 0;
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  const endLine = async (newline: boolean) => {
    const whole = length > MAX_LINE_BYTES ? Buffer.concat(pieces.slice(0, 1)) : Buffer.concat(pieces);
    const reason = badLineReason(whole, length);
    const last = pieces.at(-1);
    const cr = last !== undefined && last.length > 0 && last[last.length - 1] === 13;
    if (reason) bad.push({ line, reason, raw: rawOf(pieces) });
    // DuckDB counts a run of empty lines into the size of the line after it, so a set-aside line (and an
    // empty one) becomes a single space: blank to every adapter, and no line grows past the limit.
    if (reason || length === (cr ? 1 : 0)) await write(cr ? SPACE_CR : SPACE);
    else for (const p of pieces) await write(p);
    if (newline) await write(NEWLINE);
    line++;
    pieces = [];
    length = 0;
  };
  const closed = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  closed.catch(() => undefined); // awaited below
  try {
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let i = 0;
      for (;;) {
        const nl = chunk.indexOf(10, i);
        const piece = chunk.subarray(i, nl < 0 ? chunk.length : nl);
        length += piece.length;
        // Past the limit only the first piece is kept (for the reject's raw text).
        if (length <= MAX_LINE_BYTES || pieces.length === 0) pieces.push(piece);
        if (nl < 0) break;
        await endLine(true);
        i = nl + 1;
      }
    }
    if (length > 0) await endLine(false);
  } finally {
    out.end();
  }
  await closed;
  return bad;
}

const NEWLINE = Buffer.from('\n');
const SPACE = Buffer.from(' ');
const SPACE_CR = Buffer.from(' \r');
