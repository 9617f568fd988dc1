// Who moved an anomalous bucket: per user, model and department, the bucket's cost minus the median of the
// same keys in the baseline buckets (same slot, previous weeks). One grouped query per anomaly.
import type { Db, SqlParam } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { median } from '../../domain/stats.js';
import { sqlTimestamp } from '../../domain/time.js';
import { filterWhere, type UsageFilters } from '../../db/usage-filters.js';

export interface Contributor {
  key: string;
  actual: Decimal;
  /** Median of the key's cost in the baseline buckets (an estimate, 6 decimals). */
  expected: Decimal;
  delta: Decimal;
}
export interface Contributors {
  user: Contributor[];
  model: Contributor[];
  department: Contributor[];
}

const DIMS = { user: 'user_id', model: 'model', department: 'department' } as const;
const TOP = 3;

export async function contributorsOf(
  db: Db,
  input: { start: Date; end: Date; baselineStarts: Date[]; direction: 'spike' | 'drop'; filters?: UsageFilters },
): Promise<Contributors> {
  const length = input.end.getTime() - input.start.getTime();
  const ranges = [input.start, ...input.baselineStarts].map((s) => [s, new Date(s.getTime() + length)] as const);
  const partCase = ranges.map((_, i) => `WHEN ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP THEN ${i}`).join(' ');
  const rangeParams: SqlParam[] = ranges.flatMap(([a, b]) => [sqlTimestamp(a), sqlTimestamp(b)]);
  const anyRange = ranges.map(() => '(ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP)').join(' OR ');
  const f = filterWhere(input.filters ?? {});
  const rows = await db.all(
    `SELECT CASE ${partCase} END AS part, user_id, model, department,
            GROUPING(user_id) AS gu, GROUPING(model) AS gm, GROUPING(department) AS gd,
            coalesce(sum(total_cost), 0)::VARCHAR AS cost
     FROM usage WHERE (${anyRange}) AND ${f.sql}
     GROUP BY GROUPING SETS ((part, user_id), (part, model), (part, department))`,
    [...rangeParams, ...rangeParams, ...f.params],
  );
  const baselines = ranges.length - 1;
  const out: Contributors = { user: [], model: [], department: [] };
  for (const [dim, column] of Object.entries(DIMS) as Array<[keyof Contributors, string]>) {
    const flag = dim === 'user' ? 'gu' : dim === 'model' ? 'gm' : 'gd';
    const perKey = new Map<string, { actual: Decimal; base: number[] }>();
    for (const r of rows) {
      if (Number(r[flag]) !== 0) continue;
      const key = (r[column] as string | null) ?? '(none)';
      const e = perKey.get(key) ?? { actual: new Decimal(0), base: [] };
      if (Number(r.part) === 0) e.actual = e.actual.plus(r.cost);
      else e.base.push(Number(r.cost));
      perKey.set(key, e);
    }
    const list = [...perKey].map(([key, e]) => {
      // A key absent from a baseline bucket spent 0 there.
      const base = [...e.base, ...Array(Math.max(0, baselines - e.base.length)).fill(0)];
      const expected = new Decimal(base.length ? median(base).toFixed(6) : '0');
      return { key, actual: e.actual, expected, delta: e.actual.minus(expected) };
    });
    const sign = input.direction === 'spike' ? -1 : 1;
    out[dim] = list.sort((a, b) => sign * a.delta.comparedTo(b.delta) || a.key.localeCompare(b.key)).slice(0, TOP);
  }
  return out;
}
