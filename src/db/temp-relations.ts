// Dropping a temporary relation that is a view on one path and a table on another (the staged rejects
// become a table when lines are set aside), without knowing which.
import type { Db } from './database.js';

export async function dropTempRelation(db: Db, name: string): Promise<void> {
  const kind = await db.one<{ t: string }>(
    "SELECT table_type AS t FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main' AND table_catalog = 'temp'",
    [name],
  );
  if (kind) await db.run(`DROP ${kind.t === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS temp.${name}`);
}
