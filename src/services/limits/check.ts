// The pre-call check: price the request's worst case, then test it against every quota and budget that
// applies (each window and sub-limit). A gateway calls this before every request, so it makes few round
// trips: two for the model, price, directory entry, quotas, budgets and rollup ids (check-context.ts;
// none when the connection kept them from its last check), then one for exactly the rollup buckets the
// windows need (rollup-read.ts), or a scan of the rows when there is no rollup.
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { priceRequest, type RequestUnits } from '../../domain/pricing.js';
import { remaining, wouldExceed, type QuotaState } from '../../domain/thresholds.js';
import type { LimitKind } from '../../domain/windows.js';
import { budgetStatusOf, budgetWindows, type AllocationTarget } from './budgets.js';
import { loadCheckContext, type CheckContext, type CheckContextRequest } from './check-context.js';
import { quotaWindows, subLimitReadings, windowsByQuota, type UsageWindow, type WindowUsage } from './status.js';
import { usageFromRollup } from './rollup-read.js';
import { scopeLabel, type Metric, type Quota } from './quotas.js';
import { usageForRequest } from './check-usage.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import { closestNames, servedVariant } from '../../domain/model-names.js';

export interface CheckRequest extends CheckContextRequest {
  units: RequestUnits;
  tz: string;
  allowUnpriced: boolean;
  /**
   * What earlier allowed checks still hold against a limit's window (a long-running server keeps them
   * until the request is recorded): counted as used, so two checks cannot both spend the last dollar.
   */
  held?: (key: string) => Decimal;
  /**
   * Where window usage comes from (default: readWindowUsage, the rollup or the rows). A long-running
   * server answers from the usage it keeps in memory (services/serve/usage-ledger.ts).
   */
  usage?: UsageSource;
}

export type UsageSource = (
  windows: UsageWindow[],
  metrics: ReadonlySet<Metric>,
  rollup: CheckContext['rollup'],
) => Promise<Map<string, WindowUsage>>;

/**
 * Usage per window key at `at`: from the rollup when it is built for this zone, else (and for model
 * filters it does not track) one scan of the rows.
 */
export async function readWindowUsage(
  db: Db,
  windows: UsageWindow[],
  at: Date,
  tz: string,
  rollup: CheckContext['rollup'],
  metrics: ReadonlySet<Metric>,
): Promise<Map<string, WindowUsage>> {
  const rolled = await usageFromRollup(db, windows, at, tz, rollup, metrics);
  const usage = rolled ? rolled.usage : await usageForRequest(db, windows, at, metrics);
  if (rolled?.rest.length) for (const [k, u] of await usageForRequest(db, rolled.rest, at, metrics)) usage.set(k, u);
  return usage;
}

/** One amount an allowed request would hold against one limit's window (see CheckRequest.held). */
export interface CheckHold {
  key: string;
  /** `quota NAME (period)` or `budget NAME (scope)`, for the response. */
  limit: string;
  amount: Decimal;
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
  /** The rules that priced the worst case beyond the catalog's plain rates (tier, variant, band, batch, …). */
  price_rules: string[];
  /** Components without a price: left out of estimated_cost, which is then a floor. */
  unpriced_parts: string[];
  /** What this request would hold against each limit it counts toward (its worst case, per metric). */
  holds: CheckHold[];
}

/** The request's worst-case cost, or null when the model has no price in force at `at`. */
export async function worstCaseCost(
  db: Db,
  modelName: string,
  units: RequestUnits,
  at: Date,
): Promise<{ model: string; cost: Decimal | null }> {
  const variant = servedVariant(units.speed, units.region);
  return pricedBy(await loadCheckContext(db, { user: '', model: modelName, at, variant }), modelName, units);
}

interface Priced {
  /** The catalog entry that prices it (a `fast/…` variant's own), else the caller's name. */
  model: string;
  cost: Decimal | null;
  rules: string[];
  unpricedParts: string[];
  /** Why a model with prices leaves this request unpriced (a tier or variant without its own prices). */
  unpricedReason: string | null;
}

