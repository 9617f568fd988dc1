// Quota status: for each quota its windows (period, daily, hourly), used, remaining, state and the
// sub-limit that binds. What a scope used is computed straight from the usage rows, for many (scope,
// window) pairs in one query; department / organization / project come from the row when it says, else
// from the directory. Budgets, check and alert evaluation use the same query, so they cannot disagree.
import type { Db, SqlParam } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { bindingLimit, percentage, remaining, thresholdState, type QuotaState } from '../../domain/thresholds.js';
import { effectiveWindow, limitPeriod, type LimitKind, type Period } from '../../domain/windows.js';
import { getQuota, latestResets, listQuotas, type Enforcement, type Metric, type Quota, type Scope } from './quotas.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export interface UsageWindow {
  /** Caller's key for the answer. */
  key: string;
  scope: Scope;
  /** Only rows of this model (as called, or the catalog model it was priced as). */
  model: string | null;
  start: Date;
  /** Rows up to this instant (inclusive unless `untilExclusive`); default: the `at` of the query. */
  until?: Date;
  untilExclusive?: boolean;
}

export interface WindowUsage {
  cost: Decimal;
  tokens: Decimal;
  requests: Decimal;
  rows: number;
  /** Rows with no price: they count toward tokens and requests but have no cost. */
  unpricedRows: number;
}

/** No usage yet: the start of every window's sum. */
export const zeroUsage = (): WindowUsage => ({
  cost: new Decimal(0),
  tokens: new Decimal(0),
  requests: new Decimal(0),
  rows: 0,
  unpricedRows: 0,
});

export const NO_USAGE: WindowUsage = {
  cost: new Decimal(0),
  tokens: new Decimal(0),
  requests: new Decimal(0),
  rows: 0,
  unpricedRows: 0,
};

const SCOPE_COLUMN = {
  user: 'user_id',
  department: 'department',
  organization: 'organization',
  project: 'project',
  account: 'account_id',
} as const;

/**
 * Usage per window key, counting rows with start ≤ ts ≤ at (or the window's own end). One scan of the rows since the earliest
 * window start (the ts filter lets DuckDB skip older row groups), one equality join per scope type.
 */
export async function usageInWindows(db: Db, windows: UsageWindow[], at: Date): Promise<Map<string, WindowUsage>> {
  const result = new Map<string, WindowUsage>();
  if (windows.length === 0) return result;
  const types = new Set(windows.map((w) => w.scope.type));
  const needsDirectory = types.has('department') || types.has('organization') || types.has('project');
  const minStart = windows.reduce((m, w) => (w.start < m ? w.start : m), windows[0]!.start);

  const values = windows.map(() => '(?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::BOOLEAN)').join(', ');
  const params: SqlParam[] = windows.flatMap((w) => [
    w.key,
    w.scope.type,
    w.scope.value,
    w.model,
    sqlTimestamp(w.start),
    sqlTimestamp(w.until ?? at),
    w.untilExclusive === true,
  ]);
  const attributed = (c: 'department' | 'organization' | 'project') =>
    needsDirectory ? `coalesce(u.${c}, d.${c})` : `u.${c}`;
  const branches: string[] = [];
  for (const type of types) {
    const inWindow = 'u.ts >= w.ws AND (u.ts < w.we OR (NOT w.wx AND u.ts = w.we))';
    const on = type === 'global' ? inWindow : `u.${SCOPE_COLUMN[type]} = w.sv AND ${inWindow}`;
    branches.push(`SELECT w.k, u.total_cost, u.tokens, u.requests, u.unpriced
      FROM w JOIN u ON ${on} AND (w.wm IS NULL OR u.model = w.wm OR u.priced_model = w.wm)
      WHERE w.st = '${type}'`);
  }
  const sql = `
WITH w(k, st, sv, wm, ws, we, wx) AS (VALUES ${values}),
u AS (
  SELECT u.ts, u.model, u.priced_model, u.user_id, u.account_id,
    ${attributed('department')} AS department, ${attributed('organization')} AS organization, ${attributed('project')} AS project,
    u.total_cost, ${totalTokensSql('u')} AS tokens,
    u.requests, u.unpriced
  FROM usage u ${needsDirectory ? 'LEFT JOIN directory d ON d.user_id = u.user_id' : ''}
  WHERE u.ts >= ?::TIMESTAMP AND u.ts <= ?::TIMESTAMP
),
m AS (${branches.join('\nUNION ALL\n')})
SELECT k, coalesce(sum(total_cost), 0)::VARCHAR AS cost, coalesce(sum(tokens), 0)::VARCHAR AS tokens,
  coalesce(sum(requests), 0)::VARCHAR AS requests, count(*)::VARCHAR AS rows_, count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced_rows
FROM m GROUP BY k`;
  const rows = await db.all(sql, [...params, sqlTimestamp(minStart), sqlTimestamp(at)]);
  for (const r of rows) {
    result.set(r.k, {
      cost: new Decimal(r.cost),
      tokens: new Decimal(r.tokens),
      requests: new Decimal(r.requests),
      rows: Number(r.rows_),
      unpricedRows: Number(r.unpriced_rows),
    });
  }
  return result;
}

