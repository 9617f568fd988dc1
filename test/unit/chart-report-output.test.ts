import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { renderRows, type ReportColumn } from '../../src/render/report-output.js';

type Row = { key: string; cost: Decimal | null; n: bigint };
const COLUMNS: Array<ReportColumn<Row>> = [
  { key: 'key', value: (r) => r.key },
  { key: 'total_cost', header: 'cost', align: 'right', value: (r) => r.cost },
  { key: 'requests', value: (r) => r.n },
];
const ROWS: Row[] = [
  { key: '=HYPERLINK("x")', cost: new Decimal('0.000000000000000001'), n: 12345n },
  { key: 'b', cost: null, n: 0n },
];

describe('report output formats', () => {
  it('json: money as exact strings, null stays null, empty is []', () => {
    expect(JSON.parse(renderRows(ROWS, COLUMNS, 'json'))).toEqual([
      { key: '=HYPERLINK("x")', total_cost: '0.000000000000000001', requests: '12345' },
      { key: 'b', total_cost: null, requests: '0' },
    ]);
    expect(renderRows([], COLUMNS, 'json')).toBe('[]');
  });

  it('csv: exact amounts and the spreadsheet-injection guard', () => {
    expect(renderRows(ROWS, COLUMNS, 'csv').split('\n')).toEqual([
      'key,total_cost,requests',
      `"'=HYPERLINK(""x"")",0.000000000000000001,12345`,
      'b,,0',
    ]);
  });

  it('table and markdown: money formatted for people', () => {
    const md = renderRows(ROWS, COLUMNS, 'markdown').split('\n');
    expect(md[0]).toBe('| key | cost | requests |');
    expect(md[1]).toBe('| --- | ---: | --- |');
    expect(md[2]).toContain('12,345');
  });
});
