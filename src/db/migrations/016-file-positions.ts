// How far costctl has read each Claude Code session file (issue #20). Session files only grow, so a re-run
// reads only new files and the appended tail of grown ones: a file's size and modification time say
// whether it changed at all, and the SHA-256 of the prefix already read says whether it only grew (the
// prefix is unchanged) or was replaced or edited (read again from its first line; stored rows are kept and
// their keys are duplicates). A position is only trusted while the ingest_files entry of its last read
// exists (a torn commit healed away takes the read back). Adds a table only: no stored row changes.
import type { Migration } from './types.js';

export const filePositionsMigration: Migration = {
  version: 16,
  name: 'file-positions',
  statements: [
    `CREATE TABLE ingest_file_positions (
      path VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      format VARCHAR NOT NULL,
      size_bytes BIGINT NOT NULL,
      mtime_ms BIGINT NOT NULL,
      consumed_bytes BIGINT NOT NULL,
      consumed_lines BIGINT NOT NULL,
      prefix_sha256 VARCHAR NOT NULL,
      file_id BIGINT NOT NULL,
      read_at TIMESTAMP NOT NULL,
      PRIMARY KEY (path, source)
    )`,
  ],
};
