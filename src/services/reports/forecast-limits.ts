// Where each cost quota and budget is heading: the forecast's daily spend, scaled by the share the quota's
// scope had of all spend over the last 28 days, added to what it used so far in its window.
import type { Db } from '../../db/database.js';
import type { Decimal } from '../../domain/money.js';
import { addCalendar, localDate } from '../../domain/time.js';
import { budgetStatuses } from '../limits/budgets.js';
import { evaluateQuotas, usageInWindows, usageOf, type UsageWindow } from '../limits/status.js';
import { estimateString } from './estimate-format.js';

export interface LimitProjection {
  name: string;
  /** `user:alice`, `global`, …; budgets are company-wide. */
  scope: string;
  limit: Decimal;
  used: Decimal;
  window_end: string | null;
  /** Projected spend at the window end (an estimate); null when it cannot be projected. */
  projected_at_window_end: string | null;
  /** The local date the limit is projected to be reached, if within the window. */
  crosses_on: string | null;
  already_exceeded: boolean;
  note?: string;
}

const SHARE_DAYS = 28;
const DAY = 86_400_000;

function project(
  input: { used: Decimal; limit: Decimal; windowEnd: Date | null; share: number },
  ctx: { today: Date; tz: string; points: number[]; todayRemainder: number },
): Pick<LimitProjection, 'projected_at_window_end' | 'crosses_on' | 'already_exceeded' | 'note'> {
  const used = input.used.toNumber();
  const limit = input.limit.toNumber();
  const already = input.used.gte(input.limit);
  if (!input.windowEnd)
    return { projected_at_window_end: null, crosses_on: null, already_exceeded: already, note: 'window has no end' };
  const daysLeft = Math.round((input.windowEnd.getTime() - ctx.today.getTime()) / DAY);
  if (daysLeft > ctx.points.length)
    return {
      projected_at_window_end: null,
      crosses_on: null,
      already_exceeded: already,
      note: 'window ends beyond the forecast horizon',
    };
  let cumulative = used;
  let crosses: string | null = null;
  for (let i = 0; i < daysLeft; i++) {
    cumulative += input.share * (i === 0 ? ctx.todayRemainder : ctx.points[i]!);
    if (!already && crosses === null && cumulative >= limit)
      crosses = localDate(addCalendar('day', ctx.today, i, ctx.tz), ctx.tz);
  }
  return { projected_at_window_end: estimateString(cumulative), crosses_on: crosses, already_exceeded: already };
}

export async function limitProjections(
  db: Db,
  /** recentTotal: all spend since 28 days before today (the denominator of each scope's share). */
  options: { at: Date; tz: string; today: Date; points: number[]; todayActual?: number; recentTotal: Decimal },
): Promise<{ quotas: LimitProjection[]; budgets: LimitProjection[] }> {
  const { at, tz, today, points } = options;
  const todayRemainder = Math.max(0, (points[0] ?? 0) - (options.todayActual ?? 0));
  const ctx = { today, tz, points, todayRemainder };
  const allQuotas = await evaluateQuotas(db, { at, tz });
  const quotas = allQuotas.filter((q) => q.metric === 'cost');
  const shareStart = addCalendar('day', today, -SHARE_DAYS, tz);
  const windows: UsageWindow[] = quotas.map((q) => ({
    key: `q:${q.name}`,
    scope: q.scope,
    model: q.model,
    start: shareStart,
  }));
  const recent = windows.length ? await usageInWindows(db, windows, at) : new Map();
  const all = options.recentTotal;
  const quotaOut = quotas.map((q) => {
    const scopeCost = usageOf(recent, `q:${q.name}`).cost;
    const share = all.isZero() ? 0 : scopeCost.div(all).toNumber();
    return {
      name: q.name,
      scope: q.scope.type === 'global' ? 'global' : `${q.scope.type}:${q.scope.value}`,
      limit: q.limit,
      used: q.used,
      window_end: q.window_end ? q.window_end.toISOString() : null,
      ...project({ used: q.used, limit: q.limit, windowEnd: q.window_end, share }, ctx),
    };
  });
  // Token and request quotas are listed, but the forecast is of money: they are not projected.
  const unprojected = allQuotas
    .filter((q) => q.metric !== 'cost')
    .map((q) => ({
      name: q.name,
      scope: q.scope.type === 'global' ? 'global' : `${q.scope.type}:${q.scope.value}`,
      limit: q.limit,
      used: q.used,
      window_end: q.window_end ? q.window_end.toISOString() : null,
      projected_at_window_end: null,
      crosses_on: null,
      already_exceeded: q.used.gte(q.limit),
      note: `${q.metric} quota: only cost is forecast`,
    }));
  const budgets = (await budgetStatuses(db, { at, tz })).map((b) => ({
    name: b.name,
    scope: 'global',
    limit: b.total,
    used: b.spent,
    window_end: b.window_end ? b.window_end.toISOString() : null,
    ...project({ used: b.spent, limit: b.total, windowEnd: b.window_end, share: 1 }, ctx),
  }));
  return { quotas: [...quotaOut, ...unprojected], budgets };
}
