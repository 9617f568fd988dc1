// On a terminal, `costctl ingest` shows a live progress line per file (rewritten in place on stderr) and
// then the file's rows, size, time and rate. Run under `script`, which gives the command a pseudo-terminal
// as a person's shell would (util-linux; on Debian it comes with the essential bsdutils package).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, SAMPLES, cliEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
// @ts-expect-error the bench generator is plain JavaScript
import { generate } from '../bench/generate.mjs';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.runIf(hasScript)('costctl ingest on a terminal', () => {
  it('shows the live step line, then the file summary, and still prints the report', () => {
    const dir = tempDir('costctl-progress-');
    const file = join(dir, 'usage.csv');
    generate({ rows: 50_000, path: file, format: 'csv' });
    const r = spawnSync(
      'script',
      ['-qfec', `${quote(process.execPath)} ${quote(BIN)} ingest ${quote(file)}`, '/dev/null'],
      {
        env: cliEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(0);
    const screen = r.stdout;
    // The first draw happens as the file starts, before any timer: always there.
    expect(screen).toContain(`\r\x1b[Kingesting ${file} (`);
    expect(screen).toMatch(/MB\): reading/);
    // The line is cleared before the summary, which names rows, size, time and rate.
    expect(screen).toMatch(
      new RegExp(
        `\\r\\x1b\\[K${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 50,000 rows, [0-9.]+ MB in [0-9.]+ s \\([0-9,]+ rows/s\\)`,
      ),
    );
    expect(screen).toContain('(usage): 50,000 read, 50,000 loaded, 0 duplicate, 0 rejected');
  });

  it('a Claude Code folder: one live line and one summary for the files read together', () => {
    const folder = join(SAMPLES, 'claude-code', 'spotter');
    const r = spawnSync(
      'script',
      ['-qfec', `${quote(process.execPath)} ${quote(BIN)} ingest ${quote(folder)}`, '/dev/null'],
      {
        env: cliEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\r\x1b[Kingesting 9 Claude Code files (6.6 MB): reading');
    // The summary line, after the carriage return and erase-line that clear the live line.
    const summary = /9 Claude Code files: 815 rows, 6\.6 MB in [0-9.]+ s \([0-9,]+ rows\/s\)/;
    expect(r.stdout).toMatch(new RegExp(`\r\x1b\\[K${summary.source}`));
    expect(r.stdout).toContain('short.jsonl (claude-code): 5 read, 1 loaded, 4 duplicate, 0 rejected');
  });
});
