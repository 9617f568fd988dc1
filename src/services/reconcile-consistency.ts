// Internal consistency: every stored figure equals what its rows say. Usage rows must carry a total
// equal to the sum of their components (and unpriced rows no cost at all); `repair` re-prices the rows
// that do not, with the same SQL pricing ingest uses, and reports each change.
import type { Db } from '../db/database.js';
import { buildModelMap, pricedSelectSql } from '../db/pricing-sql.js';
import { moneyString } from '../domain/money.js';

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
  const priced = ['priced_model', 'price_version', 'unpriced', ...COMPONENTS, 'total_cost'];
  await db.run(`CREATE OR REPLACE TEMP TABLE repair_rows AS SELECT * EXCLUDE (${priced.join(', ')}) FROM usage WHERE ${BAD_ROW}`);
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

export async function checkConsistency(db: Db, options: { repair?: boolean } = {}): Promise<ConsistencyReport> {
  const total = await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM usage');
  const checked = Number(total?.n ?? 0);
  const rowIssues = await badUsageRows(db);
  const dangling = await danglingPriceVersions(db);
  const repaired = options.repair && rowIssues.length ? await db.transaction(() => repairUsageRows(db)) : [];
  return {
    checks: [
      { name: 'usage_row_total', checked, problems: rowIssues.length },
      { name: 'usage_price_version', checked, problems: dangling.length },
    ],
    issues: [...rowIssues, ...dangling],
    repaired,
  };
}
