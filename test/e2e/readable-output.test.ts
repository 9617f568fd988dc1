// Readable at any width, colour only on a terminal, exports that can go to stdout (#18 items 5, 6, 8, 11),
// on the demo database: the widest tables a newcomer meets (quotas status, alerts list, dashboard).
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, runCliAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const NOW = { COSTCTL_NOW: '2026-03-02T09:00:00Z' };
let demoDir: string;
let demoDb: string;
let demoOut: string;

beforeAll(async () => {
  demoDir = mkdtempSync(join(tmpdir(), 'costctl-e2e-readable-'));
  demoDb = join(demoDir, 'demo.duckdb');
  const r = await runCliAsync(['demo', '--db', demoDb], { cwd: demoDir });
  if (r.code !== 0) throw new Error(r.stderr);
  demoOut = r.stdout;
}, 240_000);

afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

const ellipses = (text: string) => text.split('…').length - 1;
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('tables fit $COLUMNS', () => {
  const tables = [['quotas', 'status'], ['alerts', 'list'], ['dashboard'], ['records', 'list', '--limit', '20']];
  it.each(tables.map((t) => [t]))(
    '%j fits 80 and 160 columns, cutting text with … or naming the columns it hides; --wide shows it whole',
    (args) => {
      const at = (columns: string, extra: string[] = []) =>
        runCli([...extra, ...args], { db: demoDb, env: { ...NOW, COLUMNS: columns } });
      const wide = at('80', ['--wide']);
      expect(wide.code, wide.stderr).toBe(0);
      for (const columns of ['80', '160']) {
        const r = at(columns);
        expect(r.code, r.stderr).toBe(0);
        const tableLines = r.stdout.split('\n').filter((l) => /^[│┌└├]/.test(l));
        expect(tableLines.length, 'prints a table').toBeGreaterThan(0);
        // No table line passes the width (nor, on the dashboard, any line): text gives way (…), figures do not.
        const checked = args[0] === 'dashboard' ? r.stdout : tableLines.join('\n');
        expect(widest(checked), `${args.join(' ')} at ${columns}`).toBeLessThanOrEqual(Number(columns));
        // --wide shows what was cut (fewer ellipses: some data has its own, "2026-01-01 … 2026-12-31") or
        // what was hidden (the table names the columns it left out).
        if (widest(wide.stdout) > Number(columns)) {
          const hidden = /\(not shown at this width: .+; --wide shows every column\)/.test(r.stdout);
          expect(hidden || ellipses(r.stdout) > ellipses(wide.stdout), r.stdout).toBe(true);
          expect(wide.stdout).not.toMatch(/not shown at this width/);
        }
      }
    },
  );

  it('the demo tables were wider than 80 columns before (the test above is not vacuous)', () => {
    const wide = runCli(['--wide', 'quotas', 'status'], { db: demoDb, env: NOW });
    expect(widest(wide.stdout)).toBeGreaterThan(80);
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('colour only on a terminal', () => {
  it('a pipe gets no escape codes even without NO_COLOR', () => {
    const r = runCli(['quotas', 'list'], { db: demoDb, env: { ...NOW, NO_COLOR: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it.runIf(hasScript)('a terminal gets colour, unless NO_COLOR or --no-color', () => {
    const onTerminal = (args: string, env: Record<string, string | undefined>) =>
      spawnSync('script', ['-qfec', `${quote(process.execPath)} ${quote(BIN)} ${args}`, '/dev/null'], {
        env: cliEnv({ db: demoDb, env: { ...NOW, TERM: 'xterm-256color', ...env } }),
        encoding: 'utf8',
        timeout: 120_000,
      }).stdout;
    expect(onTerminal('quotas list', { NO_COLOR: undefined })).toContain('\x1b[');
    expect(onTerminal('quotas list', { NO_COLOR: '1' })).not.toContain('\x1b[');
    expect(onTerminal('--no-color quotas list', { NO_COLOR: undefined })).not.toContain('\x1b[');
    expect(onTerminal('quotas list --no-color', { NO_COLOR: undefined })).not.toContain('\x1b[');
  });
});

describe('exports', () => {
  it('--out - writes to stdout, the same bytes as a file', () => {
    const dir = tempDir();
    const file = join(dir, 'rows.csv');
    const args = ['records', 'export', '--department', 'sales-east', '--format', 'csv'];
    expect(runCli([...args, '--out', file], { db: demoDb }).code).toBe(0);
    const r = runCli([...args, '--out', '-'], { db: demoDb, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    expect(r.stderr).toMatch(/^wrote \d+ records to stdout \(csv\)\n$/);
    expect(() => lstatSync(join(dir, '-'))).toThrow();
  });

  it('a symlink target is written through, never replaced by a regular file', () => {
    const dir = tempDir();
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    const r = runCli(['billing', 'export', '--out', link, '--format', 'json'], { db: demoDb });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).length).toBeGreaterThan(0);
  });
});

describe('the demo hint runs as printed', () => {
  it('carries the pinned clock, so the dashboard it suggests is not empty', () => {
    const hint = /try: COSTCTL_NOW=(\S+) costctl --db (\S+) dashboard/.exec(demoOut);
    expect(hint, demoOut).not.toBeNull();
    const r = runCli(['--db', hint![2]!, 'dashboard', '--json'], { env: { COSTCTL_NOW: hint![1]! }, cwd: demoDir });
    expect(r.code, r.stderr).toBe(0);
    const dashboard = JSON.parse(r.stdout);
    expect(Number(dashboard.month.requests)).toBeGreaterThan(0);
    expect(Number(dashboard.last_month.cost)).toBeGreaterThan(0);
    // Without the clock, "this month" is today's month, after the demo data ends: the zeros the hint avoids.
    const unpinned = JSON.parse(runCli(['--db', hint![2]!, 'dashboard', '--json'], { cwd: demoDir }).stdout);
    expect(unpinned.month.requests).toBe('0');
  });
});
