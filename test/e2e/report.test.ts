// `costctl report …` and `costctl dashboard` spawned as a user runs them, on the hand-checked fixture
// (fixtures/reports/README.md), in UTC and Asia/Shanghai, with every output format and bad input.
import { afterAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { runCli } from '../helpers/cli.js';
import { withTempDb } from '../helpers/db.js';
import { loadReportFixture } from '../helpers/report-fixture.js';
import { join } from 'node:path';
import { withDatabase } from '../../src/db/database.js';
import { tempDbPath } from '../helpers/temp.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const TOTAL = '7.76000000000000001';
const NOW = { COSTCTL_NOW: '2026-03-06T12:00:00Z' };
const sum = (xs: Array<string | null>) => xs.reduce((s, x) => (x === null ? s : s.plus(x)), new Decimal(0)).toFixed();

async function fixtureDb(): Promise<string> {
  const db = tempDbPath();
  await withTempDb(loadReportFixture, db);
  return db;
}

// The bad-input cases share one file: none of them may change it (checked after each).
let sharedDb: Promise<string>;
// Made here, not with tempDir (that one is removed after every test); removed in afterAll.
const keep = mkdtempSync(join(tmpdir(), 'costctl-report-e2e-'));
afterAll(() => rmSync(keep, { recursive: true, force: true }));

describe('costctl report (e2e)', () => {
  sharedDb ??= withDatabase(join(keep, 'shared.duckdb'), { lockTimeoutMs: 5000 }, loadReportFixture).then(() =>
    join(keep, 'shared.duckdb'),
  );

  it('trend --json in UTC and --tz Asia/Shanghai: local days as in the README, exact sums', async () => {
    const db = await fixtureDb();
    const utc = runCli(['report', 'trend', '--by', 'day', '--window', '2026-03-01..2026-03-06', '--json'], {
      db,
      env: NOW,
    });
    expect(utc.stderr).toBe('');
    expect(utc.code).toBe(0);
    const rows = JSON.parse(utc.stdout);
    expect(rows.map((r: any) => [r.period, r.total_cost])).toEqual([
      ['2026-03-01', '1.583333333333333333'],
      ['2026-03-02', '3.166666666666666668'],
      ['2026-03-03', '3.01'],
      ['2026-03-04', '0'],
      ['2026-03-05', '0.000000000000000009'],
      ['2026-03-06', '0'],
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'period',
      'total_cost',
      'requests',
      'input_tokens',
      'output_tokens',
      'cache_read_tokens',
      'change_pct',
    ]);
    expect(sum(rows.map((r: any) => r.total_cost))).toBe(TOTAL);

    const sh = runCli(['report', 'trend', '--window', '2026-03-01..2026-03-06', '--tz', 'Asia/Shanghai', '--json'], {
      db,
      env: NOW,
    });
    expect(sh.code).toBe(0);
    const shRows = JSON.parse(sh.stdout);
    expect(shRows.map((r: any) => r.total_cost)).toEqual([
      '1.25',
      '2.833333333333333334',
      '3.676666666666666667',
      '0',
      '0',
      '0.000000000000000009',
    ]);
    expect(sum(shRows.map((r: any) => r.total_cost))).toBe(TOTAL);
  });

  it('trend table has a chart; csv and markdown carry the same rows', async () => {
    const db = await fixtureDb();
    const table = runCli(['report', 'trend', '--window', '2026-03-01..2026-03-03'], { db, env: NOW });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('total $7.76');
    expect(table.stdout).toMatch(/2026-03-02 │█+/);
    const csv = runCli(['report', 'trend', '--window', '2026-03-01..2026-03-03', '--format', 'csv'], { db, env: NOW });
    expect(csv.stdout.trim().split('\n')).toEqual([
      'period,total_cost,requests,input_tokens,output_tokens,cache_read_tokens,change_pct',
      '2026-03-01,1.583333333333333333,2,3000,600,0,',
      '2026-03-02,3.166666666666666668,3,900,900,0,100',
      '2026-03-03,3.01,2,60,60,0,-4.95',
    ]);
    const md = runCli(['report', 'trend', '--window', '2026-03-01..2026-03-03', '--format', 'markdown'], {
      db,
      env: NOW,
    });
    expect(md.stdout.split('\n')[0]).toBe('| period | cost | requests | input | output | cache read | change |');
  });

  it('dist --by user with --top and filters; unpriced line; empty result is []', async () => {
    const db = await fixtureDb();
    const r = runCli(
      ['report', 'dist', '--by', 'user', '--top', '2', '--since', '2026-03-01', '--until', '2026-03-06', '--json'],
      { db, env: NOW },
    );
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: any) => [x.key, x.total_cost])).toEqual([
      ['dave', '3'],
      ['carol', '2.5'],
      ['other', '2.26000000000000001'],
      ['(unpriced)', null],
    ]);
    expect(sum(rows.map((x: any) => x.total_cost))).toBe(TOTAL);
    const filtered = runCli(['report', 'dist', '--by', 'model', '--user', 'bob', '--window', 'month', '--json'], {
      db,
      env: NOW,
    });
    expect(JSON.parse(filtered.stdout).map((x: any) => [x.key, x.total_cost])).toEqual([
      ['gpt-a', '0.666666666666666667'],
      ['gpt-b', '0.333333333333333342'],
    ]);
    const none = runCli(['report', 'dist', '--user', 'nobody', '--window', 'month', '--json'], { db, env: NOW });
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('patterns --json: heatmap cells sum to the total; table shows the heatmap', async () => {
    const db = await fixtureDb();
    const r = runCli(['report', 'patterns', '--window', 'month', '--json'], { db, env: NOW });
    const p = JSON.parse(r.stdout);
    expect(p.cells).toHaveLength(168);
    expect(sum(p.cells.map((c: any) => c.total_cost))).toBe(TOTAL);
    expect(p.peak_hours).toEqual([12, 9, 15]);
    const table = runCli(['report', 'patterns', '--window', 'month'], { db, env: NOW });
    expect(table.stdout).toContain('Mon ');
    expect(table.stdout).toContain('top 3 hours carry 86.98% of spend');
  });

  it('efficiency, forecast and anomalies run and keep stdout JSON-only', async () => {
    const db = await fixtureDb();
    const eff = runCli(['report', 'efficiency', '--window', 'month', '--json'], { db, env: NOW });
    expect(
      JSON.parse(eff.stdout)
        .models.map((m: any) => m.model)
        .sort(),
    ).toEqual(['gpt-a', 'gpt-b']);
    const fc = runCli(['report', 'forecast', '--horizon', '3', '--json'], { db, env: NOW });
    expect(fc.code).toBe(0);
    const f = JSON.parse(fc.stdout);
    expect(f.days.map((d: any) => d.date)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08']);
    expect(typeof f.period.expected_total).toBe('string');
    const hourly = runCli(['report', 'forecast', '--grain', 'hour', '--horizon', '30', '--json'], { db, env: NOW });
    expect(hourly.code).toBe(0);
    const h = JSON.parse(hourly.stdout);
    expect(h.hours).toHaveLength(30);
    expect([h.hours[0].hour, h.hours[29].hour]).toEqual(['2026-03-06 12:00', '2026-03-07 17:00']);
    expect(runCli(['report', 'forecast', '--grain', 'hour'], { db, env: NOW }).stdout).toMatch(/│ hour +│ expected │/);
    const an = runCli(['report', 'anomalies', '--json'], { db, env: NOW });
    expect(an.code).toBe(0);
    expect(JSON.parse(an.stdout)).toEqual([]);
  });

  it('report anomalies --holidays FILE and the config holidays list: read, and refused with the place and the fix', async () => {
    const db = await fixtureDb();
    const good = join(keep, 'holidays.txt');
    writeFileSync(good, '# fixture month\n2026-03-02 a holiday\n');
    const ok = runCli(['report', 'anomalies', '--holidays', good, '--json'], { db, env: NOW });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const bad = join(keep, 'holidays-bad.txt');
    writeFileSync(bad, '2026-03-02\n03/04/2026\n');
    const r = runCli(['report', 'anomalies', '--holidays', bad], { db, env: NOW });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(`${bad}:2: "03/04/2026" is not a date; write one holiday a line as YYYY-MM-DD`);
    const missing = runCli(['report', 'anomalies', '--holidays', join(keep, 'none.txt')], { db, env: NOW });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--holidays: cannot read')]);
    const config = join(keep, 'config.json');
    writeFileSync(config, JSON.stringify({ holidays: ['2026-02-30'] }));
    const c = runCli(['report', 'anomalies'], { db, env: { ...NOW, COSTCTL_CONFIG: config } });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('holidays: must be a list of dates written YYYY-MM-DD');
  });

  it('dashboard --json and table', async () => {
    const db = await fixtureDb();
    const r = runCli(['dashboard', '--json'], { db, env: NOW });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.month.cost).toBe(TOTAL);
    expect(d.today.cost).toBe('0');
    expect(sum(d.daily_trend.map((x: any) => x.total_cost))).toBe(TOTAL);
    expect(d.top_users[0]).toEqual({ user: 'dave', total_cost: '3', requests: '1' });
    const table = runCli(['dashboard'], { db, env: NOW });
    expect(table.stdout).toContain('daily cost, last 30 days');
    expect(table.stdout).toContain('$7.76');
  });

  it.each([
    [['report', 'trend', '--window', 'fortnight'], /--window/],
    [['report', 'trend', '--by', 'decade'], /--by/],
    [['report', 'trend', '--format', 'xml'], /--format/],
    [['report', 'trend', '--json', '--format', 'csv'], /--json conflicts with --format csv/],
    [['report', 'trend', '--since', '2026-13-01'], /--since: "2026-13-01" is not a date/],
    [['report', 'trend', '--window', '7d', '--until', '2026-03-01'], /--window cannot be combined/],
    [['report', 'trend', '--tz', 'Mars/Olympus'], /--tz: "Mars\/Olympus" is not an IANA time zone/],
    [['report', 'dist', '--by', 'planet'], /--by/],
    [['report', 'dist', '--top', '0'], /--top/],
    [['report', 'dist', '--user', ''], /--user needs a non-empty value/],
    [['report', 'forecast', '--horizon', '0'], /--horizon/],
    [['report', 'forecast', '--horizon', '400'], /at most 366/],
    [['report', 'forecast', '--to', 'year-end'], /--to/],
    [['report', 'forecast', '--horizon', '3', '--to', 'month-end'], /--horizon and --to cannot be combined/],
    [['report', 'forecast', '--grain', 'hour', '--horizon', '73'], /--horizon: 73 hours is too far/],
    [['report', 'forecast', '--grain', 'hour', '--to', 'month-end'], /--to month-end is for days/],
    [['report', 'forecast', '--grain', 'week'], /--grain/],
    [['report', 'forecast', '--holidays', '/nonexistent/holidays.txt'], /--holidays: cannot read/],
    [['report', 'anomalies', '--sensitivity', 'extreme'], /--sensitivity/],
    [['report', 'anomalies', '--grain', 'minute'], /--grain/],
    [['report', 'anomalies', '--by', 'planet'], /--by/],
    [['report', 'efficiency', '--limit', '-1'], /--limit/],
    [['report', 'patterns', '--department', 'a,'], /--department needs a non-empty value/],
  ])('bad input %j: exit 2, one clear line, nothing stored', async (args, message) => {
    const db = await sharedDb;
    const r = runCli(args as string[], { db, env: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    const rows = await withTempDb(
      (d) => d.all('SELECT (SELECT count(*) FROM usage)::INTEGER AS u, (SELECT count(*) FROM anomalies)::INTEGER AS a'),
      db,
    );
    expect(rows[0]).toEqual({ u: 9, a: 0 });
  });
});
