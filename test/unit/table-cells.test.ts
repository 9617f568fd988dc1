// Table cells shared by the listing commands: times, money (one precision per column), counts (grouped).
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { formatCount } from '../../src/render/count.js';
import { renderRows } from '../../src/render/report-output.js';
import { compactUtc, money, renderCsv, renderMarkdown, renderTable } from '../../src/render/table.js';
import { localCell } from '../../src/render/local-time.js';

describe('compactUtc', () => {
  it('drops the T, the Z and zero seconds; a midnight instant shows as its date', () => {
    expect(compactUtc('2026-03-02T14:30:00Z')).toBe('2026-03-02 14:30');
    expect(compactUtc('2026-03-02T00:00:00Z')).toBe('2026-03-02');
    expect(compactUtc('2026-03-02T14:30:15Z')).toBe('2026-03-02 14:30:15');
  });
});

describe('localCell', () => {
  it.each([
    ['2026-03-02T13:30:00.000000Z', 'Europe/Berlin', '2026-03-02 14:30'],
    ['2025-12-31T23:00:00Z', 'Europe/Berlin', '2026-01-01'],
    ['2026-03-02T13:30:05.000Z', 'UTC', '2026-03-02 13:30:05'],
    ['2026-03-01T16:00:00Z', 'Asia/Shanghai', '2026-03-02'],
    [null, 'UTC', ''],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(localCell(iso, tz)).toBe(expected);
  });
});

describe('money cells: one precision per column', () => {
  it('renderTable formats the money cells of each column together, columns apart', () => {
    const out = renderTable(
      [
        { header: 'a', align: 'right' },
        { header: 'b', align: 'right' },
      ],
      [
        [money('0.0066112'), money('12.5')],
        [money('0.05'), money('1234.567')],
        [null, money('0')],
      ],
    );
    // Column a needs 5 decimals for $0.00661, so $0.05 shows as $0.05000; column b stays at cents.
    expect(out).toContain('$0.00661');
    expect(out).toContain('$0.05000');
    expect(out).toContain('$1,234.57');
    expect(out).toContain('$0.00 ');
    expect(out).not.toMatch(/\$0\.05 /);
  });

  it('Markdown too; a currency other than USD keeps its code; CSV keeps the exact amount', () => {
    const md = renderMarkdown([{ header: 'cost' }], [[money('0.001', 'EUR')], [money('3', 'EUR')]]);
    expect(md).toContain('| EUR 0.00100 |');
    expect(md).toContain('| EUR 3.00000 |');
    expect(renderCsv(['cost'], [[money('0.0012345678')]])).toBe('cost\n0.0012345678');
  });

  it('report rows: Decimals and money() from display share one precision per column', () => {
    const rows = [
      { c: new Decimal('0.004'), n: 1234567n },
      { c: new Decimal('2'), n: 5n },
    ];
    const text = renderRows(
      rows,
      [
        { key: 'c', value: (r) => r.c },
        { key: 'n', value: (r) => r.n },
      ],
      'table',
    );
    expect(text).toContain('$0.00400');
    expect(text).toContain('$2.00000');
    expect(text).toContain('1,234,567');
    expect(renderRows(rows, [{ key: 'n', value: (r) => r.n }], 'json')).toContain('"1234567"');
  });
});

describe('formatCount', () => {
  it.each([
    [1234567, '1,234,567'],
    [12n, '12'],
    ['24573603', '24,573,603'],
    ['123456789012345678901', '123,456,789,012,345,678,901'],
    [38276.6, '38,276.6'],
    [null, ''],
  ] as const)('%s → %s', (value, expected) => {
    expect(formatCount(value)).toBe(expected);
  });
});
