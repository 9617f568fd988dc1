// ENOSPC as the one line a user can act on.
import { DataError } from '../errors.js';

const NO_SPACE = /No space left on device|ENOSPC/i;

/**
 * A write the disk had no room for, as the one line a user can act on (the file, and that nothing of the
 * failed statement was kept: DuckDB rolls the transaction back), or undefined for any other error.
 */
export function diskFull(e: unknown, dbPath: string): DataError | undefined {
  const message = String((e as Error)?.message ?? e);
  if (!NO_SPACE.test(message)) return undefined;
  const file = /(?:write|extend|create|open) file "([^"]+)"/i.exec(message)?.[1] ?? dbPath;
  return new DataError(
    `disk full: could not write ${file} (no space left on device); nothing of this command was stored: free space on that disk and run it again`,
  );
}
