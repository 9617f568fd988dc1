// The pre-call check: price the request's worst case, then test it against every quota and budget that
// applies (each window and sub-limit). A gateway calls this before every request, so it makes few round
// trips: two for the model, price, directory entry, quotas, budgets and rollup ids (check-context.ts;
// none when the connection kept them from its last check), then one for exactly the rollup buckets the
// windows need (rollup-read.ts), or a scan of the rows when there is no rollup.
import type { Db, SqlParam } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { priceRequest, type RequestUnits } from '../../domain/pricing.js';
import { remaining, wouldExceed, type QuotaState } from '../../domain/thresholds.js';
import { sqlTimestamp } from '../../domain/time.js';
import type { LimitKind } from '../../domain/windows.js';
import { budgetStatusOf, budgetWindows, type AllocationTarget } from './budgets.js';
import { loadCheckContext, type CheckContext, type CheckContextRequest } from './check-context.js';
import { quotaWindows, subLimitReadings, windowsByQuota, type UsageWindow, type WindowUsage } from './status.js';
import { usageFromRollup } from './rollup-read.js';
import { scopeLabel, type Metric, type Quota, type Scope } from './quotas.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export interface CheckRequest extends CheckContextRequest {
  units: RequestUnits;
  tz: string;
  allowUnpriced: boolean;
}

export interface CheckQuotaItem {
  name: string;
  scope: string;
  limit_kind: LimitKind;
  window_start: Date;
  window_end: Date | null;
  limit: Decimal;
  used: Decimal;
  remaining: Decimal;
  state: QuotaState;
  /** This limit refuses the request. */
  binding: boolean;
}

export interface CheckBudgetItem {
  name: string;
  scope: string;
  window_start: Date;
  window_end: Date | null;
  limit: Decimal;
  used: Decimal;
  remaining: Decimal;
  state: QuotaState;
  binding: boolean;
}

export interface CheckResult {
  allowed: boolean;
  estimated_cost: Decimal | null;
  reason: string | null;
  quotas: CheckQuotaItem[];
  budgets: CheckBudgetItem[];
  /** Soft limits the request would pass: allowed, but someone should know. */
  warnings: string[];
  model: string;
  unpriced: boolean;
}

/** The request's worst-case cost, or null when the model has no price in force at `at`. */
export async function worstCaseCost(
  db: Db,
  modelName: string,
  units: RequestUnits,
  at: Date,
): Promise<{ model: string; cost: Decimal | null }> {
  return pricedBy(await loadCheckContext(db, { user: '', model: modelName, at }), modelName, units);
}

function pricedBy(ctx: CheckContext, modelName: string, units: RequestUnits): { model: string; cost: Decimal | null } {
  return { model: ctx.model?.name ?? modelName, cost: ctx.price ? priceRequest(ctx.price, units).totalCost : null };
}

function tokensOf(u: RequestUnits): Decimal {
  return new Decimal(
    (u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.cacheWrite1hTokens).toString(),
  );
}

