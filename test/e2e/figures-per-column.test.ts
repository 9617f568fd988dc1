// #18: one money precision per table column ($0.00661 beside $0.05000, never $0.05) and token/row counts
// grouped the same way everywhere (24,573,603), in every table a newcomer meets on the demo database;
// --json keeps amounts exact and counts as plain digits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { figureProblems, tableColumns } from '../helpers/figures.js';

const NOW = { COSTCTL_NOW: '2026-03-02T09:00:00Z' };
let dir: string;
let db: string;
let demoOut: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'costctl-e2e-figures-'));
  db = join(dir, 'demo.duckdb');
  const r = await runCliAsync(['demo', '--db', db], { cwd: dir });
  if (r.code !== 0) throw new Error(r.stderr);
  demoOut = r.stdout;
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMANDS: string[][] = [
  ['dashboard'],
  ['report', 'dist', '--by', 'model', '--window', '30d'],
  ['report', 'trend', '--window', '30d'],
  ['report', 'efficiency', '--window', '30d'],
  ['report', 'forecast'],
  ['report', 'forecast', '--grain', 'hour'],
  ['report', 'anomalies', '--window', '30d'],
  ['optimize'],
  ['quotas', 'status'],
  ['quotas', 'list'],
  ['budgets', 'list'],
  ['budgets', 'status'],
  ['reconcile', '--since', '2026-02-09', '--until', '2026-03-01'],
  ['billing', 'list', '--limit', '40'],
  ['alerts', 'list'],
  ['records', 'list', '--limit', '40'],
  ['models', 'unpriced'],
  ['estimate', '--model', 'gpt-4o-mini', '--input-tokens', '12000', '--output-tokens', '3000'],
];

describe('figures read the same way down every column', () => {
  it('the check finds mixed precisions and ungrouped counts (it is not vacuous)', () => {
    const table = ['┌─┐', '│ cost │ tokens │', '│ $0.00661 │ 1,234 │', '│ $0.05 │ 24573603 │', '└─┘'].join('\n');
    expect(figureProblems(table)).toEqual(['table 0 column 0: $0.00661 $0.05', 'table 0 column 1: ungrouped 24573603']);
  });

  it('the demo summary', () => {
    expect(figureProblems(demoOut)).toEqual([]);
    expect(demoOut).toMatch(/rows loaded: 6,038/);
  });

  it.each(COMMANDS.map((c) => [c]))('%j', async (args) => {
    const r = await runCliAsync(args, { db, env: { ...NOW, COLUMNS: '240' }, cwd: dir });
    // reconcile exits 3 when a day is beyond tolerance (the demo has some); the table is printed all the same.
    expect(r.code, r.stderr).toBe(args[0] === 'reconcile' ? 3 : 0);
    expect(tableColumns(r.stdout).length, 'prints a table').toBeGreaterThan(0);
    expect(figureProblems(r.stdout)).toEqual([]);
  });

  it('--json keeps exact amounts and plain-digit counts', async () => {
    const r = await runCliAsync(['report', 'dist', '--by', 'model', '--window', '30d', '--json'], { db, env: NOW });
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(String(row.tokens)).toMatch(/^\d+$/);
      if (row.total_cost !== null) expect(row.total_cost).toMatch(/^\d+\.\d+$/);
    }
    expect(rows.some((row) => String(row.tokens).length >= 4)).toBe(true);
  });
});
