// The cost series an anomaly scan looks at: the total, or one series per key of a dimension (the 20 keys
// with the most spend in the scanned range, so a scan stays one grouped query however many users exist).
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { bucketSeconds, emptyBucket, usageBuckets, type UsageBucket } from './buckets.js';
import { FILTER_COLUMNS, usageWhere, type FilterName, type UsageFilters } from '../../db/usage-filters.js';

/** Every filter but session: a session is too short-lived to have a baseline of its own. */
export const ANOMALY_DIMENSIONS = (Object.keys(FILTER_COLUMNS) as FilterName[]).filter((d) => d !== 'session');
export const TOP_KEYS = 20;

export interface CostSeries {
  /** 'total', or the dimension (user, model, …) of a per-key series. */
  dimension: 'total' | FilterName;
  key: string;
  buckets: UsageBucket[];
}

export async function costSeries(
  db: Db,
  input: { from: Date; to: Date; tz: string; filters?: UsageFilters; dimension?: FilterName },
): Promise<CostSeries[]> {
  const range = { from: input.from, to: input.to };
  if (!input.dimension)
    return [{ dimension: 'total', key: '', buckets: await usageBuckets(db, range, input.tz, input.filters, 'cost') }];
  const column = FILTER_COLUMNS[input.dimension];
  const seconds = bucketSeconds(range, input.tz);
  const where = usageWhere(range, input.filters ?? {});
  const rows = await db.all(
    `WITH top AS (
       SELECT ${column} AS k FROM usage WHERE ${where.sql} AND ${column} IS NOT NULL
       GROUP BY 1 ORDER BY sum(total_cost) DESC NULLS LAST, 1 LIMIT ${TOP_KEYS}
     )
     SELECT ${column} AS k, (epoch_us(ts) // ${seconds * 1_000_000})::VARCHAR AS b,
            coalesce(sum(total_cost), 0)::VARCHAR AS cost, sum(requests)::VARCHAR AS requests
     FROM usage WHERE ${where.sql} AND ${column} IN (SELECT k FROM top)
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [...where.params, ...where.params],
  );
  const byKey = new Map<string, UsageBucket[]>();
  for (const r of rows) {
    const bucket = emptyBucket(new Date(Number(r.b) * seconds * 1000));
    bucket.cost = new Decimal(r.cost);
    bucket.requests = BigInt(r.requests);
    const list = byKey.get(r.k) ?? [];
    list.push(bucket);
    byKey.set(r.k, list);
  }
  return [...byKey].map(([key, buckets]) => ({ dimension: input.dimension!, key, buckets }));
}
