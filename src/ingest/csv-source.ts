// Reading a CSV for an adapter: the header (names → safe column names c0…cN), a relation that DuckDB's
// parallel reader fills with every cell as text plus a record ordinal, and afterwards the map from that
// ordinal back to the physical line (header = line 1) using the lines that did not start a good record.
import { DataError } from '../errors.js';
import type { Db } from '../db/database.js';
import type { IngestFile, StageResult } from './types.js';
import { defineStagedViews, stageUsageRows, type RawUsageSpec } from './validate-usage.js';
import { scanFileCached } from './file-scan.js';
import { sqlString } from '../db/sql.js';

/** Cells of one CSV line (RFC 4180 quoting), for the header only. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

export function csvHeader(head: string): string[] {
  const first = head.replace(/^\uFEFF/, '').split('\n')[0] ?? '';
  return splitCsvLine(first.replace(/\r$/, '')).map((h) => h.trim());
}

export interface CsvSource {
  /** Header names as written (trimmed). */
  header: string[];
  /** Lower-cased header name → column (c0…) in `relation`. */
  column: (name: string) => string | undefined;
  /** Relation with c0…cN as VARCHAR, records in file order (their ordinal is the staged rowid + 1). */
  relation: string;
  /** SQL text of a rejected record rebuilt from its cells (for reasons found after parsing). */
  rawExpr: string;
}

const REJECTS_TABLE = 'ingest_csv_errors';
const REJECTS_SCAN = 'ingest_csv_scans';

export async function openCsvSource(db: Db, file: IngestFile): Promise<CsvSource> {
  const header = csvHeader(file.head);
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.toLowerCase();
    if (seen.has(key)) {
      throw new DataError(
        `${file.displayPath}:1: column "${h}" appears twice in the header (columns ${seen.get(key)! + 1} and ${i + 1}); rename one`,
      );
    }
    seen.set(key, i);
  });
  await db.run(`DROP TABLE IF EXISTS ${REJECTS_TABLE}`);
  await db.run(`DROP TABLE IF EXISTS ${REJECTS_SCAN}`);
  const columns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  // The spreadsheet guard of costctl's own CSV exports (csvCell) undone: one leading `'` before = + - @
  // (tab, CR), after any further `'`s, comes off, so an exported user id "=ops" re-ingests as "=ops".
  const unguard = (c: string) =>
    `CASE WHEN starts_with(${c}, '''') AND regexp_matches(${c}, '^''+[=+\\-@\\t\\r]') THEN substr(${c}, 2) ELSE ${c} END AS ${c}`;
  const relation = `(SELECT ${header.map((_, i) => unguard(`c${i}`)).join(', ')} FROM read_csv(${sqlString(file.localPath)}, header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}},
    store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECTS_SCAN}'))`;
  const quoteCell = (c: string) =>
    `CASE WHEN ${c} IS NULL THEN '' WHEN regexp_matches(${c}, '[",\\r\\n]') THEN '"' || replace(${c}, '"', '""') || '"' ELSE ${c} END`;
  return {
    header,
    column: (name) => {
      const i = seen.get(name.toLowerCase());
      return i === undefined ? undefined : `c${i}`;
    },
    relation,
    rawExpr: `concat_ws(',', ${header.map((_, i) => quoteCell(`c${i}`)).join(', ')})`,
  };
}

/** Records DuckDB's reader refused (wrong column count, bad quoting), as (line, reason, raw). */
export function csvReaderRejectsSql(): string {
  return `SELECT line::BIGINT AS line,
      first(CASE error_type WHEN 'TOO MANY COLUMNS' THEN 'wrong column count: ' || error_message
        WHEN 'MISSING COLUMNS' THEN 'wrong column count: ' || error_message
        ELSE lower(error_type::VARCHAR) || ': ' || error_message END) AS reason,
      first(csv_line) AS raw
    FROM ${REJECTS_TABLE} GROUP BY line`;
}

/**
 * Maps the record ordinal `_n` to the physical line. Good records are numbered 1, 2, … in file order;
 * lines that are blank, continue a quoted cell, or were refused by the reader take no number.
 * Returns SQL over `ord` (and, for long skip lists, a join on `ord` the caller adds).
 */
export async function csvLineMapping(
  db: Db,
  file: IngestFile,
): Promise<{ lineOf: (ord: string) => string; join?: (ord: string) => string; readerRejects: number }> {
  const scan = await scanFileCached(file.localPath, { csv: true });
  const refused = (await db.all<{ line: string }>(`SELECT DISTINCT line::VARCHAR AS line FROM ${REJECTS_TABLE}`)).map(
    (r) => Number(r.line),
  );
  const skips = [...new Set([...scan.nonRecordLines.filter((l) => l > 1), ...refused])].sort((a, b) => a - b);
  // Good record k sits on line k + 1 + (number of skipped lines before it); t_i = s_i - i - 1 is the
  // number of good records before the i-th skipped line.
  const thresholds = skips.map((s, i) => s - (i + 1) - 1);
  if (thresholds.length === 0) return { lineOf: (o) => `(${o} + 1)`, readerRejects: refused.length };
  if (thresholds.length <= 200) {
    return {
      lineOf: (o) =>
        `(${o} + 1 + CASE ${thresholds.map((t, i) => `WHEN ${o} <= ${t} THEN ${i}`).join(' ')} ELSE ${thresholds.length} END)`,
      readerRejects: refused.length,
    };
  }
  // Consecutive skipped lines share a threshold; the last of them counts.
  const byThreshold = new Map<number, number>();
  thresholds.forEach((t, i) => {
    byThreshold.set(t, i + 1);
  });
  const pairs = [...byThreshold];
  await db.run('CREATE OR REPLACE TEMP TABLE ingest_line_skips (t BIGINT, i BIGINT)');
  for (let k = 0; k < pairs.length; k += 1000) {
    const chunk = pairs.slice(k, k + 1000);
    await db.run(`INSERT INTO ingest_line_skips VALUES ${chunk.map(([t, i]) => `(${t}, ${i})`).join(', ')}`);
  }
  return {
    lineOf: (o) => `(${o} + 1 + coalesce(_skip.i, 0))`,
    join: (o) => `ASOF LEFT JOIN ingest_line_skips _skip ON ${o} > _skip.t`,
    readerRejects: refused.length,
  };
}

/**
 * Stages a CSV usage file the way every CSV adapter does: validate and map the rows in SQL, then tie each
 * reader row to its physical line (and count the rows DuckDB's reader itself refused).
 */
export async function stageCsvUsage(
  db: Db,
  file: IngestFile,
  csv: CsvSource,
  spec: Omit<RawUsageSpec, 'raw' | 'deferViews'>,
): Promise<StageResult> {
  const checked = await stageUsageRows(db, { ...spec, raw: csv.rawExpr, deferViews: true });
  const mapping = await csvLineMapping(db, file);
  await defineStagedViews(db, checked, spec.source, mapping.lineOf, csvReaderRejectsSql(), mapping.join);
  return { rowsRead: checked.rowsRead + mapping.readerRejects };
}
