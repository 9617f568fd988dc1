// `costctl dashboard`: the desk's one-screen answer. Every money figure is an exact sum of rows; one scan
// of hourly buckets since the earlier of last month's start and 30 days ago, plus one grouped query for
// cost types and top users, so it stays fast on tens of millions of rows.
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import type { QuotaState } from '../../domain/thresholds.js';
import { addCalendar, localDate, startOf } from '../../domain/time.js';
import { listAlerts } from '../alerts/state.js';
import { evaluateQuotas } from '../limits/status.js';
import { addBucket, emptyBucket, rollUp, usageBuckets, type UsageBucket } from './buckets.js';
import { usageWhere } from '../../db/usage-filters.js';

export interface Dashboard {
  at: Date;
  tz: string;
  today: { date: string; cost: Decimal; requests: bigint; tokens: bigint; unpriced_requests: bigint };
  month: {
    from: string;
    cost: Decimal;
    requests: bigint;
    tokens: bigint;
    cost_per_request: Decimal | null;
    cost_per_1k_tokens: Decimal | null;
  };
  last_month: { from: string; to: string; cost: Decimal; cost_to_same_point: Decimal };
  /** This month so far vs last month up to the same day and hour; null when last month had no spend. */
  mom_change_pct: number | null;
  quotas: {
    total: number;
    ok: number;
    warning: number;
    critical: number;
    exceeded: number;
    attention: Array<{ name: string; state: QuotaState; used: Decimal; limit: Decimal; percentage: Decimal | null }>;
  };
  alerts: {
    open: number;
    latest: Array<{ id: number; type: string; severity: string; title: string; created_at: string }>;
  };
  cost_by_type: Array<{ cost_type: string; total_cost: Decimal }>;
  top_users: Array<{ user: string; total_cost: Decimal; requests: bigint }>;
  daily_trend: Array<{ date: string; total_cost: Decimal }>;
}

const tokensOf = (b: UsageBucket) => b.tokens;

function sumRange(buckets: UsageBucket[], from: Date, to: Date): UsageBucket {
  const acc = emptyBucket(from);
  for (const b of buckets)
    if (b.start.getTime() >= from.getTime() && b.start.getTime() < to.getTime()) addBucket(acc, b);
  return acc;
}

export async function buildDashboard(db: Db, options: { at: Date; tz: string; topUsers?: number }): Promise<Dashboard> {
  const { at, tz } = options;
  const today = startOf('day', at, tz);
  const tomorrow = addCalendar('day', today, 1, tz);
  const month = startOf('month', at, tz);
  const lastMonth = addCalendar('month', month, -1, tz);
  const trendFrom = addCalendar('day', today, -29, tz);
  const from = new Date(Math.min(lastMonth.getTime(), trendFrom.getTime()));
  const end = new Date(at.getTime() + 1);
  const buckets = await usageBuckets(db, { from, to: end }, tz, {}, 'summary');
  const t = sumRange(buckets, today, end);
  const m = sumRange(buckets, month, end);
  const lm = sumRange(buckets, lastMonth, month);
  // The same point last month, to the hour (buckets are whole hours or quarters).
  const samePoint = addCalendar('month', startOf('hour', at, tz), -1, tz);
  const lmSame = sumRange(buckets, lastMonth, new Date(Math.min(samePoint.getTime(), month.getTime())));
  const mTokens = tokensOf(m);

  const where = usageWhere({ from: month, to: end });
  const grouped = await db.all(
    `SELECT cost_type, user_id, GROUPING(cost_type) AS g_type, coalesce(sum(total_cost), 0)::VARCHAR AS cost, sum(requests)::VARCHAR AS requests
     FROM usage WHERE ${where.sql} AND NOT unpriced GROUP BY GROUPING SETS ((cost_type), (user_id))`,
    where.params,
  );
  const byType = grouped
    .filter((r) => Number(r.g_type) === 0)
    .map((r) => ({ cost_type: r.cost_type as string, total_cost: new Decimal(r.cost) }))
    .sort((a, b) => b.total_cost.comparedTo(a.total_cost) || a.cost_type.localeCompare(b.cost_type));
  const topUsers = grouped
    .filter((r) => Number(r.g_type) === 1)
    .map((r) => ({
      user: (r.user_id as string | null) ?? '(none)',
      total_cost: new Decimal(r.cost),
      requests: BigInt(r.requests),
    }))
    .sort((a, b) => b.total_cost.comparedTo(a.total_cost) || a.user.localeCompare(b.user))
    .slice(0, options.topUsers ?? 5);

  const quotas = await evaluateQuotas(db, { at, tz });
  const count = (s: QuotaState) => quotas.filter((q) => q.state === s).length;
  const open = await listAlerts(db, { status: 'open' });

  return {
    at,
    tz,
    today: {
      date: localDate(today, tz),
      cost: t.cost,
      requests: t.requests,
      tokens: tokensOf(t),
      unpriced_requests: t.unpricedRequests,
    },
    month: {
      from: localDate(month, tz),
      cost: m.cost,
      requests: m.requests,
      tokens: mTokens,
      cost_per_request: m.requests > 0n ? m.cost.div(m.requests.toString()).toDecimalPlaces(10) : null,
      cost_per_1k_tokens: mTokens > 0n ? m.cost.times(1000).div(mTokens.toString()).toDecimalPlaces(10) : null,
    },
    last_month: {
      from: localDate(lastMonth, tz),
      to: localDate(addCalendar('day', month, -1, tz), tz),
      cost: lm.cost,
      cost_to_same_point: lmSame.cost,
    },
    mom_change_pct: lmSame.cost.isZero()
      ? null
      : Math.round(m.cost.minus(lmSame.cost).div(lmSame.cost).times(10000).toNumber()) / 100,
    quotas: {
      total: quotas.length,
      ok: count('ok'),
      warning: count('warning'),
      critical: count('critical'),
      exceeded: count('exceeded'),
      attention: quotas
        .filter((q) => q.state !== 'ok')
        .map((q) => ({ name: q.name, state: q.state, used: q.used, limit: q.limit, percentage: q.percentage })),
    },
    alerts: {
      open: open.length,
      latest: open
        .slice(-5)
        .reverse()
        .map((a) => ({ id: a.id, type: a.type, severity: a.severity, title: a.title, created_at: a.created_at })),
    },
    cost_by_type: byType,
    top_users: topUsers,
    daily_trend: rollUp(buckets, 'day', trendFrom, tomorrow, tz).map((d) => ({
      date: localDate(d.start, tz),
      total_cost: d.cost,
    })),
  };
}
