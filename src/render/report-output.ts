// One way to print report rows in every format: a table for people, JSON (money as exact strings, empty
// is []), CSV with the spreadsheet-injection guard, or Markdown.
import { Decimal } from '../domain/money.js';
import { formatCount } from './count.js';
import { renderJson, toJsonValue } from './json.js';
import { money, renderCsv, renderMarkdown, renderTable, type Cell, type Column } from './table.js';

/** How a report leaves: a table for people, or data for the next program. */
export const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface ReportColumn<R> {
  /** JSON/CSV field name. */
  key: string;
  header?: string;
  align?: 'left' | 'right';
  value: (row: R) => unknown;
  /**
   * Table/Markdown cell; defaults to money for Decimals (one precision per column), grouped digits for
   * numbers, else the plain value. Return `money(x)` for an amount the column formats together.
   */
  display?: (row: R) => Cell;
}

function plain(v: unknown): string | number | bigint {
  if (v === null || v === undefined) return '';
  const j = toJsonValue(v);
  return typeof j === 'object' ? JSON.stringify(j) : (j as string | number);
}

function human(v: unknown): Cell {
  if (v instanceof Decimal) return money(v);
  if (typeof v === 'number' || typeof v === 'bigint') return formatCount(v);
  return plain(v);
}

export function renderRows<R>(rows: R[], columns: Array<ReportColumn<R>>, format: OutputFormat): string {
  if (format === 'json')
    return renderJson(rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, c.value(r) ?? null]))));
  if (format === 'csv')
    return renderCsv(
      columns.map((c) => c.key),
      rows.map((r) => columns.map((c) => plain(c.value(r)))),
    );
  const cols: Column[] = columns.map((c) => ({ header: c.header ?? c.key, align: c.align }));
  const cells = rows.map((r) => columns.map((c) => (c.display ? c.display(r) : human(c.value(r)))));
  return format === 'markdown' ? renderMarkdown(cols, cells) : renderTable(cols, cells);
}

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : `${v > 0 ? '+' : ''}${v}%`);