export function usageOf(map: Map<string, WindowUsage>, key: string): WindowUsage {
  return map.get(key) ?? NO_USAGE;
}

export interface SubLimitStatus {
  kind: LimitKind;
  window_start: Date;
  window_end: Date | null;
  limit: Decimal;
  used: Decimal;
  remaining: Decimal;
  percentage: Decimal | null;
  state: QuotaState;
}

export interface QuotaStatus {
  name: string;
  scope: Scope;
  metric: Metric;
  period: Period;
  enforcement: Enforcement;
  model: string | null;
  /** The period window and its figures; `state` and `binding` take every sub-limit into account. */
  window_start: Date;
  window_end: Date | null;
  limit: Decimal;
  used: Decimal;
  remaining: Decimal;
  percentage: Decimal | null;
  state: QuotaState;
  binding: LimitKind;
  sub_limits: SubLimitStatus[];
  /** Unpriced rows in the period window: their cost is unknown, so a cost quota's `used` leaves them out. */
  unpriced_rows: number;
  reset_at: Date | null;
  warning_threshold: Decimal;
  critical_threshold: Decimal;
  /** Fractions of the limit alerted beyond warning and critical (issue #21). */
  extra_thresholds: Decimal[];
  recipients: string[];
}

/** The limits a quota has, period first, then the shorter windows. */
export function quotaLimits(q: Quota): Array<{ kind: LimitKind; limit: Decimal }> {
  const out: Array<{ kind: LimitKind; limit: Decimal }> = [{ kind: 'period', limit: q.limit }];
  if (q.dailyLimit !== null) out.push({ kind: 'daily', limit: q.dailyLimit });
  if (q.hourlyLimit !== null) out.push({ kind: 'hourly', limit: q.hourlyLimit });
  return out;
}

export function metricValue(u: WindowUsage, metric: Metric): Decimal {
  return metric === 'cost' ? u.cost : metric === 'tokens' ? u.tokens : u.requests;
}

/** The usage windows of a set of quotas at `at`, keyed `q<quota id>:<kind>`. */
export function quotaWindows(quotas: Quota[], at: Date, tz: string, resets: Map<number, Date>) {
  const windows: QuotaWindow[] = [];
  // Quotas share a handful of periods: each calendar window is worked out once (it is zone arithmetic).
  const calendar = new Map<string, ReturnType<typeof effectiveWindow>>();
  for (const q of quotas) {
    for (const { kind, limit } of quotaLimits(q)) {
      const period = limitPeriod(kind, q.period);
      const reset = resets.get(q.id);
      const key = reset ? `${period}\u0000${reset.getTime()}` : period;
      let w = calendar.get(key);
      if (!w) {
        w = effectiveWindow(period, at, tz, reset);
        calendar.set(key, w);
      }
      windows.push({
        key: `q${q.id}:${kind}`,
        scope: q.scope,
        model: q.model,
        start: w.start,
        end: w.end,
        quota: q,
        kind,
        limit,
      });
    }
  }
  return windows;
}

