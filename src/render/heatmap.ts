// Hour-of-day × day-of-week heatmap with shade characters; a legend says what the darkest cell is.
const SHADES = [' ', '░', '▒', '▓', '█'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `cells[d][h]` for d = 0 (Monday)…6, h = 0…23; two characters per hour. */
export function heatmap(cells: number[][], legend: string): string {
  const max = Math.max(0, ...cells.flat());
  const shade = (v: number) =>
    v <= 0 || max <= 0 ? '·' : SHADES[Math.max(1, Math.ceil((v / max) * (SHADES.length - 1)))]!;
  const header = `    ${Array.from({ length: 24 }, (_, h) => (h % 3 === 0 ? String(h).padStart(2, '0') : '  ')).join('')}`;
  const rows = cells.map((row, d) => `${DAYS[d]} ${row.map((v) => shade(v).repeat(2)).join('')}`);
  return [header, ...rows, `    · none  ░ ▒ ▓ █ up to ${legend}`].join('\n');
}
