// `restore --force` takes the lock every writer takes: a database another process holds is never replaced
// under it (exit 4, nothing changed); once the holder lets go, the same restore replaces it.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { holdDatabase } from '../helpers/lock-holder.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

const modelNames = (db: string) =>
  JSON.parse(runCli(['models', 'list', '--json'], { db }).stdout).map((m: { name: string }) => m.name);
const addModel = (db: string, name: string) =>
  runCli(['models', 'add', name, '--provider', 'p', '--input-price', '1', '--output-price', '1'], { db });

describe('restore --force and the database lock (e2e)', () => {
  it('exits 4 while another process holds the file and leaves it as it was; succeeds once released', async () => {
    const db = tempDbPath();
    expect(addModel(db, 'in-backup').code).toBe(0);
    const backup = join(tempDir(), 'b');
    expect(runCli(['backup', backup], { db }).code).toBe(0);
    expect(addModel(db, 'after-backup').code).toBe(0);

    const holder = await holdDatabase(db, 60_000);
    try {
      const r = runCli(['--db', db, 'restore', backup, '--force'], { db, env: { COSTCTL_LOCK_TIMEOUT_MS: '300' } });
      expect(r.code).toBe(4);
      expect(r.stderr.trim()).toBe(
        `costctl: restore: database ${db} is busy (held by pid ${holder.pid}); nothing was replaced (let that process finish, then restore again)`,
      );
    } finally {
      const gone = new Promise((r) => holder.on('exit', r));
      holder.kill();
      await gone;
    }
    // Nothing replaced, no staging file left beside it.
    expect(modelNames(db)).toEqual(['after-backup', 'in-backup']);
    expect(readdirSync(dirname(db)).filter((f) => f.includes('restoring'))).toEqual([]);

    const ok = runCli(['--db', db, 'restore', backup, '--force'], { db });
    expect(ok.code).toBe(0);
    expect(modelNames(db)).toEqual(['in-backup']);
    // The restored file takes writes like any other (the lock taken for the swap left nothing behind).
    expect(addModel(db, 'after-restore').code).toBe(0);
    expect(modelNames(db)).toEqual(['after-restore', 'in-backup']);
    expect(existsSync(db)).toBe(true);
  });
});
