// One pass over a session file that grows (Claude Code appends lines as a session runs): where the part
// that can be read ends, how many lines it has, and SHA-256 hashes of it, of the part read before (to tell
// "only grew" from "replaced or edited") and of the new part. The last line counts only when complete: it
// ends in a newline, or is valid JSON on its own (a file written without a final newline). A last line
// being written is left for the next read.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

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
}

const NL = 10;
const CHUNK = 1 << 20;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function scanSession(path: string, before?: ReadBefore): SessionScan {
  const fd = openSync(path, 'r');
  try {
    const all = createHash('sha256');
    let prior: string | undefined;
    let lines = 0;
    let fed = 0; // bytes fed to `all`: always at a line end (or at before.consumedBytes)
    let pos = 0;
    let pending: Buffer[] = []; // bytes after the last newline seen
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
      pos += n;
      const last = chunk.lastIndexOf(NL);
      if (last < 0) {
        pending.push(Buffer.from(chunk));
        continue;
      }
      for (const p of pending) feed(p);
      pending = [];
      feed(chunk.subarray(0, last + 1));
      let i = chunk.indexOf(NL);
      while (i >= 0 && i <= last) {
        lines++;
        i = chunk.indexOf(NL, i + 1);
      }
      if (last + 1 < n) pending.push(Buffer.from(chunk.subarray(last + 1)));
    }
    let incompleteLine: number | undefined;
    const tail = Buffer.concat(pending);
    if (tail.length > 0) {
      if (isJson(tail.toString('utf8'))) {
        feed(tail);
        lines++;
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

/** Copies bytes [from, to) of a file to `dest` (a tail to read on its own). */
export function copyRange(path: string, from: number, to: number, dest: string): void {
  const src = openSync(path, 'r');
  const out = openSync(dest, 'w');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let pos = from; pos < to; ) {
      const n = readSync(src, buf, 0, Math.min(CHUNK, to - pos), pos);
      if (n === 0) break;
      for (let w = 0; w < n; ) w += writeSync(out, buf, w, n - w);
      pos += n;
    }
  } finally {
    closeSync(src);
    closeSync(out);
  }
}
