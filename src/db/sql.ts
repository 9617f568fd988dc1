// Quoting for the few places SQL text must carry a value or a name (file paths in COPY/EXPORT, column
// names from a file's header). Everything else binds parameters.

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL identifier (table or column name). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
