// Healing a torn write on open. A file's rows, its rejects and its ledger entry (ingest_files) commit in
// one transaction, and so do the rollup entries for them; yet a process killed with -9 while DuckDB
// commits can come back with the file's rows and without its ledger entry or rollup entries (measured:
// docs/torn-commit.md). Such rows belong to no committed file: a re-ingest would call them duplicates and
// never complete the file, and `check` would read a rollup that misses them. So every command, before it
// reads or writes anything, removes what a file the ledger does not know left behind (the database is
// then as it was before that file, which a rerun of the ingest completes) and rebuilds a rollup whose
// row count disagrees with the rows.
//
// Cheap on a healthy file (about 2 ms at 500k rows): the first checks read column statistics only. A
// file that never reached the ledger always has the highest file id, because this runs on every open,
// before any later file can take an id; the exact anti-join runs only when the statistics point at one.
import type { Db } from '../../db/database.js';
import { ROLLUP_END } from '../../domain/rollup-plan.js';
import { sqlTimestamp } from '../../domain/time.js';
import { refreshRollup, rollupState } from '../limits/rollup.js';

/** Tables whose rows carry the ingested file they came from. */
const FILE_TABLES = [
  { table: 'usage', column: 'file_id' },
  { table: 'billing_lines', column: 'file_id' },
  { table: 'rejects', column: 'file_id' },
  { table: 'usage_revisions', column: 'restated_by_file' },
  { table: 'billing_line_revisions', column: 'restated_by_file' },
] as const;

export interface HealReport {
  /** File ids with rows but no ledger entry, and what was taken out or put back per table. */
  files: number[];
  removed: { table: string; rows: number }[];
  /** Stored rows an unfinished restatement had moved aside, put back. */
  restored: number;
  rollupRebuilt: boolean;
}

async function highestFileIds(db: Db): Promise<{ ledger: bigint; rows: bigint }> {
  const maxes = FILE_TABLES.map((t) => `(SELECT max(${t.column}) FROM ${t.table})`).join(', ');
  const row = await db.one<{ ledger: string | null; rows: string | null }>(
    `SELECT (SELECT max(id) FROM ingest_files)::VARCHAR AS ledger, greatest(${maxes})::VARCHAR AS rows`,
  );
  return { ledger: BigInt(row?.ledger ?? 0), rows: BigInt(row?.rows ?? 0) };
}

/** File ids that rows name and the ledger does not (the exact check; a scan of each table's file column). */
async function unledgeredFiles(db: Db): Promise<number[]> {
  const ids = FILE_TABLES.map((t) => `SELECT ${t.column} AS id FROM ${t.table} WHERE ${t.column} IS NOT NULL`);
  const rows = await db.all<{ id: string }>(
    `SELECT DISTINCT id::VARCHAR AS id FROM (${ids.join(' UNION ALL ')}) x
     WHERE NOT EXISTS (SELECT 1 FROM ingest_files f WHERE f.id = x.id) ORDER BY 1`,
  );
  return rows.map((r) => Number(r.id));
}

/** Removes an unfinished file's rows and puts back the rows its restatements had moved aside. */
async function undoFiles(db: Db, files: number[]): Promise<Pick<HealReport, 'removed' | 'restored'>> {
  const list = files.join(', '); // integers read from the database
  const removed: HealReport['removed'] = [];
  let restored = 0;
  for (const table of ['usage', 'billing_lines', 'rejects']) {
    const r = await db.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${table} WHERE file_id IN (${list})`);
    if (Number(r?.n ?? 0) === 0) continue;
    await db.run(`DELETE FROM ${table} WHERE file_id IN (${list})`);
    removed.push({ table, rows: Number(r!.n) });
  }
  for (const [table, revisions, key] of [
    ['usage', 'usage_revisions', 'request_id'],
    ['billing_lines', 'billing_line_revisions', 'line_key'],
  ] as const) {
    const back = await db.all<{ Count: string }>(
      `INSERT INTO ${table} BY NAME SELECT * EXCLUDE (restated_by_file, restated_at) FROM ${revisions} r
       WHERE r.restated_by_file IN (${list})
         AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.source = r.source AND t.${key} = r.${key})`,
    );
    restored += Number(back[0]?.Count ?? 0);
    await db.run(`DELETE FROM ${revisions} WHERE restated_by_file IN (${list})`);
  }
  return { removed, restored };
}

/** Whether the rollup's all-time global bucket counts as many rows as usage holds in the rollup's range. */
async function rollupCountsRows(db: Db): Promise<boolean> {
  const end = sqlTimestamp(ROLLUP_END);
  // count/min/max without a filter come from statistics; the filtered count only runs for rows out of range.
  const stats = await db.one<{ n: string; inside: boolean | null }>(
    `SELECT count(*)::VARCHAR AS n, (min(ts) >= TIMESTAMP '1970-01-01' AND max(ts) < ?::TIMESTAMP) AS inside FROM usage`,
    [end],
  );
  let rows = stats?.n ?? '0';
  if (stats?.inside === false) {
    const inRange = await db.one<{ n: string }>(
      `SELECT count(*)::VARCHAR AS n FROM usage WHERE ts >= TIMESTAMP '1970-01-01' AND ts < ?::TIMESTAMP`,
      [end],
    );
    rows = inRange?.n ?? '0';
  }
  const rolled = await db.one<{ n: string | null }>(
    `SELECT sum(r.rows_)::VARCHAR AS n FROM usage_rollup r, rollup_scopes s
     WHERE s.scope_type = 'global' AND s.model = '' AND r.k >= (s.scope_id * 8 + 5) * ${2 ** 24}
       AND r.k < (s.scope_id * 8 + 6) * ${2 ** 24}`,
  );
  return (rolled?.n ?? '0') === rows;
}

/** Finds and heals a torn write; null when there was nothing to heal (the usual case). */
export async function healTornWrites(db: Db, now: Date): Promise<HealReport | null> {
  const report: HealReport = { files: [], removed: [], restored: 0, rollupRebuilt: false };
  const ids = await highestFileIds(db);
  if (ids.rows > ids.ledger) report.files = await unledgeredFiles(db);
  const rollupBuilt = Boolean(await rollupState(db));
  if (report.files.length === 0 && (!rollupBuilt || (await rollupCountsRows(db)))) return null;
  await db.transaction(async () => {
    if (report.files.length) Object.assign(report, await undoFiles(db, report.files));
    if (rollupBuilt && (report.files.length > 0 || !(await rollupCountsRows(db)))) {
      await refreshRollup(db, now);
      report.rollupRebuilt = true;
    }
  });
  return report;
}

/** The one line a user sees on stderr, and the audit entry's arguments. */
export function describeHeal(report: HealReport): string[] {
  const parts: string[] = [];
  if (report.files.length) {
    const rows = report.removed.map((r) => `${r.rows} ${r.table} row(s)`).join(', ') || 'no rows';
    parts.push(
      `removed ${rows} of unfinished ingest file id(s) ${report.files.join(', ')} (a process stopped while committing; ingest the file again)`,
    );
  }
  if (report.restored) parts.push(`put back ${report.restored} row(s) its restatement had moved aside`);
  if (report.rollupRebuilt) parts.push('rebuilt the quota rollup from the usage rows');
  return parts;
}
