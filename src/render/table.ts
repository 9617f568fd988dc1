// Tables for people (cli-table3), plus CSV and Markdown renderings of the same rows.
import Table from 'cli-table3';
import { type Decimal, formatMoneyColumn } from '../domain/money.js';
import { tableWidth, truncateEnd, useColour } from './terminal.js';

/** An amount left for the table to format with the rest of its column (one precision per column). */
export interface MoneyCell {
  money: Decimal | string;
  currency?: string;
}

export type Cell = string | number | bigint | null | undefined | MoneyCell;

/** A money cell; null stays an empty cell. */
export function money(value: Decimal | string | null | undefined, currency?: string): MoneyCell | null {
  return value === null || value === undefined ? null : { money: value, currency };
}

function isMoney(cell: Cell): cell is MoneyCell {
  return typeof cell === 'object' && cell !== null;
}

/**
 * The rows with every money cell formatted: the money cells of one column share one precision (the most
 * digits any of them needs), each rounded once from its exact value (formatMoneyColumn).
 */
export function formatMoneyCells(rows: Cell[][]): Array<Array<Exclude<Cell, MoneyCell>>> {
  const out = rows.map((r) => r.map((c) => (isMoney(c) ? '' : c)));
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (let col = 0; col < width; col++) {
    const at = rows.flatMap((r, i) => {
      const c = r[col];
      return isMoney(c) ? [{ i, c }] : [];
    });
    if (at.length === 0) continue;
    // One scale per column across currencies too: every amount of the column decides it.
    const amounts = at.map(({ c }) => c.money);
    const byCurrency = new Map<string, string[]>();
    at.forEach(({ i, c }, k) => {
      const currency = c.currency ?? 'USD';
      if (!byCurrency.has(currency)) byCurrency.set(currency, formatMoneyColumn(amounts, currency));
      out[i]![col] = byCurrency.get(currency)![k]!;
    });
  }
  return out;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /**
   * May be hidden on a narrow terminal: when the table fits only by cutting a text column below
   * READABLE_WIDTH, optional columns go first (the rightmost first), and the table says which.
   */
  optional?: boolean;
  /** The row's text (a suggestion, an alert's title): optional columns give way until it keeps MAIN_WIDTH. */
  main?: boolean;
}

function text(cell: Cell): string {
  if (isMoney(cell)) return typeof cell.money === 'string' ? cell.money : cell.money.toFixed();
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

/** Text columns never shrink below this many characters (header included), however narrow the terminal. */
const MIN_TEXT_WIDTH = 5;

export interface Fit {
  widths: number[];
  /** One space each side of a cell; dropped only when the table cannot fit otherwise. */
  padding: 0 | 1;
}

/**
 * Column widths that fit `width` (cli-table3's frame: one border between columns and at each edge, plus
 * the padding). Only left-aligned text columns shrink, widest first; numbers and money never do, so a
 * figure is never cut. When shrinking text is not enough, the padding goes too. Returns the natural widths
 * when they fit or when nothing can shrink further.
 */
export function fitWidths(columns: Column[], rows: string[][], width: number | undefined, padding: 0 | 1 = 1): Fit {
  const natural = columns.map((c, i) => Math.max(len(c.header), ...rows.map((r) => len(r[i] ?? ''))));
  if (width === undefined) return { widths: natural, padding };
  const floor = columns.map((c, i) => (c.align === 'right' ? natural[i]! : Math.min(natural[i]!, MIN_TEXT_WIDTH)));
  const widths = [...natural];
  const borders = columns.length + 1;
  let excess = widths.reduce((a, b) => a + b, 0) + borders + 2 * padding * columns.length - width;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  // Without padding the table gains two columns per column: give them back to the text first.
  return excess > 0 && padding === 1 ? fitWidths(columns, rows, width, 0) : { widths, padding };
}

function len(s: string): number {
  return [...s].length;
}

/** A text column cut below this (or below its own width) reads as noise: "cust…" for a quota name. */
const READABLE_WIDTH = 12;
/** A main column cut below this no longer says what the row is about. */
const MAIN_WIDTH = 40;

/**
 * The columns to show at `width`: all when they fit readably, else without the optional ones, rightmost
 * first, until every text column keeps READABLE_WIDTH characters, a main one MAIN_WIDTH (or none optional
 * is left).
 */
export function shownColumns(columns: Column[], rows: string[][], width: number | undefined): number[] {
  let shown = columns.map((_, i) => i);
  for (;;) {
    const fit = fitWidths(
      shown.map((i) => columns[i]!),
      rows.map((r) => shown.map((i) => r[i] ?? '')),
      width,
    );
    const cramped = shown.some((i, k) => {
      const natural = Math.max(len(columns[i]!.header), ...rows.map((r) => len(r[i] ?? '')));
      const readable = columns[i]!.main ? MAIN_WIDTH : READABLE_WIDTH;
      return columns[i]!.align !== 'right' && fit.widths[k]! < Math.min(natural, readable);
    });
    const drop = [...shown].reverse().find((i) => columns[i]!.optional);
    if (!cramped || drop === undefined) return shown;
    shown = shown.filter((i) => i !== drop);
  }
}

export function renderTable(allColumns: Column[], rows: Cell[][]): string {
  const colour = useColour();
  const allCells = formatMoneyCells(rows).map((r) => r.map(text));
  const shown = shownColumns(allColumns, allCells, tableWidth());
  const columns = shown.map((i) => allColumns[i]!);
  const cells = allCells.map((r) => shown.map((i) => r[i] ?? ''));
  const hidden = allColumns.filter((_, i) => !shown.includes(i)).map((c) => c.header || '(marker)');
  const { widths, padding } = fitWidths(columns, cells, tableWidth());
  const table = new Table({
    head: columns.map((c, i) => truncateEnd(c.header, widths[i] ?? len(c.header))),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: {
      head: colour ? ['cyan'] : [],
      border: colour ? ['grey'] : [],
      'padding-left': padding,
      'padding-right': padding,
    },
    // Compact: no rule between rows, so long listings stay readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of cells) table.push(row.map((cell, i) => truncateEnd(cell, widths[i] ?? len(cell))));
  const note = hidden.length ? `\n(not shown at this width: ${hidden.join(', ')}; --wide shows every column)` : '';
  return table.toString() + note;
}

/**
 * A CSV cell that a spreadsheet will not execute: leading = + - @ (and tab/CR) are neutralized with a `'`.
 * A value that already starts with `'`s before one of those gets one more, so costctl's CSV ingest can
 * take exactly one off again (csv-source.ts) and an export re-ingests unchanged.
 */
export function csvCell(cell: Cell, neutralize = true): string {
  let s = text(cell);
  if (neutralize && /^'*[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(headers: string[], rows: Cell[][]): string {
  return [headers.map((h) => csvCell(h)).join(','), ...rows.map((r) => r.map((c) => csvCell(c)).join(','))].join('\n');
}

export function renderMarkdown(columns: Column[], rows: Cell[][]): string {
  const esc = (c: Cell) => text(c).replace(/\|/g, '\\|');
  const head = `| ${columns.map((c) => esc(c.header)).join(' | ')} |`;
  const rule = `|${columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [head, rule, ...formatMoneyCells(rows).map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
