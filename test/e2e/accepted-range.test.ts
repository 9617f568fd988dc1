// The accepted range of row timestamps from the command line, the environment and the config file, and the
// one-line usage errors (exit 2) for a bad value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initializedDb, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function usageFile(): string {
  const path = join(tempDir(), 'rows.jsonl');
  writeFileSync(
    path,
    '{"request_id":"a","timestamp":"2015-06-01T00:00:00Z","model":"m"}\n{"request_id":"b","timestamp":"2026-03-01T00:00:00Z","model":"m"}\n',
  );
  return path;
}

function configFile(body: object): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('accepted range (e2e)', () => {
  it('ingest --accepted-from rejects the earlier row by its line', () => {
    const db = initializedDb();
    const r = runCli(['ingest', usageFile(), '--accepted-from', '2020-01-01', '--json'], { db });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows_loaded: 1, rows_rejected: 1 });
    expect(r.stderr).toContain(
      'rows.jsonl:1: timestamp "2015-06-01T00:00:00Z" is outside the accepted range 2020-01-01 to 2099-12-31 (UTC)',
    );
  });

  it('the config file sets it, a flag overrides it, and config show says where it came from', () => {
    const db = initializedDb();
    const env = { COSTCTL_CONFIG: configFile({ accepted_from: '2020-01-01', accepted_to: '2030-12-31' }) };
    const shown = JSON.parse(runCli(['config', 'show', '--json'], { db, env }).stdout) as { key: string }[];
    expect(shown.filter((s) => s.key.startsWith('accepted_'))).toEqual([
      { key: 'accepted_from', value: '2020-01-01', from: `config file ${env.COSTCTL_CONFIG}` },
      { key: 'accepted_to', value: '2030-12-31', from: `config file ${env.COSTCTL_CONFIG}` },
    ]);
    expect(JSON.parse(runCli(['ingest', usageFile(), '--json'], { db, env }).stdout).files[0].rows_rejected).toBe(1);
    const wider = runCli(['ingest', usageFile(), '--accepted-from', '2010-01-01', '--json'], { db, env });
    expect(JSON.parse(wider.stdout).files[0]).toMatchObject({ rows_loaded: 1, rows_duplicate: 1, rows_rejected: 0 });
  });

  it('record checks its --timestamp against the range', () => {
    const db = initializedDb();
    const env = { COSTCTL_ACCEPTED_TO: '2025-12-31' };
    const r = runCli(['record', '--model', 'm', '--timestamp', '2026-01-01T00:00:00Z'], { db, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--timestamp: "2026-01-01T00:00:00Z" is outside the accepted range 1970-01-01 to 2025-12-31 (UTC)',
    );
    const ok = runCli(
      ['record', '--model', 'm', '--timestamp', '2026-01-01T00:00:00Z', '--accepted-to', '2026-01-01'],
      {
        db,
        env,
      },
    );
    expect(ok.code).toBe(0);
  });

  it('a bad value is a usage error naming its place', () => {
    const db = initializedDb();
    const cases: [string[], Record<string, string>, string][] = [
      [
        ['--accepted-from', '2020-13-01'],
        {},
        '--accepted-from: "2020-13-01" is not a date (YYYY-MM-DD, e.g. 2020-01-01)',
      ],
      [['--accepted-to', '0000-01-01'], {}, '--accepted-to: "0000-01-01" must be from 1900-01-01 to 9999-12-31'],
      [
        ['--accepted-from', '2030-01-01', '--accepted-to', '2029-12-31'],
        {},
        '--accepted-from (2030-01-01) is after --accepted-to (2029-12-31)',
      ],
      [[], { COSTCTL_ACCEPTED_FROM: 'soon' }, 'COSTCTL_ACCEPTED_FROM: "soon" is not a date'],
    ];
    for (const [flags, env, message] of cases) {
      const r = runCli(['ingest', usageFile(), ...flags], { db, env });
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const config = configFile({ accepted_to: '31/12/2030' });
    const r = runCli(['ingest', usageFile()], { db, env: { COSTCTL_CONFIG: config } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${config}: accepted_to: "31/12/2030" is not a date (YYYY-MM-DD, e.g. 2020-01-01)`);
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toEqual([]);
  });
});
