// Colour only on a terminal; tables fit the width by cutting text columns, never figures; the live line fits.
import { describe, expect, it } from 'vitest';
import { LiveLine } from '../../src/render/progress.js';
import { type Column, fitWidths, shownColumns } from '../../src/render/table.js';
import { terminalWidth, truncateEnd, truncateMiddle, useColour } from '../../src/render/terminal.js';

describe('useColour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
  ])('a TTY %s with %j → %s', (isTTY, env, expected) => {
    expect(useColour({ isTTY }, env)).toBe(expected);
  });
});

describe('terminalWidth', () => {
  it.each([
    [{ isTTY: true, columns: 100 }, { COLUMNS: '80' }, 80],
    [{ isTTY: true, columns: 100 }, {}, 100],
    [{ isTTY: false, columns: 100 }, {}, undefined],
    [{ isTTY: true, columns: 100 }, { COLUMNS: 'wide' }, 100],
    [{ isTTY: false }, { COLUMNS: '0' }, undefined],
  ])('%j with %j → %s', (stream, env, expected) => {
    expect(terminalWidth(stream, env)).toBe(expected);
  });
});

describe('truncation', () => {
  it.each([
    ['sales-east-monthly', 10, 'sales-eas…'],
    ['short', 10, 'short'],
    ['exactly-10', 10, 'exactly-10'],
  ])('truncateEnd(%s, %i) → %s', (text, width, expected) => {
    expect(truncateEnd(text, width)).toBe(expected);
    expect([...truncateEnd(text, width)].length).toBeLessThanOrEqual(width);
  });
  it('truncateMiddle keeps both ends', () => {
    expect(truncateMiddle('ingesting /very/long/path/usage.jsonl: 45%', 20)).toBe('ingesting …sonl: 45%');
  });
});

describe('fitWidths', () => {
  const columns: Column[] = [{ header: 'name' }, { header: 'scope' }, { header: 'cost', align: 'right' }];
  const rows = [['a-very-long-quota-name-indeed', 'department:sales-east-and-more', '$1,234.567890']];
  const total = (w: number[]) => w.reduce((a, b) => a + b, 0) + columns.length * 3 + 1;

  it('leaves a table that fits alone, and any table without a width', () => {
    expect(fitWidths(columns, rows, 200)).toEqual({ widths: [29, 30, 13], padding: 1 });
    expect(fitWidths(columns, rows, undefined)).toEqual({ widths: [29, 30, 13], padding: 1 });
  });
  it('cuts the widest text columns first, never the figures', () => {
    const { widths, padding } = fitWidths(columns, rows, 50);
    expect([total(widths), padding]).toEqual([50, 1]);
    expect(widths[2]).toBe(13);
    expect(Math.abs(widths[0]! - widths[1]!)).toBeLessThanOrEqual(1);
  });
  it('drops the padding before giving up, then stops at a floor', () => {
    // Padded, the floors (5, 5, 13) need 33 columns; unpadded 27.
    const tight = fitWidths(columns, rows, 30);
    expect(tight.padding).toBe(0);
    expect(tight.widths.reduce((a, b) => a + b, 0) + columns.length + 1).toBe(30);
    expect(tight.widths[2]).toBe(13);
    expect(fitWidths(columns, rows, 10)).toEqual({ widths: [5, 5, 13], padding: 0 });
  });
});

describe('LiveLine', () => {
  it('fits the terminal, one column to spare', () => {
    const written: string[] = [];
    const line = new LiveLine(
      (raw) => written.push(raw),
      () => 30,
    );
    line.show(`ingesting ${'x/'.repeat(40)}usage.jsonl (1.0 MB): reading 45% · 3 s`);
    const shown = written[0]!.replace('\r\x1b[K', '');
    expect([...shown].length).toBe(29);
    expect(shown.endsWith('45% · 3 s')).toBe(true);
  });
});

describe('optional columns on a narrow terminal', () => {
  const columns: Column[] = [
    { header: 'id', align: 'right' },
    { header: 'type', optional: true },
    { header: 'title', main: true },
    { header: 'cost', align: 'right' },
    { header: 'window', optional: true },
  ];
  const rows = [
    [
      '12',
      'reconciliation_mismatch',
      'openai gpt-4o-mini on 2026-02-18: billed $0.15 vs computed $0.13',
      '$0.15',
      '2026-02-18 00:00',
    ],
  ];

  it('shows every column when the table fits', () => {
    expect(shownColumns(columns, rows, 200)).toEqual([0, 1, 2, 3, 4]);
    expect(shownColumns(columns, rows, undefined)).toEqual([0, 1, 2, 3, 4]);
  });
  it('hides optional columns, the rightmost first, until the main text keeps 40 characters', () => {
    // At 100 the window goes and the title keeps 40+; at 70 the type goes too.
    expect(shownColumns(columns, rows, 100)).toEqual([0, 1, 2, 3]);
    expect(shownColumns(columns, rows, 70)).toEqual([0, 2, 3]);
  });
  it('cuts as before when nothing optional is left', () => {
    const plain = columns.map((c) => ({ ...c, optional: false }));
    expect(shownColumns(plain, rows, 40)).toEqual([0, 1, 2, 3, 4]);
  });
});
