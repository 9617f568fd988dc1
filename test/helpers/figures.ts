// Reading the tables a command printed (cli-table3 frames), to check how their figures are written: one
// money precision per column, counts of four or more digits grouped (#18).

/** The body cells of each table in the output, column by column. */
export function tableColumns(text: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) current = [];
    else if (line.startsWith('└') && current) {
      tables.push(current);
      current = null;
    } else if (current && line.startsWith('│')) {
      const cells = line
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim());
      cells.forEach((c, i) => {
        current![i] ??= [];
        current![i]!.push(c);
      });
    }
  }
  // The first row of each column is its header.
  return tables.map((t) => t.map((col) => col.slice(1)));
}

const MONEY = /^-?(?:\$|[A-Z]{3} )[\d,]+(?:\.(\d+))?$/;

/** Problems found: a column whose amounts have different decimals, or a count of 4+ digits not grouped. */
export function figureProblems(text: string): string[] {
  const problems: string[] = [];
  tableColumns(text).forEach((table, t) => {
    table.forEach((column, c) => {
      const decimals = new Set(column.flatMap((cell) => MONEY.exec(cell)?.[1]?.length ?? []));
      if (decimals.size > 1) problems.push(`table ${t} column ${c}: ${column.filter((x) => MONEY.test(x)).join(' ')}`);
      for (const cell of column)
        for (const token of cell.split(/[\s/]+/))
          if (/^-?\d{4,}(\.\d+)?$/.test(token)) problems.push(`table ${t} column ${c}: ungrouped ${token}`);
    });
  });
  return problems;
}
