// Instants as a person reads them: wall time in the reporting zone, the zone named in the header.
// JSON keeps UTC ISO; only these table cells are local.
import { wallTime } from '../domain/time.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `2026-03-02 14:30` in `tz` (seconds only when not zero; the date alone at local midnight). Accepts DuckDB's
 * `2026-03-02T13:30:00.000000Z` and JavaScript's ISO text alike.
 */
export function localCell(iso: string | null | undefined, tz: string): string {
  if (!iso) return '';
  const instant = new Date(String(iso).replace(/(\.\d{3})\d+Z$/, '$1Z'));
  if (Number.isNaN(instant.getTime())) return String(iso);
  const w = wallTime(instant, tz);
  const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  if (w.hour === 0 && w.minute === 0 && w.second === 0) return date;
  return `${date} ${pad(w.hour)}:${pad(w.minute)}${w.second ? `:${pad(w.second)}` : ''}`;
}

/** A header naming the zone its cells are in: `time (Europe/Berlin)`. */
export function zoned(header: string, tz: string): string {
  return `${header} (${tz})`;
}
