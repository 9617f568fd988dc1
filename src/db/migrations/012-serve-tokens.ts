// Role tokens for `costctl serve` (issue #19): a gateway checks and records, a viewer reads (user and
// account ids masked unless made --unmasked), an admin does everything. Only a token's SHA-256 is kept:
// the token itself is printed once, when it is made. A revoked token keeps its row (its name stays in
// the audit trail's writes) with revoked_at set.
import type { Migration } from './types.js';

export const serveTokensMigration: Migration = {
  version: 12,
  name: 'serve-tokens',
  statements: [
    `CREATE TABLE serve_tokens (
      name VARCHAR PRIMARY KEY,
      role VARCHAR NOT NULL CHECK (role IN ('gateway', 'viewer', 'admin')),
      unmasked BOOLEAN NOT NULL,
      token_sha256 VARCHAR NOT NULL UNIQUE,
      created_at TIMESTAMP NOT NULL,
      revoked_at TIMESTAMP
    )`,
  ],
};
