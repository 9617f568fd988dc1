// A full disk, for real: the database's WAL is a link to /dev/full, where every write fails with ENOSPC
// from the kernel. The command exits 1 with one line naming the file (no "internal error", no "Current
// transaction is aborted", no native abort); once there is room, the same command stores everything once.
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, initializedDb, runCli } from '../helpers/cli.js';

const USAGE_JSONL = join(ROOT, 'fixtures', 'usage', 'usage.jsonl');

describe.skipIf(!existsSync('/dev/full'))('a full disk (e2e, /dev/full)', () => {
  it('ingest and record say "disk full" and name the file; nothing half-stored; the retry loads once', () => {
    // A database that exists (a read never creates one), as `costctl init` leaves it.
    const db = initializedDb();
    const wal = `${db}.wal`;
    symlinkSync('/dev/full', wal);
    const line = `costctl: disk full: could not write ${wal} (no space left on device); nothing of this command was stored: free space on that disk and run it again`;
    const ingest = runCli(['ingest', USAGE_JSONL], { db });
    expect(ingest.code).toBe(1);
    expect(ingest.stderr.trim()).toBe(line);
    const record = runCli(['record', '--model', 'm', '--request-id', 'r1', '--input-tokens', '5'], { db });
    expect(record.code).toBe(1);
    expect(record.stderr.trim()).toBe(line);
    rmSync(wal);
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toEqual([]);
    const again = runCli(['ingest', USAGE_JSONL, '--json'], { db });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ rows_loaded: 8, rows_duplicate: 0 });
    expect(runCli(['record', '--model', 'm', '--request-id', 'r1', '--input-tokens', '5'], { db }).code).toBe(0);
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toHaveLength(9);
  });
});
