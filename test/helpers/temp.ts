// Temporary folders and DuckDB files for tests: real files, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh folder, removed after the current test. */
export function tempDir(prefix = 'costctl-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A path for a database file that does not exist yet, in a fresh folder. */
export function tempDbPath(): string {
  return join(tempDir(), 'test.duckdb');
}
