// #17 Low: a backup onto a full disk says "disk full" naming the folder and leaves nothing behind (it left
// Parquet files without a manifest). A real small tmpfs (64 KiB) is the full disk; where this machine may
// not mount one (no CAP_SYS_ADMIN), the test is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../../src/db/database.js';
import { backupDatabase } from '../../../src/services/ops/backup.js';
import { tempDbPath } from '../../helpers/temp.js';

// Not a tempDir(): those go after each test, while the tmpfs is mounted until all are done.
const mountPoint = mkdtempSync(join(tmpdir(), 'costctl-fulldisk-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0;
afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe('backup onto a full disk', () => {
  it.skipIf(!mounted)('says disk full, names the folder, and removes what it wrote', async () => {
    const path = tempDbPath();
    await withDatabase(path, { lockTimeoutMs: 5_000 }, async (db) => {
      // Enough rows that the Parquet files cannot fit in 64 KiB.
      await db.run(
        `INSERT INTO audit (occurred_at, actor, command, args) SELECT now()::TIMESTAMP, 'x', 'filler-' || range, to_json(md5(range::VARCHAR)) FROM range(20000)`,
      );
      const inside = join(mountPoint, 'new-backup');
      await expect(backupDatabase(db, inside, new Date())).rejects.toThrow(
        `backup: disk full writing ${inside}; the partial backup was removed`,
      );
      expect(existsSync(inside)).toBe(false);
      // A folder the operator made stays, empty.
      const given = join(mountPoint, 'given');
      mkdirSync(given);
      await expect(backupDatabase(db, given, new Date())).rejects.toThrow(/disk full/);
      expect(readdirSync(given)).toEqual([]);
    });
  });
});
