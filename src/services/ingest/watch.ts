// `ingest --watch DIR`: keeps folders loaded as Claude Code sessions grow. Each round lists the folders'
// data files and stats them; only files whose size or modification time changed since the last round are
// handed to `load` (which reads just their new lines), so an idle round opens no file and no database.
// Stops at the end of the round in progress when `signal` aborts (Ctrl-C): nothing is cut mid-commit.
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataError } from '../../errors.js';
import { type InputFile, dataFilesUnder, inputFile } from './inputs.js';

export interface WatchOptions {
  dirs: string[];
  intervalMs: number;
  signal: AbortSignal;
  /** Loads the files that changed (the caller opens the database for it). */
  load: (files: InputFile[]) => Promise<void>;
}

/** Size and modification time: what "changed since the last round" compares. */
function stamp(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined; // removed between the listing and the stat
  }
}

export async function watchFolders(options: WatchOptions): Promise<{ rounds: number }> {
  for (const dir of options.dirs) {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {}
    if (!isDir) throw new DataError(`${dir}: not a folder; --watch keeps a folder loaded (e.g. ~/.claude/projects)`);
  }
  const seen = new Map<string, string>();
  let rounds = 0;
  while (!options.signal.aborted) {
    const changed: { path: string; stamp: string }[] = [];
    for (const dir of options.dirs) {
      for (const path of dataFilesUnder(dir)) {
        const now = stamp(path);
        if (now !== undefined && seen.get(path) !== now) changed.push({ path, stamp: now });
      }
    }
    if (changed.length) {
      const files: InputFile[] = [];
      for (const c of changed) {
        try {
          files.push(inputFile(c.path, false));
        } catch {} // removed since: the next round no longer lists it
      }
      await options.load(files);
      // The stamps from before the load: a file that grew while it loaded is read again next round.
      for (const c of changed) seen.set(c.path, c.stamp);
    }
    rounds++;
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch {} // aborted: the loop ends
  }
  return { rounds };
}