export async function checkRequest(db: Db, req: CheckRequest): Promise<CheckResult> {
  const ctx = await loadCheckContext(db, req);
  const priced = pricedBy(ctx, req.model, req.units);
  const who = ctx.who;
  const quotas = ctx.quotas.filter((q) => q.model === null || q.model === req.model || q.model === priced.model);
  const resets = ctx.resets;
  const qWindows = quotaWindows(quotas, req.at, req.tz, resets);

  const mine = (t: AllocationTarget, target: string) =>
    (t === 'department' && target === (req.department ?? who?.department)) ||
    (t === 'project' && target === (req.project ?? who?.project));
  const budgets = ctx.budgets.map((b) => ({
    ...b,
    allocations: b.allocations.filter((a) => mine(a.targetType, a.target)),
  }));
  const bWindows = budgetWindows(budgets, req.at, req.tz);

  // Every window of every applicable quota and budget: from the rollup when it is built for this zone,
  // else (and for model filters it does not track) one scan of the rows.
  const metrics = new Set<Metric>(quotas.map((q) => q.metric));
  if (bWindows.length) metrics.add('cost');
  const windows = [...qWindows, ...bWindows];
  const rolled = await usageFromRollup(db, windows, req.at, req.tz, ctx.rollup, metrics);
  const usage = rolled ? rolled.usage : await usageForRequest(db, windows, req.at, metrics);
  if (rolled?.rest.length)
    for (const [k, u] of await usageForRequest(db, rolled.rest, req.at, metrics)) usage.set(k, u);

  const amountFor = (metric: Quota['metric']): Decimal | null =>
    metric === 'cost'
      ? priced.cost
      : metric === 'tokens'
        ? tokensOf(req.units)
        : new Decimal(req.units.requests.toString());
  const reasons: string[] = [];
  const warnings: string[] = [];
  const items: CheckQuotaItem[] = [];
  const windowsOf = windowsByQuota(qWindows);
  for (const q of quotas) {
    const amount = amountFor(q.metric);
    for (const sub of subLimitReadings(q, windowsOf.get(q.id) ?? [], usage)) {
      const label = `quota ${q.name} (${scopeLabel(q.scope)}, ${sub.kind === 'period' ? q.period : sub.kind} ${q.metric} limit ${sub.limit.toFixed()})`;
      let over: boolean;
      let why: string;
      if (amount === null) {
        over = !req.allowUnpriced;
        why = `${label}: ${priced.model} has no price, so the cost cannot be bounded (pass --allow-unpriced to accept)`;
      } else {
        over = wouldExceed(sub.used, amount, sub.limit);
        why = `${label}: used ${sub.used.toFixed()} + this request ${amount.toFixed()} would exceed it`;
      }
      const binding = over && q.enforcement === 'hard';
      if (binding) reasons.push(why);
      else if (over) warnings.push(`soft ${why}`);
      items.push({
        name: q.name,
        scope: scopeLabel(q.scope),
        limit_kind: sub.kind,
        window_start: sub.window_start,
        window_end: sub.window_end,
        limit: sub.limit,
        used: sub.used,
        remaining: sub.remaining,
        state: sub.state,
        binding,
      });
    }
  }

  const budgetItems: CheckBudgetItem[] = [];
  for (const b of budgets) {
    const status = budgetStatusOf(b, bWindows, usage);
    const lines = [
      { scope: 'total', limit: status.total, used: status.spent, state: status.state },
      ...status.allocations.map((a) => ({
        scope: `${a.target_type}:${a.target}`,
        limit: a.amount,
        used: a.spent,
        state: a.state,
      })),
    ];
    for (const line of lines) {
      const label = `budget ${b.name} (${line.scope}, ${b.period} ${line.limit.toFixed()})`;
      const over = priced.cost === null ? !req.allowUnpriced : wouldExceed(line.used, priced.cost, line.limit);
      const why =
        priced.cost === null
          ? `${label}: ${priced.model} has no price, so the cost cannot be bounded (pass --allow-unpriced to accept)`
          : `${label}: spent ${line.used.toFixed()} + this request ${priced.cost.toFixed()} would exceed it`;
      const binding = over && b.enforcement === 'hard';
      if (binding) reasons.push(why);
      else if (over) warnings.push(`soft ${why}`);
      budgetItems.push({
        name: b.name,
        scope: line.scope,
        window_start: status.window_start,
        window_end: status.window_end,
        limit: line.limit,
        used: line.used,
        remaining: remaining(line.used, line.limit),
        state: line.state,
        binding,
      });
    }
  }
  return {
    allowed: reasons.length === 0,
    estimated_cost: priced.cost,
    reason: reasons.length ? reasons.join('; ') : null,
    quotas: items,
    budgets: budgetItems,
    warnings,
    model: priced.model,
    unpriced: priced.cost === null,
  };
}

/**
 * The same figures as usageInWindows for the few scopes of one request, in one pass without joins:
 * each row is tagged with which of the request's scopes it belongs to and the latest window start it
 * is not before, then grouped; the windows are summed from the handful of groups. A check touches
 * many windows (every applicable quota × period, daily, hourly) but only ~6 scopes and ~4 starts.
 * Its cost is one scan of the rows since the earliest window start (a month for a monthly quota), so
 * check uses it only when the rollup (rollup-read.ts) cannot answer.
 */
