// The export's stable pseudonyms (db/export.ts's pseudonymSql), computed in TypeScript: `<first letter of
// the column>-` + the first 12 hex digits of sha256(salt || ':' || value). The same id gets the same
// pseudonym in an export and in a viewer's answer from `costctl serve`.
import { createHash } from 'node:crypto';

export function pseudonym(column: string, value: string, salt: string): string {
  const prefix = (column.replace(/[^A-Za-z]/g, '')[0] ?? 'x').toLowerCase();
  return `${prefix}-${createHash('sha256').update(`${salt}:${value}`).digest('hex').slice(0, 12)}`;
}
