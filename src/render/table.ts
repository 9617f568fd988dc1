// Tables for people (cli-table3), plus CSV and Markdown renderings of the same rows.
import Table from 'cli-table3';

export type Cell = string | number | bigint | null | undefined;

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

function text(cell: Cell): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/** An ISO UTC instant as a table cell: `2026-03-02 14:30` (seconds only when not zero), `2026-03-02` at midnight. */
export function compactUtc(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/Z$/, '')
    .replace(/:00$/, '')
    .replace(/ 00:00$/, '');
}

export function renderTable(columns: Column[], rows: Cell[][]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: process.env.NO_COLOR ? [] : ['cyan'], border: process.env.NO_COLOR ? [] : ['grey'] },
    // Compact: no rule between rows, so long listings stay readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.map(text));
  return table.toString();
}

/** A CSV cell that a spreadsheet will not execute: leading = + - @ (and tab/CR) are neutralized. */
export function csvCell(cell: Cell, neutralize = true): string {
  let s = text(cell);
  if (neutralize && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(headers: string[], rows: Cell[][]): string {
  return [headers.map((h) => csvCell(h)).join(','), ...rows.map((r) => r.map((c) => csvCell(c)).join(','))].join('\n');
}

export function renderMarkdown(columns: Column[], rows: Cell[][]): string {
  const esc = (c: Cell) => text(c).replace(/\|/g, '\\|');
  const head = `| ${columns.map((c) => esc(c.header)).join(' | ')} |`;
  const rule = `|${columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [head, rule, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
