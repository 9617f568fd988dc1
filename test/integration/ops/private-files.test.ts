// #17 Low: beside a 0600 database, its write-ahead log and a backup of it are owner-only too (they were
// 0644 under the usual umask 022).
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../../src/db/database.js';
import { backupDatabase } from '../../../src/services/ops/backup.js';
import { tempDbPath, tempDir } from '../../helpers/temp.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const open = (path: string) => withDatabase.bind(null, path, { lockTimeoutMs: 5_000 });

describe('files beside a private database', () => {
  it('the WAL of a new (0600) database is 0600 while it is written', async () => {
    process.umask(0o022);
    const path = tempDbPath();
    await open(path)(async (db) => {
      await db.run('CREATE TABLE t AS SELECT range AS i FROM range(1000)');
      expect(existsSync(`${path}.wal`)).toBe(true);
      expect(mode(`${path}.wal`)).toBe(0o600);
    });
    expect(mode(path)).toBe(0o600);
  });

  it('a backup of a 0600 database is a 0700 folder of 0600 files, manifest included', async () => {
    process.umask(0o022);
    const path = tempDbPath();
    const target = join(tempDir(), 'backup');
    await open(path)((db) => backupDatabase(db, target, new Date('2026-03-01T00:00:00Z')));
    expect(mode(target)).toBe(0o700);
    const files = readdirSync(target);
    expect(files).toContain('costctl-backup.json');
    for (const f of files) expect([f, mode(join(target, f))]).toEqual([f, 0o600]);
  });

  it('a database the owner opened up (0644) keeps the usual modes', async () => {
    process.umask(0o022);
    const path = tempDbPath();
    await open(path)(async () => undefined);
    chmodSync(path, 0o644);
    process.umask(0o022); // opening the new (0600) file above narrowed it for this process
    const target = join(tempDir(), 'backup');
    await open(path)((db) => backupDatabase(db, target, new Date('2026-03-01T00:00:00Z')));
    expect(mode(join(target, 'costctl-backup.json'))).toBe(0o644);
  });
});
