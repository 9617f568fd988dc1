// Ingest's warnings about rows it loaded but could not price as written: a served tier, speed or region
// costctl does not know is stored as given and priced at standard. One line per file, field and value,
// naming the first such row, on stderr; the same as objects in --json.
import type { FileReport } from '../services/ingest/ingest-types.js';
import { SERVED_VALUES } from '../domain/served-values.js';
import { counted } from './plural.js';

export interface ServedWarning {
  file: string;
  line: number | null;
  field: string;
  value: string;
  rows: number;
  message: string;
}

export function servedWarnings(files: FileReport[]): ServedWarning[] {
  return files.flatMap((f) =>
    f.unknownServed.map((u) => ({
      file: f.path,
      line: u.line,
      field: u.field,
      value: u.value,
      rows: u.rows,
      message: `${counted(u.rows, 'row')} with unknown ${u.field} ${JSON.stringify(u.value)} (first: ${f.path}:${u.line ?? '?'}) ${u.rows === 1 ? 'was' : 'were'} priced ${SERVED_VALUES[u.field].pricedAs} (known: ${SERVED_VALUES[u.field].known.join(', ')})`,
    })),
  );
}

/** The warnings as stderr lines, the first `max` of them. */
export function servedWarningLines(warnings: ServedWarning[], max = 20): string[] {
  const lines = warnings.slice(0, max).map((w) => `warning: ${w.message}`);
  if (warnings.length > max)
    lines.push(`warning: … ${warnings.length - max} more unknown served values (--json lists all)`);
  return lines;
}
