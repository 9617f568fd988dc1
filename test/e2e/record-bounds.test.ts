// `record` refuses what ingest rejects: an instant outside 1970–2099 or a count over 10^15 is exit 2 with
// one line naming the flag, nothing stored; after an ingest that rejected a year-0 row, later commands work.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

describe('record and ingest at the edge (e2e)', () => {
  it('record: exit 2 for a timestamp in year 0, 1899 or 2100 and for 2^63-1 tokens; nothing stored', () => {
    const db = initializedDb();
    const base = ['record', '--model', 'm', '--input-tokens', '1'];
    for (const ts of ['0000-01-01T00:00:00Z', '1899-12-31T00:00:00Z', '2100-01-01T00:00:00Z']) {
      const r = runCli([...base, '--timestamp', ts], { db });
      expect(r.code, ts).toBe(2);
      expect(r.stderr.trim()).toBe(
        `costctl: --timestamp: "${ts}" is outside the accepted range 1970-01-01 to 2099-12-31 (UTC)`,
      );
    }
    const big = runCli(['record', '--model', 'm', '--output-tokens', '9223372036854775807'], { db });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--output-tokens.*must be at most 1000000000000000 \(got "9223372036854775807"\)/);
    expect(runCli(['records', 'list', '--json'], { db }).stdout.trim()).toBe('[]');
  });

  it('a year-0 row is one reject; the next ingest and record exit 0 and store once', () => {
    const db = tempDbPath();
    const dir = tempDir();
    const file = join(dir, 'a.jsonl');
    writeFileSync(
      file,
      '{"request_id":"y0","timestamp":"0000-01-01T00:00:00Z","model":"m"}\n{"request_id":"ok","timestamp":"2026-03-02T00:00:00Z","model":"m"}\n',
    );
    const first = runCli(['ingest', file, '--json'], { db });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).files[0]).toMatchObject({ rows_loaded: 1, rows_rejected: 1 });
    const second = join(dir, 'b.jsonl');
    writeFileSync(second, '{"request_id":"later","timestamp":"2026-03-03T00:00:00Z","model":"m"}\n');
    expect(runCli(['ingest', second], { db }).code).toBe(0);
    const rec = runCli(['record', '--model', 'm', '--request-id', 'r1', '--timestamp', '2026-03-04T00:00:00Z'], { db });
    expect(rec.code).toBe(0);
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toHaveLength(3);
  });
});
