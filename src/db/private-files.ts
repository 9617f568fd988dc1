// A database created 0600 (owner only) must not sit beside files anyone can read: DuckDB writes its
// write-ahead log (`<db>.wal`) and temp files with the process umask (0644 by default), and a backup
// holds the same rows. When the database file has no group or other bits, the process umask is narrowed
// to owner-only for the rest of its life (a CLI command; `serve`).
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when the file at `path` is readable by its owner only. */
export function isPrivate(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Called once the database file exists (`created`: just now, so it becomes 0600): files beside a private one stay private. */
export function keepBesideFilesPrivate(dbPath: string, created: boolean): void {
  if (created) chmodSync(dbPath, 0o600);
  if (!isPrivate(dbPath)) return;
  try {
    process.umask(process.umask() | 0o077);
  } catch {
    // A worker thread may not change the umask; a backup is still made private by makePrivate.
  }
}

/** Makes a folder 0700 and every file in it (recursively) 0600. */
export function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) makePrivate(full);
    else chmodSync(full, 0o600);
  }
}