export type QuotaWindow = UsageWindow & { quota: Quota; kind: LimitKind; limit: Decimal; end: Date | null };

/** A sub-limit's figures without the percentage, which only people read (the pre-call check has no use for it). */
export type SubLimitReading = Omit<SubLimitStatus, 'percentage'>;

/** The figures of each of one quota's windows (`windows` holds that quota's only), period first. */
export function subLimitReadings(q: Quota, windows: QuotaWindow[], usage: Map<string, WindowUsage>): SubLimitReading[] {
  return windows.map((w) => {
    const used = metricValue(usageOf(usage, w.key), q.metric);
    return {
      kind: w.kind,
      window_start: w.start,
      window_end: w.end,
      limit: w.limit,
      used,
      remaining: remaining(used, w.limit),
      state: thresholdState(used, w.limit, { warning: q.warning, critical: q.critical }),
    };
  });
}

/** quotaWindows' windows by quota id, each quota's in their order (period first). */
export function windowsByQuota(windows: QuotaWindow[]): Map<number, QuotaWindow[]> {
  const byQuota = new Map<number, QuotaWindow[]>();
  for (const w of windows) {
    const list = byQuota.get(w.quota.id);
    if (list) list.push(w);
    else byQuota.set(w.quota.id, [w]);
  }
  return byQuota;
}

/** Turns the usage of a quota's windows (`windows` holds that quota's only) into its status. */
export function quotaStatusOf(
  q: Quota,
  windows: QuotaWindow[],
  usage: Map<string, WindowUsage>,
  reset: Date | null,
): QuotaStatus {
  const subs: SubLimitStatus[] = subLimitReadings(q, windows, usage).map((r) => ({
    ...r,
    percentage: percentage(r.used, r.limit),
  }));
  const period = subs[0]!;
  const binding = bindingLimit(subs);
  return {
    name: q.name,
    scope: q.scope,
    metric: q.metric,
    period: q.period,
    enforcement: q.enforcement,
    model: q.model,
    window_start: period.window_start,
    window_end: period.window_end,
    limit: period.limit,
    used: period.used,
    remaining: period.remaining,
    percentage: period.percentage,
    state: binding.state,
    binding: binding.kind,
    sub_limits: subs,
    unpriced_rows: usageOf(usage, `q${q.id}:period`).unpricedRows,
    reset_at: reset,
    warning_threshold: q.warning,
    critical_threshold: q.critical,
    extra_thresholds: q.extraThresholds,
    recipients: q.recipients,
  };
}

/** Every quota (or those of one scope) as it stands at `at`, windows in zone `tz`. */
export async function evaluateQuotas(db: Db, options: { at: Date; tz: string; scope?: Scope }): Promise<QuotaStatus[]> {
  const quotas = await listQuotas(db, { scope: options.scope });
  const resets = await latestResets(db, options.at, options.scope ? quotas.map((q) => q.id) : undefined);
  const windows = quotaWindows(quotas, options.at, options.tz, resets);
  const usage = await usageInWindows(db, windows, options.at);
  const byQuota = windowsByQuota(windows);
  return quotas.map((q) => quotaStatusOf(q, byQuota.get(q.id) ?? [], usage, resets.get(q.id) ?? null));
}

/** `quotas show`: one quota and where it stands as of `at`. */
export async function quotaDetail(
  db: Db,
  name: string,
  input: { at: Date; tz: string },
): Promise<{ quota: Quota; status: QuotaStatus }> {
  const quota = await getQuota(db, name);
  const statuses = await evaluateQuotas(db, { ...input, scope: quota.scope });
  return { quota, status: statuses.find((s) => s.name === quota.name)! };
}
