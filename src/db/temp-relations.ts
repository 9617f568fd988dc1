// Dropping a temporary relation that is a view on one path and a table on another (the staged rejects
// become a table when lines are set aside), without knowing which.
import type { Db } from './database.js';

export async function dropTempRelation(db: Db, name: string): Promise<void> {
  const kind = await db.one<{ t: string }>(
    // duckdb_views()/duckdb_tables(), not information_schema.tables: that view lists every relation of
    // every schema (~10 ms at each batch's end).
    `SELECT 'VIEW' AS t FROM duckdb_views() WHERE temporary AND view_name = ?
     UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = ?`,
    [name, name],
  );
  if (kind) await db.run(`DROP ${kind.t === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS temp.${name}`);
}
