// Golden output: what a person sees from the human tables and charts, on the demo database with the demo's
// pinned clock, compared whole with the files in test/e2e/golden/. A change to any of them shows up as a
// diff to review; after an intended change, update them with
//   npx vitest run test/e2e/golden.test.ts -u
// and read the diff before committing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const NOW = { COSTCTL_NOW: '2026-03-02T09:00:00Z' };

/** Each case: a golden file name and the command as a user types it (without `costctl`). */
const CASES: Array<[string, string[]]> = [
  ['dashboard', ['dashboard']],
  ['report-trend-day', ['report', 'trend', '--since', '2026-02-23', '--until', '2026-03-01']],
  ['report-trend-week', ['report', 'trend', '--since', '2026-02-09', '--until', '2026-03-01', '--by', 'week']],
  ['report-dist-model', ['report', 'dist', '--by', 'model', '--since', '2026-02-09', '--until', '2026-03-01']],
  ['report-dist-department-top', ['report', 'dist', '--by', 'department', '--top', '3', '--window', '30d']],
  ['report-patterns', ['report', 'patterns', '--since', '2026-02-09', '--until', '2026-03-01']],
  ['report-forecast', ['report', 'forecast']],
  ['quotas-status', ['quotas', 'status']],
  ['alerts-list', ['alerts', 'list']],
  [
    'check-allowed',
    ['check', '--user', 'u-03', '--model', 'gpt-4o-mini', '--input-tokens', '2000', '--max-output-tokens', '500'],
  ],
  ['optimize', ['optimize']],
  [
    'check-refused',
    [
      'check',
      '--user',
      'u-02',
      '--department',
      'sales-east',
      '--model',
      'claude-sonnet-4-5',
      '--input-tokens',
      '900000',
      '--max-output-tokens',
      '64000',
    ],
  ],
];

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'costctl-golden-'));
  db = join(dir, 'demo.duckdb');
  const demo = await runCliAsync(['demo', '--db', db], { cwd: dir });
  if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The whole exchange as a person reads it: the command, its exit code, then each stream. */
function transcript(args: string[], r: { code: number; stdout: string; stderr: string }): string {
  return [
    `$ costctl ${args.join(' ')}`,
    `exit ${r.code}`,
    '--- stdout',
    r.stdout.trimEnd(),
    '--- stderr',
    r.stderr.trimEnd(),
    '',
  ].join('\n');
}

describe('golden output on the demo database (COLUMNS=160)', () => {
  it.each(CASES)('%s', async (name, args) => {
    const r = await runCliAsync(args, { db, env: { ...NOW, COLUMNS: '160' }, cwd: dir });
    await expect(transcript(args, r)).toMatchFileSnapshot(join('golden', `${name}.txt`));
  });
});

/** The widest tables, on an 80-column terminal: text columns cut with …, nothing wrapped. */
const NARROW = ['dashboard', 'quotas-status', 'alerts-list', 'report-dist-model', 'optimize', 'check-refused'];

describe('golden output on the demo database (COLUMNS=80)', () => {
  it.each(CASES.filter(([name]) => NARROW.includes(name)))('%s', async (name, args) => {
    const r = await runCliAsync(args, { db, env: { ...NOW, COLUMNS: '80' }, cwd: dir });
    const text = transcript(args, r);
    for (const line of text.split('\n')) expect(line.length <= 80 || !/^[│┌└├]/.test(line), line).toBe(true);
    await expect(text).toMatchFileSnapshot(join('golden', '80', `${name}.txt`));
  });
});
