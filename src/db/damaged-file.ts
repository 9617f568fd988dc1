// A database file whose blocks fail DuckDB's checksum (a disk or copy fault, or a file edited by hand),
// met by a query: the one line a user can act on, not "internal error".
import { DataError } from '../errors.js';

const CORRUPT = /Corrupt database file|does not match stored checksum/i;

export function damagedFile(e: unknown, dbPath: string): DataError | undefined {
  const message = String((e as Error)?.message ?? e);
  if (!CORRUPT.test(message)) return undefined;
  const where = /in block at location (\d+)/.exec(message)?.[1];
  return new DataError(
    `database ${dbPath} is damaged: a block${where ? ` at byte ${where}` : ''} fails its checksum, so its rows cannot be read; ` +
      'restore the latest backup (costctl restore BACKUP_DIR --db FILE) and ingest what came after it again',
  );
}
