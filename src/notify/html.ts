// Building blocks for email bodies that read well in common mail clients: inline styles only, tables,
// and bar charts drawn as table cells with CSS widths. No external images, fonts or scripts.
import { Decimal } from '../domain/money.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface TableSpec {
  columns: string[];
  /** Right-aligned columns (amounts, counts). */
  numeric?: boolean[];
  rows: string[][];
}

export interface Bar {
  label: string;
  /** Exact amount that sets the bar length. */
  value: Decimal | string;
  /** What is printed next to the bar, e.g. `$1,204.10`. */
  display: string;
}

const CELL = 'padding:4px 8px;border-bottom:1px solid #e5e7eb;font-size:13px;';

export function htmlTable(t: TableSpec): string {
  const align = (i: number) => (t.numeric?.[i] ? 'right' : 'left');
  const head = t.columns
    .map((c, i) => `<th style="${CELL}text-align:${align(i)};background:#f3f4f6;">${escapeHtml(c)}</th>`)
    .join('');
  const body = t.rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td style="${CELL}text-align:${align(i)};">${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin:8px 0;">${`<tr>${head}</tr>`}${body}</table>`;
}

export function textTable(t: TableSpec): string {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (t.numeric?.[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(t.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

/** Bar lengths as whole percentages of the largest value (exact arithmetic, rounded for display only). */
export function barPercents(bars: Bar[]): number[] {
  const values = bars.map((b) => new Decimal(b.value));
  const max = values.reduce((m, v) => (v.gt(m) ? v : m), new Decimal(0));
  if (max.lte(0)) return values.map(() => 0);
  return values.map((v) => (v.lte(0) ? 0 : v.div(max).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber()));
}

export function htmlBars(bars: Bar[], color = '#2563eb'): string {
  const pct = barPercents(bars);
  const rows = bars
    .map(
      (b, i) =>
        `<tr><td style="${CELL}white-space:nowrap;">${escapeHtml(b.label)}</td>` +
        `<td style="${CELL}width:320px;"><div style="background:${color};height:12px;width:${pct[i]}%;"></div></td>` +
        `<td style="${CELL}text-align:right;white-space:nowrap;">${escapeHtml(b.display)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin:8px 0;">${rows}</table>`;
}

export function textBars(bars: Bar[]): string {
  const pct = barPercents(bars);
  const width = Math.max(0, ...bars.map((b) => b.label.length));
  return bars
    .map((b, i) => `${b.label.padEnd(width)}  ${'#'.repeat(Math.round(pct[i]! / 5)).padEnd(20)}  ${b.display}`)
    .join('\n');
}

export function htmlPage(title: string, body: string): string {
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;color:#111827;margin:0;padding:16px;">` +
    `<h2 style="font-size:18px;margin:0 0 12px 0;">${escapeHtml(title)}</h2>${body}` +
    `<p style="color:#6b7280;font-size:12px;margin-top:24px;">Sent by costctl.</p></body></html>`
  );
}
