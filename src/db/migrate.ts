// Versioned schema migrations, applied in order on open. A file from a newer costctl is refused.
import { DataError } from '../errors.js';
import { MIGRATIONS } from './migrations/index.js';

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** What migrating needs of a connection; database.ts's Db is one (declared here, not imported: Db runs this on open). */
export interface MigrationTarget {
  readonly path: string;
  run(sql: string, params?: (string | number)[]): Promise<void>;
  all<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

export async function applyMigrations(db: MigrationTarget): Promise<void> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const applied = new Set(
    (await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
  );
  const current = Math.max(0, ...applied);
  if (current > SCHEMA_VERSION) {
    throw new DataError(
      `database ${db.path} has schema version ${current}, newer than this costctl understands (${SCHEMA_VERSION}); upgrade costctl to open it`,
    );
  }
  // Every migration not yet applied, in order: not only those above the highest, so a gap (a migration
  // that landed after a later-numbered one) is still filled.
  for (const m of MIGRATIONS.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version)) {
    await db.transaction(async () => {
      for (const statement of m.statements) await db.run(statement);
      await db.run('INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)', [m.version, m.name]);
    });
  }
}
