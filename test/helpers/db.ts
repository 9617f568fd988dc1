// Services are tested against a real DuckDB file, migrated exactly as the CLI does it.
import { existsSync } from 'node:fs';
import { withDatabase, type Db } from '../../src/db/database.js';
import { createContext, type Context } from '../../src/context.js';
import { recordCommandWrite } from '../../src/services/ops/audit.js';
import { tempDbPath, tempDir } from './temp.js';

export async function withTempDb<T>(fn: (db: Db, path: string) => Promise<T>, path = tempDbPath()): Promise<T> {
  return withDatabase(path, { lockTimeoutMs: 5_000 }, (db) => fn(db, path));
}

/** A Context like the CLI builds, on a temp database, with output captured. */
export function testContext(options: { db?: string; tz?: string; now?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const home = tempDir('costctl-home-');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CONFIG_HOME: home,
    COSTCTL_OUTBOX_DIR: `${home}/outbox`,
    ...(options.now ? { COSTCTL_NOW: options.now } : {}),
    ...options.env,
  };
  const path = options.db ?? tempDbPath();
  const base: Context = createContext({
    flags: { db: path, tz: options.tz },
    env,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    afterWrite: recordCommandWrite,
  });
  // The scratch database exists, as after `costctl init`: a context only reads a database that exists, and
  // services seeded through ctx.withDb are not commands that create one.
  let created = existsSync(path);
  const ctx: Context = {
    ...base,
    withDb: async (fn, opts) => {
      if (!created) await withDatabase(path, { lockTimeoutMs: 5_000 }, async () => undefined);
      created = true;
      return base.withDb(fn, opts);
    },
  };
  return { ctx, out, err };
}
