// Turns the PATH arguments of `ingest` into the list of files to load: files as named, directories
// walked recursively (data files only, in name order), `-` spooled from stdin to a temp file.
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataError, UsageError } from '../../errors.js';
import type { IngestFile } from '../../ingest/types.js';

/** Inside a directory only these are considered; a file named explicitly is always tried. */
const DATA_EXTENSIONS = new Set(['.jsonl', '.ndjson', '.json', '.csv', '.parquet']);
const HEAD_BYTES = 64 * 1024;

export interface InputFile extends IngestFile {
  /** Named on the command line (an unrecognized one is an error) rather than found in a directory. */
  explicit: boolean;
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, out: string[], skipped: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out, skipped);
    else if (entry.isFile() && DATA_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
    else skipped.push(full);
  }
}

/** The data files under a directory (recursively, in name order), as `ingest DIR` finds them. */
export function dataFilesUnder(dir: string): string[] {
  const found: string[] = [];
  walk(dir, found, []); // --watch rounds name no skipped files: the first round's ingest already did
  return found;
}

/**
 * The head is decoded only when a reader asks for it: a Claude Code folder's files are recognized from
 * their first line (headBytes): finding and recognizing a 180-file folder took ~130 ms of CPU when every
 * head was decoded and kept as 64 KiB of text, ~50 ms now.
 */
export function inputFile(path: string, explicit: boolean, displayPath = path): InputFile {
  const headBytes = readHead(path);
  let head: string | undefined;
  return {
    displayPath,
    localPath: path,
    headBytes,
    get head() {
      head ??= headBytes.toString('utf8');
      return head;
    },
    sizeBytes: statSync(path).size,
    explicit,
  };
}

/**
 * Resolves the PATH arguments; throws a usage/data error naming the first path that cannot be read. Files a
 * directory walk passes over (not a data file extension) are added to `skipped`, so they can be named.
 */
export function collectInputs(paths: string[], skipped: string[] = []): InputFile[] {
  const files: InputFile[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch (e) {
      throw new DataError(
        `${p}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`,
      );
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(p, found, skipped);
      for (const f of found) files.push(inputFile(f, false));
    } else {
      files.push(inputFile(p, true));
    }
  }
  return files;
}

/** Spools stdin to a temp file (DuckDB's readers need a file) and returns it with a cleanup. */
export async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ file: InputFile; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'costctl-stdin-'));
  const path = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(path));
  return { file: inputFile(path, true, '-'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function requireFormatForStdin(paths: string[], format: string | undefined): void {
  if (paths.includes('-') && !format) throw new UsageError('reading stdin (`-`) needs --format (e.g. --format usage)');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('`-` (stdin) can be given only once');
}