export async function usageForRequest(
  db: Db,
  windows: UsageWindow[],
  at: Date,
  metrics: ReadonlySet<Metric> = new Set(['cost', 'tokens', 'requests']),
): Promise<Map<string, WindowUsage>> {
  const result = new Map<string, WindowUsage>();
  if (windows.length === 0) return result;
  const scopeKey = (s: Scope) => `${s.type}:${s.value ?? ''}`;
  const scopes = [
    ...new Map(windows.filter((w) => w.scope.type !== 'global').map((w) => [scopeKey(w.scope), w.scope])).values(),
  ];
  const starts = [...new Set(windows.map((w) => w.start.getTime()))].sort((a, b) => a - b);
  const byModel = windows.some((w) => w.model !== null);
  const params: SqlParam[] = [];
  // Parameters in the order they appear in the SQL: the bucket CASE, the scope flags, the ts range.
  const bucketCases = starts
    .map((_, k) => k)
    .reverse()
    .map((k) => {
      params.push(sqlTimestamp(new Date(starts[k]!)));
      return `WHEN u.ts >= ?::TIMESTAMP THEN ${k}`;
    })
    .join(' ');
  const flags = scopes.map((s, i) => {
    if (s.type === 'user' || s.type === 'account') {
      params.push(s.value);
      return `(u.${s.type === 'user' ? 'user_id' : 'account_id'} = ? IS TRUE) AS f${i}`;
    }
    params.push(s.value, s.value);
    return `(u.${s.type} = ? OR (u.${s.type} IS NULL AND u.user_id IN (SELECT user_id FROM directory WHERE ${s.type} = ?))) IS TRUE AS f${i}`;
  });
  const anyGlobal = windows.some((w) => w.scope.type === 'global');
  params.push(sqlTimestamp(new Date(starts[0]!)), sqlTimestamp(at));
  const groupCols = ['bucket', ...scopes.map((_, i) => `f${i}`), ...(byModel ? ['model', 'priced_model'] : [])];
  const rows = await db.all(
    // Only the sums some window needs: summing 128-bit decimals over a month of rows is the bulk of a check.
    `SELECT ${groupCols.join(', ')}, ${metrics.has('cost') ? 'sum(total_cost)' : 'NULL'}::VARCHAR AS cost,
       ${metrics.has('tokens') ? 'sum(tokens)' : '0'}::VARCHAR AS tokens, ${metrics.has('requests') ? 'sum(requests)' : '0'}::VARCHAR AS requests,
       count(*)::VARCHAR AS rows_, count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced_rows
     FROM (
       SELECT CASE ${bucketCases} ELSE -1 END AS bucket, ${flags.length ? `${flags.join(', ')},` : ''}
         u.model, u.priced_model, u.total_cost, u.requests, u.unpriced,
         ${metrics.has('tokens') ? totalTokensSql('u') : '0'} AS tokens
       FROM usage u WHERE u.ts >= ?::TIMESTAMP AND u.ts <= ?::TIMESTAMP
     ) t ${anyGlobal || flags.length === 0 ? '' : `WHERE ${scopes.map((_, i) => `f${i}`).join(' OR ')}`}
     GROUP BY ${groupCols.join(', ')}`,
    params,
  );
  for (const w of windows) {
    const k = starts.indexOf(w.start.getTime());
    const f = w.scope.type === 'global' ? -1 : scopes.findIndex((s) => scopeKey(s) === scopeKey(w.scope));
    const sum: WindowUsage = {
      cost: new Decimal(0),
      tokens: new Decimal(0),
      requests: new Decimal(0),
      rows: 0,
      unpricedRows: 0,
    };
    for (const r of rows) {
      if (Number(r.bucket) < k) continue;
      if (f >= 0 && r[`f${f}`] !== true) continue;
      if (w.model !== null && r.model !== w.model && r.priced_model !== w.model) continue;
      if (r.cost !== null) sum.cost = sum.cost.plus(r.cost);
      sum.tokens = sum.tokens.plus(r.tokens ?? 0);
      sum.requests = sum.requests.plus(r.requests ?? 0);
      sum.rows += Number(r.rows_);
      sum.unpricedRows += Number(r.unpriced_rows);
    }
    if (sum.rows > 0) result.set(w.key, sum);
  }
  return result;
}
