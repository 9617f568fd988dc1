// `report dist`: where the money goes by one dimension, sorted by cost; --top N folds the rest into
// "other"; unpriced usage is always its own line (its cost is unknown, not zero).
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import type { ReportScope } from './scope.js';
import { usageWhere } from '../../db/usage-filters.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export const DIST_DIMENSIONS = {
  user: 'user_id',
  department: 'department',
  organization: 'organization',
  project: 'project',
  model: 'model',
  provider: 'provider',
  'request-type': 'request_type',
  'cost-type': 'cost_type',
  account: 'account_id',
  session: 'session_id',
  sop: 'sop_instance_id',
  // How the request was served (usage-log v2): what a flex, priority, fast or regional request cost.
  'service-tier': 'service_tier',
  speed: 'speed',
  region: 'region',
} as const;
export type DistDimension = keyof typeof DIST_DIMENSIONS;

export const NONE_KEY = '(none)';
export const OTHER_KEY = 'other';
export const UNPRICED_KEY = '(unpriced)';

export interface DistRow {
  key: string;
  /** null for the unpriced line: the cost is unknown. */
  total_cost: Decimal | null;
  requests: bigint;
  tokens: bigint;
  share_pct: number | null;
}

const TOKENS = totalTokensSql();

export async function distReport(db: Db, scope: ReportScope & { by: DistDimension; top?: number }): Promise<DistRow[]> {
  const column = DIST_DIMENSIONS[scope.by];
  const where = usageWhere(scope, scope.filters);
  const rows = await db.all(
    `SELECT unpriced, ${column} AS key, coalesce(sum(total_cost), 0)::VARCHAR AS cost,
            sum(requests)::VARCHAR AS requests, sum(${TOKENS})::VARCHAR AS tokens
     FROM usage WHERE ${where.sql} GROUP BY ALL`,
    where.params,
  );
  const priced = new Map<string, { cost: Decimal; requests: bigint; tokens: bigint }>();
  const unpriced = { requests: 0n, tokens: 0n, rows: 0 };
  for (const r of rows) {
    if (r.unpriced) {
      unpriced.requests += BigInt(r.requests);
      unpriced.tokens += BigInt(r.tokens);
      unpriced.rows++;
      continue;
    }
    const key = r.key ?? NONE_KEY;
    const acc = priced.get(key) ?? { cost: new Decimal(0), requests: 0n, tokens: 0n };
    acc.cost = acc.cost.plus(r.cost);
    acc.requests += BigInt(r.requests);
    acc.tokens += BigInt(r.tokens);
    priced.set(key, acc);
  }
  let total = new Decimal(0);
  for (const v of priced.values()) total = total.plus(v.cost);
  const share = (c: Decimal) => (total.isZero() ? null : Math.round(c.div(total).times(10000).toNumber()) / 100);
  const sorted = [...priced].sort((a, b) => b[1].cost.comparedTo(a[1].cost) || a[0].localeCompare(b[0]));
  const top = scope.top !== undefined && sorted.length > scope.top ? scope.top : sorted.length;
  const out: DistRow[] = sorted
    .slice(0, top)
    .map(([key, v]) => ({ key, total_cost: v.cost, requests: v.requests, tokens: v.tokens, share_pct: share(v.cost) }));
  if (top < sorted.length) {
    const rest = { cost: new Decimal(0), requests: 0n, tokens: 0n };
    for (const [, v] of sorted.slice(top)) {
      rest.cost = rest.cost.plus(v.cost);
      rest.requests += v.requests;
      rest.tokens += v.tokens;
    }
    out.push({
      key: OTHER_KEY,
      total_cost: rest.cost,
      requests: rest.requests,
      tokens: rest.tokens,
      share_pct: share(rest.cost),
    });
  }
  if (unpriced.rows > 0)
    out.push({
      key: UNPRICED_KEY,
      total_cost: null,
      requests: unpriced.requests,
      tokens: unpriced.tokens,
      share_pct: null,
    });
  return out;
}
