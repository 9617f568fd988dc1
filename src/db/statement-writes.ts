// Which tables one SQL statement may change. A connection counts writes per table with it, so a cache of
// reads (the pre-call check's context) can tell cheaply whether what it read still holds. It errs on
// the safe side: a statement it cannot place (several statements, COPY, ATTACH, a ROLLBACK, a write
// inside a WITH, ...) counts as changing everything.

export type StatementWrites =
  | { kind: 'none' }
  /** `rows`: an INSERT, UPDATE or DELETE without RETURNING, so DuckDB's changed-row count says whether it wrote. */
  | { kind: 'table'; table: string; rows: boolean }
  | { kind: 'everything' };

const NONE: StatementWrites = { kind: 'none' };
const EVERYTHING: StatementWrites = { kind: 'everything' };

// Statements that never change a table's rows. (EXPLAIN ANALYZE runs its statement, so not EXPLAIN.)
const READS =
  /^(SELECT|FROM|VALUES|TABLE|PRAGMA|SET|RESET|DESCRIBE|SHOW|SUMMARIZE|BEGIN|START\s+TRANSACTION|COMMIT|END|CHECKPOINT)\b/i;

const NAME = String.raw`((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))*)`;
// The statements that change one named table: DML on it, or creating, dropping or altering it.
const ROW_CHANGES = [
  new RegExp(String.raw`^INSERT\s+(?:OR\s+\w+\s+)?INTO\s+${NAME}`, 'i'),
  new RegExp(String.raw`^UPDATE\s+${NAME}`, 'i'),
  new RegExp(String.raw`^DELETE\s+FROM\s+${NAME}`, 'i'),
];
const TABLE_CHANGES = [
  new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?${NAME}`, 'i'),
  new RegExp(
    String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`,
    'i',
  ),
  new RegExp(String.raw`^DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i'),
  new RegExp(String.raw`^ALTER\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i'),
];

/** The table's name without schema or catalog (temp.quotas counts as quotas: it can shadow it). */
function bareName(qualified: string): string {
  const last = qualified.split('.').pop()!.trim();
  return (last.startsWith('"') ? last.slice(1, -1) : last).toLowerCase();
}

export function statementWrites(sql: string): StatementWrites {
  const text = sql
    .replace(/^(\s*--[^\n]*\n)*/, '')
    .trim()
    .replace(/;\s*$/, '');
  if (text.includes(';')) return EVERYTHING; // several statements (or a ';' in a literal): do not guess
  if (READS.test(text)) return NONE;
  if (/^WITH\b/i.test(text)) return /\b(INSERT|UPDATE|DELETE)\b/i.test(text) ? EVERYTHING : NONE;
  for (const pattern of ROW_CHANGES) {
    const m = pattern.exec(text);
    // With RETURNING, DuckDB reports no changed rows whatever it wrote.
    if (m) return { kind: 'table', table: bareName(m[1]!), rows: !/\bRETURNING\b/i.test(text) };
  }
  for (const pattern of TABLE_CHANGES) {
    const m = pattern.exec(text);
    if (m) return { kind: 'table', table: bareName(m[1]!), rows: false };
  }
  return EVERYTHING;
}
