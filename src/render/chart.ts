// Terminal charts from plain Unicode block characters (no dependency): horizontal bars per row, and a
// compact vertical column chart for a series. Values are floats for drawing only; labels carry the money.

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const LEVELS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bar of `value / max` of `width` cells, with eighth-cell resolution. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || width <= 0) return '';
  const eighths = Math.round((Math.min(value, max) / max) * width * 8);
  const full = Math.floor(eighths / 8);
  return '█'.repeat(full) + EIGHTHS[eighths % 8]!;
}

/** Labelled horizontal bars: `label │████▌ text`. */
export function barChart(rows: Array<{ label: string; value: number; text?: string }>, width = 40): string {
  const max = Math.max(0, ...rows.map((r) => r.value));
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  return rows
    .map((r) => `${r.label.padEnd(labelWidth)} │${bar(r.value, max, width).padEnd(width + 1)}${r.text ?? ''}`.trimEnd())
    .join('\n');
}

/** A column chart `height` rows tall, one column per value, with the max on the axis. */
export function columnChart(
  values: number[],
  options: { height?: number; maxLabel?: string; first?: string; last?: string } = {},
): string {
  const height = options.height ?? 8;
  const max = Math.max(0, ...values);
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    let line = '';
    for (const v of values) {
      const level = max > 0 ? (Math.max(0, v) / max) * height - row : 0;
      line += level >= 1 ? '█' : level > 0 ? LEVELS[Math.max(1, Math.round(level * 8))]! : ' ';
    }
    const axis = row === height - 1 ? (options.maxLabel ?? '') : '';
    lines.push(`${line.trimEnd().padEnd(values.length)} ${axis}`.trimEnd());
  }
  if (options.first || options.last) {
    const first = options.first ?? '';
    const last = options.last ?? '';
    lines.push(`${first}${' '.repeat(Math.max(1, values.length - first.length - last.length))}${last}`);
  }
  return lines.join('\n');
}
