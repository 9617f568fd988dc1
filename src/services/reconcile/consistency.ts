// Internal consistency: every stored figure equals what its rows say. Usage rows must carry a total
// equal to the sum of their components (and unpriced rows no cost at all); the ingest ledger's per-file
// totals must equal the sum of that file's rows. `repair` re-prices bad rows with the same SQL pricing
// ingest uses and recomputes ledger totals, and reports each change. Quota and budget usage is never
// stored (it is summed from the rows on every question), so there is no counter to drift.
import type { Db } from '../../db/database.js';
import { buildModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
import { Decimal, moneyString } from '../../domain/money.js';
import { refreshRollup, verifyRollup } from '../limits/rollup.js';

export interface ConsistencyIssue {
  check: string;
  subject: string;
  stored: string | null;
  expected: string | null;
  repairable: boolean;
}

export interface ConsistencyChange {
  check: string;
  subject: string;
  before: string | null;
  after: string | null;
}

export interface ConsistencyReport {
  checks: { name: string; checked: number; problems: number }[];
  issues: ConsistencyIssue[];
  repaired: ConsistencyChange[];
}

const COMPONENTS = ['input_cost', 'output_cost', 'cache_read_cost', 'cache_write_cost', 'base_cost'] as const;
const SUM = COMPONENTS.map((c) => `coalesce(${c}, 0)`).join(' + ');

/** Priced rows whose total is missing or differs from its parts; unpriced rows that carry a cost. */
const BAD_ROW = `(
  (NOT unpriced AND (total_cost IS NULL OR ${COMPONENTS.map((c) => `${c} IS NULL`).join(' OR ')} OR total_cost <> (${SUM})::DECIMAL(38,18)))
  OR (unpriced AND (total_cost IS NOT NULL OR price_version IS NOT NULL))
)`;

async function badUsageRows(db: Db): Promise<ConsistencyIssue[]> {
  const rows = await db.all(
    `SELECT source, request_id, total_cost::VARCHAR AS stored, (${SUM})::DECIMAL(38,18)::VARCHAR AS parts, unpriced
     FROM usage WHERE ${BAD_ROW} ORDER BY source, request_id LIMIT 1000`,
  );
  return rows.map((r) => ({
    check: 'usage_row_total',
    subject: `usage ${r.source}/${r.request_id}`,
    stored: r.stored === null ? null : moneyString(r.stored),
    expected: r.unpriced ? null : moneyString(r.parts),
    repairable: true,
  }));
}

/** The quota rollup differs from its rows (a bug, or a write outside costctl): a rebuild fixes it. */
function rollupIssue(buckets: number): ConsistencyIssue {
  return {
    check: 'usage_rollup',
    subject: 'usage_rollup',
    stored: `${buckets} buckets differ`,
    expected: 'the sums of the usage rows',
    repairable: true,
  };
}

/** Rows priced with a version that no longer exists cannot be re-derived; they are reported only. */
async function danglingPriceVersions(db: Db): Promise<ConsistencyIssue[]> {
  const rows = await db.all(
    `SELECT u.source, u.request_id, u.price_version::VARCHAR AS pv FROM usage u
     WHERE u.price_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM model_prices p WHERE p.id = u.price_version)
     ORDER BY 1, 2 LIMIT 1000`,
  );
  return rows.map((r) => ({
    check: 'usage_price_version',
    subject: `usage ${r.source}/${r.request_id}`,
    stored: `price_version ${r.pv}`,
    expected: 'an existing price version',
    repairable: false,
  }));
}

async function repairUsageRows(db: Db): Promise<ConsistencyChange[]> {
  const priced = [
    'priced_model',
    'price_version',
    'unpriced',
    ...COMPONENTS,
    'total_cost',
    'price_rules',
    'unpriced_parts',
  ];
  await db.run(
    `CREATE OR REPLACE TEMP TABLE repair_rows AS SELECT * EXCLUDE (${priced.join(', ')}) FROM usage WHERE ${BAD_ROW}`,
  );
  await buildModelMap(db, 'repair_rows', 'repair_map');
  await db.run(`CREATE OR REPLACE TEMP TABLE repaired AS ${pricedSelectSql('repair_rows', 'repair_map')}`);
  const changes = await db.all(
    `SELECT r.source, r.request_id, u.total_cost::VARCHAR AS before, r.total_cost::VARCHAR AS after
     FROM repaired r JOIN usage u ON u.source = r.source AND u.request_id = r.request_id ORDER BY 1, 2`,
  );
  await db.run(
    `UPDATE usage SET ${priced.map((c) => `${c} = r.${c}`).join(', ')}
     FROM repaired r WHERE usage.source = r.source AND usage.request_id = r.request_id`,
  );
  await db.run('DROP TABLE repaired');
  await db.run('DROP TABLE repair_rows');
  return changes.map((c) => ({
    check: 'usage_row_total',
    subject: `usage ${c.source}/${c.request_id}`,
    before: c.before === null ? null : moneyString(c.before),
    after: c.after === null ? null : moneyString(c.after),
  }));
}

interface LedgerRow {
  id: string;
  path: string;
  kind: string;
  rows_loaded: string;
  rows_unpriced: string;
  stored_total: string | null;
  n: string;
  unpriced: string;
  total: string;
}

/** Per file of the ingest ledger: what it recorded against what its rows (usage or billing lines) now sum to. */
async function ledgerRows(db: Db): Promise<LedgerRow[]> {
  const exists = await db.one(
    "SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'ingest_files' AND table_schema = 'main'",
  );
  if (!exists) return [];
  return db.all<LedgerRow>(
    // A file's rows are those still current plus those a later export restated since.
    `WITH u AS (SELECT file_id, count(*) AS n, count(*) FILTER (WHERE unpriced) AS unpriced, coalesce(sum(total_cost), 0) AS total
                FROM (SELECT file_id, unpriced, total_cost FROM usage UNION ALL SELECT file_id, unpriced, total_cost FROM usage_revisions)
                WHERE file_id IS NOT NULL GROUP BY 1),
          b AS (SELECT file_id, count(*) AS n, coalesce(sum(billed_cost), 0) AS total
                FROM (SELECT file_id, billed_cost FROM billing_lines UNION ALL SELECT file_id, billed_cost FROM billing_line_revisions)
                WHERE file_id IS NOT NULL GROUP BY 1)
     SELECT f.id::VARCHAR AS id, f.path, f.kind, f.rows_loaded::VARCHAR AS rows_loaded, f.rows_unpriced::VARCHAR AS rows_unpriced,
       f.total_cost::VARCHAR AS stored_total,
       coalesce(CASE WHEN f.kind = 'usage' THEN u.n ELSE b.n END, 0)::VARCHAR AS n,
       coalesce(CASE WHEN f.kind = 'usage' THEN u.unpriced ELSE 0 END, 0)::VARCHAR AS unpriced,
       coalesce(CASE WHEN f.kind = 'usage' THEN u.total ELSE b.total END, 0)::DECIMAL(38,18)::VARCHAR AS total
     FROM ingest_files f LEFT JOIN u ON u.file_id = f.id LEFT JOIN b ON b.file_id = f.id ORDER BY f.id`,
  );
}

function ledgerIssues(rows: LedgerRow[]): ConsistencyIssue[] {
  const issues: ConsistencyIssue[] = [];
  for (const r of rows) {
    const subject = `ingest file #${r.id} ${r.path}`;
    if (!new Decimal(r.stored_total ?? 0).eq(r.total)) {
      issues.push({
        check: 'ingest_file_total',
        subject,
        stored: r.stored_total === null ? null : moneyString(r.stored_total),
        expected: moneyString(r.total),
        repairable: true,
      });
    }
    if (r.rows_unpriced !== r.unpriced) {
      issues.push({
        check: 'ingest_file_unpriced',
        subject,
        stored: r.rows_unpriced,
        expected: r.unpriced,
        repairable: true,
      });
    }
    // Rows loaded is history (what that ingest stored); fewer rows now means rows were removed since.
    if (r.rows_loaded !== r.n) {
      issues.push({ check: 'ingest_file_rows', subject, stored: r.rows_loaded, expected: r.n, repairable: false });
    }
  }
  return issues;
}

async function repairLedger(db: Db, rows: LedgerRow[]): Promise<ConsistencyChange[]> {
  const changes: ConsistencyChange[] = [];
  for (const r of rows) {
    const subject = `ingest file #${r.id} ${r.path}`;
    if (!new Decimal(r.stored_total ?? 0).eq(r.total)) {
      await db.run('UPDATE ingest_files SET total_cost = ?::DECIMAL(38,18) WHERE id = ?', [r.total, Number(r.id)]);
      changes.push({
        check: 'ingest_file_total',
        subject,
        before: r.stored_total === null ? null : moneyString(r.stored_total),
        after: moneyString(r.total),
      });
    }
    if (r.rows_unpriced !== r.unpriced) {
      await db.run('UPDATE ingest_files SET rows_unpriced = ?::BIGINT WHERE id = ?', [r.unpriced, Number(r.id)]);
      changes.push({ check: 'ingest_file_unpriced', subject, before: r.rows_unpriced, after: r.unpriced });
    }
  }
  return changes;
}

/** What is inconsistent now; with `repair`, fixes what can be recomputed first and reports the changes. */
export async function checkConsistency(db: Db, options: { repair?: boolean } = {}): Promise<ConsistencyReport> {
  if (options.repair) {
    const repaired = await db.transaction(async () => {
      // Rows first: the ledger totals are then recomputed from the repaired rows.
      const rows = (await badUsageRows(db)).length ? await repairUsageRows(db) : [];
      const fixed = [...rows, ...(await repairLedger(db, await ledgerRows(db)))];
      const rollupOff = await verifyRollup(db);
      if (rows.length || rollupOff) await refreshRollup(db);
      if (rollupOff)
        fixed.push({
          check: 'usage_rollup',
          subject: 'usage_rollup',
          before: `${rollupOff} buckets differ`,
          after: 'rebuilt from the usage rows',
        });
      return fixed;
    });
    return { ...(await checkConsistency(db)), repaired };
  }
  const total = await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM usage');
  const checked = Number(total?.n ?? 0);
  const rowIssues = await badUsageRows(db);
  const dangling = await danglingPriceVersions(db);
  const ledger = await ledgerRows(db);
  const ledgerFound = ledgerIssues(ledger);
  const count = (check: string) => ledgerFound.filter((i) => i.check === check).length;
  const rollupOff = await verifyRollup(db);
  return {
    checks: [
      { name: 'usage_row_total', checked, problems: rowIssues.length },
      { name: 'usage_price_version', checked, problems: dangling.length },
      { name: 'ingest_file_total', checked: ledger.length, problems: count('ingest_file_total') },
      { name: 'ingest_file_unpriced', checked: ledger.length, problems: count('ingest_file_unpriced') },
      { name: 'ingest_file_rows', checked: ledger.length, problems: count('ingest_file_rows') },
      // The quota rollup against a fresh aggregation of the rows (nothing to check until it is built).
      { name: 'usage_rollup', checked: rollupOff === null ? 0 : checked, problems: rollupOff ?? 0 },
    ],
    issues: [...rowIssues, ...dangling, ...ledgerFound, ...(rollupOff ? [rollupIssue(rollupOff)] : [])],
    repaired: [],
  };
}
