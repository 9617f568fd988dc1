import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  addReportFlags,
  outputFormat,
  resolveReportScope,
  windowRange,
  type ReportFlagValues,
} from '../../src/cli/report-flags.js';
import { usageWhere } from '../../src/db/usage-filters.js';

const NOW = new Date('2026-03-18T10:30:00Z'); // a Wednesday
const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];

function parse(args: string[]): ReportFlagValues {
  const cmd = addReportFlags(new Command('x').exitOverride().configureOutput({ writeErr: () => {} }));
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('windows are calendar-aligned in the reporting zone', () => {
  it.each([
    ['today', 'UTC', '2026-03-18T00:00:00.000Z', '2026-03-19T00:00:00.000Z'],
    ['yesterday', 'UTC', '2026-03-17T00:00:00.000Z', '2026-03-18T00:00:00.000Z'],
    ['7d', 'UTC', '2026-03-12T00:00:00.000Z', '2026-03-19T00:00:00.000Z'],
    ['30d', 'UTC', '2026-02-17T00:00:00.000Z', '2026-03-19T00:00:00.000Z'],
    ['month', 'UTC', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['lastmonth', 'UTC', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['ytd', 'UTC', '2026-01-01T00:00:00.000Z', '2026-03-19T00:00:00.000Z'],
    ['today', 'Asia/Shanghai', '2026-03-17T16:00:00.000Z', '2026-03-18T16:00:00.000Z'],
    ['month', 'Asia/Shanghai', '2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
    // New York switched to daylight time on 2026-03-08: the month starts at UTC−5, ends at UTC−4.
    ['month', 'America/New_York', '2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z'],
  ] as const)('%s in %s', (name, tz, from, to) => {
    expect(iso(windowRange(name, NOW, tz))).toEqual([from, to]);
  });

  it('START..END takes whole local days, END included', () => {
    const s = resolveReportScope(parse(['--window', '2026-03-01..2026-03-02']), { now: NOW, tz: 'Asia/Shanghai' });
    expect(iso(s)).toEqual(['2026-02-28T16:00:00.000Z', '2026-03-02T16:00:00.000Z']);
  });

  it('--since/--until: a date --until includes that day, a timestamp is exclusive', () => {
    expect(
      iso(resolveReportScope(parse(['--since', '2026-03-01', '--until', '2026-03-05']), { now: NOW, tz: 'UTC' })),
    ).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-06T00:00:00.000Z']);
    expect(
      iso(
        resolveReportScope(parse(['--since', '2026-03-01', '--until', '2026-03-05T12:00:00Z']), {
          now: NOW,
          tz: 'UTC',
        }),
      ),
    ).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-05T12:00:00.000Z']);
  });

  it('no flags means the default window', () => {
    expect(iso(resolveReportScope(parse([]), { now: NOW, tz: 'UTC' }, '7d'))).toEqual([
      '2026-03-12T00:00:00.000Z',
      '2026-03-19T00:00:00.000Z',
    ]);
  });
});

describe('filters and format', () => {
  it('filters are repeatable and comma-separated, and become bound parameters', () => {
    const s = resolveReportScope(parse(['--user', 'a,b', '--user', 'c', '--request-type', 'chat']), {
      now: NOW,
      tz: 'UTC',
    });
    expect(s.filters).toEqual({ user: ['a', 'b', 'c'], requestType: ['chat'] });
    const w = usageWhere(s, s.filters);
    expect(w.sql).toBe('ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND user_id IN (?, ?, ?) AND request_type IN (?)');
    expect(w.params.slice(2)).toEqual(['a', 'b', 'c', 'chat']);
  });

  it('a value with a quote stays a parameter, never SQL text', () => {
    const w = usageWhere({ from: NOW, to: NOW }, { model: ["x' OR 1=1 --"] });
    expect(w.sql).not.toContain('OR 1=1');
    expect(w.params).toContain("x' OR 1=1 --");
  });

  it('--json is --format json; conflicting formats are refused', () => {
    expect(outputFormat(parse(['--json']))).toBe('json');
    expect(outputFormat(parse(['--format', 'csv']))).toBe('csv');
    expect(outputFormat(parse([]))).toBe('table');
    expect(() => outputFormat(parse(['--json', '--format', 'csv']))).toThrow(/--json conflicts with --format csv/);
  });
});

describe('bad input is a usage error naming the flag', () => {
  it.each([
    [
      ['--window', 'fortnight'],
      /--window.*must be one of today, yesterday, 7d, 30d, month, lastmonth, ytd, a number of days such as 14d or 4w, or START\.\.END/,
    ],
    [['--format', 'xml'], /--format.*Allowed choices are table, json, csv, markdown/],
    [['--user', ''], /--user needs a non-empty value/],
    [['--user', 'a,,b'], /--user needs a non-empty value/],
  ])('%j', (args, message) => {
    expect(() => parse(args as string[])).toThrow(message);
  });

  it.each([
    [['--window', '7d', '--since', '2026-03-01'], /--window cannot be combined with --since\/--until/],
    [['--since', '2026-02-30'], /--since: "2026-02-30" is not a date/],
    [['--until', 'tomorrow'], /--until: "tomorrow" is not a date/],
    [['--window', '2026-03-05..2026-03-01'], /--window: the start .* must be before the end/],
    [['--window', '2026-03-01..soon'], /--window: "soon" is not a date/],
    [['--since', '2026-03-10', '--until', '2026-03-01'], /--since\/--until: the start .* must be before the end/],
  ])('%j', (args, message) => {
    const opts = parse(args as string[]);
    let error: unknown;
    try {
      resolveReportScope(opts, { now: NOW, tz: 'UTC' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});