function pricedBy(ctx: CheckContext, modelName: string, units: RequestUnits): Priced {
  // A served tier without its rates is unpriced, as a stored row would be.
  const cost = ctx.price ? priceRequest(ctx.price, units, ctx.adjustments) : null;
  const variant = servedVariant(units.speed, units.region);
  const unpricedReason =
    cost?.unpriced ??
    (ctx.model && !ctx.priced
      ? `served ${variant}: no ${variant}/${ctx.model.name} in the catalog, and fast mode costs a multiple of the standard price`
      : null);
  return {
    model: ctx.priced?.name ?? ctx.model?.name ?? modelName,
    cost: cost && cost.unpriced === null ? cost.totalCost : null,
    rules: cost && cost.unpriced === null ? [...(ctx.variantRule ? [ctx.variantRule] : []), ...cost.rules] : [],
    unpricedParts: cost && cost.unpriced === null ? cost.unpricedParts : [],
    unpricedReason,
  };
}

function tokensOf(u: RequestUnits): Decimal {
  return new Decimal(
    (u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.cacheWrite1hTokens).toString(),
  );
}

export async function checkRequest(db: Db, req: CheckRequest): Promise<CheckResult> {
  const ctx = await loadCheckContext(db, { ...req, variant: servedVariant(req.units.speed, req.units.region) });
  const priced = pricedBy(ctx, req.model, req.units);
  const who = ctx.who;
  // A model quota counts the model however it is served (its fast/… entry too), as it counts stored rows.
  const quotas = ctx.quotas.filter(
    (q) => q.model === null || q.model === req.model || q.model === ctx.model?.name || q.model === priced.model,
  );
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

  // Every window of every applicable quota and budget.
  const metrics = new Set<Metric>(quotas.map((q) => q.metric));
  if (bWindows.length) metrics.add('cost');
  const windows = [...qWindows, ...bWindows];
  const usage = req.usage
    ? await req.usage(windows, metrics, ctx.rollup)
    : await readWindowUsage(db, windows, req.at, req.tz, ctx.rollup, metrics);

  const amountFor = (metric: Quota['metric']): Decimal | null =>
    metric === 'cost'
      ? priced.cost
      : metric === 'tokens'
        ? tokensOf(req.units)
        : new Decimal(req.units.requests.toString());
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (priced.unpricedReason) warnings.push(`${priced.model} is unpriced here: ${priced.unpricedReason}`);
  if (priced.unpricedParts.length)
    warnings.push(
      `partly unpriced: no price for ${priced.unpricedParts.join(', ')} (left out of the worst case, which is a floor)`,
    );
  // A name the catalog does not know (a typo, most often): say which names are close, as estimate does.
  if (!ctx.model) {
    const near = closestNames(await loadNameIndex(db), req.model);
    warnings.push(
      `model "${req.model}" is not in the price catalog${near.length ? ` (closest: ${near.join(', ')})` : ''}`,
    );
  }
  const items: CheckQuotaItem[] = [];
  const holds: CheckHold[] = [];
  const heldOn = (key: string) => req.held?.(key) ?? new Decimal(0);
  const windowsOf = windowsByQuota(qWindows);
  for (const q of quotas) {
    const amount = amountFor(q.metric);
    for (const reading of subLimitReadings(q, windowsOf.get(q.id) ?? [], usage)) {
      const key = `quota:${q.id}:${reading.kind}:${reading.window_start.getTime()}`;
      const held = heldOn(key);
      const sub = held.isZero()
        ? reading
        : { ...reading, used: reading.used.plus(held), remaining: remaining(reading.used.plus(held), reading.limit) };
      if (amount?.gt(0))
        holds.push({ key, limit: `quota ${q.name} (${reading.kind === 'period' ? q.period : reading.kind})`, amount });
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
    for (const reading of lines) {
      const key = `budget:${b.id}:${reading.scope}:${status.window_start.getTime()}`;
      const line = { ...reading, used: reading.used.plus(heldOn(key)) };
      if (priced.cost?.gt(0)) holds.push({ key, limit: `budget ${b.name} (${reading.scope})`, amount: priced.cost });
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
    price_rules: priced.rules,
    unpriced_parts: priced.unpricedParts,
    holds,
  };
}

export { usageForRequest };
