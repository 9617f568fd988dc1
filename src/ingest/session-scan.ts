// One pass over a session file that grows (Claude Code appends lines as a session runs): where the part
// that can be read ends, how many lines it has, and SHA-256 hashes of it, of the part read before (to tell
// "only grew" from "replaced or edited") and of the new part. The last line counts only when complete: it
// ends in a newline, or is valid JSON on its own (a file written without a final newline). A last line
// being written is left for the next read.
//
// The same pass picks out the lines a read must parse (`lines`): those that mention "usage" (the only
// lines that can be billed), and those not shaped like an object that are not blank (checked and
// rejected when not JSON). The other ~80% of the bytes reach neither DuckDB nor JSON.parse.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export interface ReadBefore {
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
}

export interface SessionScan {
  sizeBytes: number;
  /** Bytes and lines that can be read (the file up to its last complete line). */
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  /** Where this read starts: after the part read before when the file only grew since, else 0. */
  startByte: number;
  startLine: number;
  /** SHA-256 of the bytes from startByte to consumedBytes (what this read adds). */
  newSha256: string;
  /** The part read before is no longer the file's beginning (replaced by a shorter file, or edited). */
  changed: boolean;
  /** A last line still being written (1-based), left for the next read. */
  incompleteLine?: number;
  /** The lines from startByte on that must be parsed, in order (without the newline). */
  lines: SessionLine[];
}

export interface SessionLine {
  /** 1-based line number in the file. */
  line: number;
  text: Buffer;
}

const NL = 10;
const CR = 13;
const SPACE = 32;
const CHUNK = 1 << 20;
const USAGE = Buffer.from('"usage"');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A line must be parsed when it mentions "usage", or when it is not blank and not shaped like an object
 * ({ … }). `usage`: whether the caller already knows it mentions "usage" (undefined: search).
 */
function mustParse(text: Buffer, usage: boolean | undefined): boolean {
  if (text.length === 0) return false;
  if (usage ?? text.includes(USAGE)) return true;
  if (text[0] === 0x7b && text[text.length - 1] === 0x7d) return false;
  for (const c of text) if (c !== SPACE) return true;
  return false;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `wholeFile`: a last line without a newline is read even when it is not JSON (a file read once, on its own). */
export function scanSession(path: string, before?: ReadBefore, wholeFile = false): SessionScan {
  const fd = openSync(path, 'r');
  try {
    const all = createHash('sha256');
    let prior: string | undefined;
    let lines = 0;
    let fed = 0; // bytes fed to `all`: always at a line end (or at before.consumedBytes)
    let pos = 0;
    let pending: Buffer[] = []; // bytes after the last newline seen
    let lineStart = 0; // file offset of the line being read
    const found: (SessionLine & { start: number })[] = [];
    const consider = (raw: Buffer, usage: boolean | undefined) => {
      let text = raw.length && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
      if (lineStart === 0 && text.subarray(0, 3).equals(BOM)) text = text.subarray(3);
      if (mustParse(text, usage)) found.push({ line: lines, start: lineStart, text: Buffer.from(text) });
    };
    const buf = Buffer.allocUnsafe(CHUNK);
    const feed = (b: Buffer) => {
      // Snapshot the hash at exactly the end of the part read before.
      if (before && prior === undefined && fed + b.length >= before.consumedBytes) {
        const cut = before.consumedBytes - fed;
        all.update(b.subarray(0, cut));
        prior = all.copy().digest('hex');
        all.update(b.subarray(cut));
      } else all.update(b);
      fed += b.length;
    };
    if (before && before.consumedBytes === 0) prior = all.copy().digest('hex');
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      const at = pos;
      pos += n;
      const last = chunk.lastIndexOf(NL);
      if (last < 0) {
        pending.push(Buffer.from(chunk));
        continue;
      }
      const carried = pending;
      for (const p of pending) feed(p);
      pending = [];
      feed(chunk.subarray(0, last + 1));
      let from = 0;
      let usage = chunk.indexOf(USAGE);
      for (let i = chunk.indexOf(NL); i >= 0 && i <= last; i = chunk.indexOf(NL, i + 1)) {
        lines++;
        if (from === 0 && carried.length) consider(Buffer.concat([...carried, chunk.subarray(0, i)]), undefined);
        else {
          if (usage >= 0 && usage < from) usage = chunk.indexOf(USAGE, from);
          consider(chunk.subarray(from, i), usage >= 0 && usage < i);
        }
        from = i + 1;
        lineStart = at + from;
      }
      if (last + 1 < n) pending.push(Buffer.from(chunk.subarray(last + 1)));
    }
    let incompleteLine: number | undefined;
    const tail = Buffer.concat(pending);
    if (tail.length > 0) {
      if (wholeFile || isJson(tail.toString('utf8'))) {
        feed(tail);
        lines++;
        consider(tail, undefined);
      } else if (tail.toString('utf8').trim() !== '') incompleteLine = lines + 1;
    }
    const consumedBytes = fed;
    // The part read before is still the file's beginning when its hash is the same. A tail read also needs
    // that part to end at a line end (a last line without a newline may have been continued since).
    const same = before !== undefined && before.consumedBytes <= consumedBytes && prior === before.prefixSha256;
    const kept = same && (before.consumedBytes === 0 || endsInNewline(fd, before.consumedBytes));
    const startByte = kept ? before.consumedBytes : 0;
    const prefixSha256 = all.digest('hex');
    return {
      sizeBytes: pos,
      consumedBytes,
      consumedLines: lines,
      prefixSha256,
      startByte,
      startLine: kept ? before.consumedLines + 1 : 1,
      newSha256: startByte === 0 ? prefixSha256 : sha256Of(fd, startByte, consumedBytes),
      changed: before !== undefined && !same,
      ...(incompleteLine === undefined ? {} : { incompleteLine }),
      lines: found.filter((l) => l.start >= startByte).map(({ line, text }) => ({ line, text })),
    };
  } finally {
    closeSync(fd);
  }
}

function endsInNewline(fd: number, end: number): boolean {
  const b = Buffer.alloc(1);
  return readSync(fd, b, 0, 1, end - 1) === 1 && b[0] === NL;
}

/** SHA-256 of bytes [from, to) of the file. */
function sha256Of(fd: number, from: number, to: number): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let pos = from; pos < to; ) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, to - pos), pos);
    if (n === 0) break;
    h.update(buf.subarray(0, n));
    pos += n;
  }
  return h.digest('hex');
}
