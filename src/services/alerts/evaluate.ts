// Alert evaluation: turns where quotas, budgets, custom threshold rules and unpriced usage stand into
// alert state. Each threshold is one alert per (type, subject, window): raised once when crossed,
// resolved when its window is over (new window or reset) or the condition ends (limit raised). Every
// threshold at or below the current level is raised, lowest first, so a jump from 70 % to 97 % between
// two evaluations (one nightly ingest) still tells the warning's recipients: one alert per threshold
// crossed, as AWS Budgets and OpenMeter send one notification per threshold.
// Runs after every record and ingest, from `alerts evaluate`, and from the scheduled threshold job.
import type { Db } from '../../db/database.js';
import { Decimal, formatMoney } from '../../domain/money.js';
import { type QuotaState, rungsReached, thresholdLadder } from '../../domain/thresholds.js';
import { fromSqlTimestamp, localStamp, sqlTimestamp } from '../../domain/time.js';
import { periodWindow, type Window } from '../../domain/windows.js';
import { NO_WINDOW, listAlerts, raiseAlert, resolveAlerts } from './state.js';
import type { Alert, AlertType, Severity } from '../../domain/alerts.js';
import { budgetStatuses } from '../limits/budgets.js';
import { evaluateQuotas, usageInWindows, usageOf } from '../limits/status.js';
import { scopeLabel, type Metric } from '../limits/quotas.js';
import { listThresholdRules } from './threshold-rules.js';

const BUDGET_TYPES: AlertType[] = ['budget_warning', 'budget_exceeded'];

interface Tally {
  raised: number[];
  resolved: number;
}

/** One alert a subject can have in a window: its type and subject (extra quota thresholds get their own). */
interface Rung {
  type: AlertType;
  subject: string;
}

const rungsOf = (subject: string, types: AlertType[]): Rung[] => types.map((type) => ({ type, subject }));

/**
 * Brings one subject's alerts in line with how many of its rungs (lowest first) are reached:
 * alerts of earlier windows resolve, alerts above the level in this window resolve, and every
 * rung up to the level is raised in order (each a no-op if this window already has it).
 */
async function settle(
  db: Db,
  tally: Tally,
  rungs: Rung[],
  reached: number,
  window: Window,
  make: (index: number) => {
    severity: Severity;
    title: string;
    message: string;
    observed: string;
    threshold: string;
    details: unknown;
    recipients: string[];
  },
  ctx: { now: Date; actor: string },
): Promise<void> {
  const bySubject = (list: Rung[]) => {
    const m = new Map<string, AlertType[]>();
    for (const r of list) m.set(r.subject, [...(m.get(r.subject) ?? []), r.type]);
    return m;
  };
  for (const [subject, type] of bySubject(rungs)) {
    tally.resolved += await resolveAlerts(
      db,
      { subject, type, windowStartBefore: window.start },
      ctx.actor,
      ctx.now,
      'a new window started',
    );
  }
  for (const [subject, type] of bySubject(rungs.slice(reached))) {
    tally.resolved += await resolveAlerts(
      db,
      { subject, type, windowStart: window.start },
      ctx.actor,
      ctx.now,
      'no longer at this level',
    );
  }
  for (const [i, { type, subject }] of rungs.slice(0, reached).entries()) {
    const { id, created } = await raiseAlert(
      db,
      { type, subject, windowStart: window.start, windowEnd: window.end, ...make(i) },
      ctx.now,
    );
    if (created) tally.raised.push(id);
  }
}

const fmt = (metric: Metric, v: Decimal) => (metric === 'cost' ? formatMoney(v) : v.toFixed());
const severityOf = (state: QuotaState): Severity => (state === 'warning' ? 'warning' : 'critical');
/** An extra threshold is as severe as the named level at or below it: info under the warning. */
const extraSeverity = (f: Decimal, q: { warning_threshold: Decimal; critical_threshold: Decimal }): Severity =>
  f.gte(q.critical_threshold) ? 'critical' : f.gte(q.warning_threshold) ? 'warning' : 'info';

export async function evaluateAlerts(
  db: Db,
  options: { at: Date; tz: string; now: Date; actor: string },
): Promise<{ raised: Alert[]; resolved: number }> {
  const tally: Tally = { raised: [], resolved: 0 };
  const ctx = { now: options.now, actor: options.actor };

  const extraSubjects = new Set<string>();
  for (const q of await evaluateQuotas(db, { at: options.at, tz: options.tz })) {
    const ladder = thresholdLadder(
      { warning: q.warning_threshold, critical: q.critical_threshold },
      q.extra_thresholds,
    );
    for (const sub of q.sub_limits) {
      const subject = `quota:${q.name}${sub.kind === 'period' ? '' : `:${sub.kind}`}`;
      const window = { start: sub.window_start, end: sub.window_end };
      const what = `${sub.kind === 'period' ? q.period : sub.kind} ${q.metric}`;
      // An extra percentage is its own subject (`quota:team@50`): alerts are one per (type, subject, window).
      const rungs = ladder.map(({ fraction, level }): Rung => {
        if (level !== 'extra') return { type: `quota_${level}`, subject };
        extraSubjects.add(`${subject}@${fraction.times(100).toFixed()}`);
        return { type: 'quota_threshold', subject: `${subject}@${fraction.times(100).toFixed()}` };
      });
      await settle(
        db,
        tally,
        rungs,
        rungsReached(sub.used, sub.limit, ladder),
        window,
        (i) => {
          // The threshold this alert is for, which may lie below where usage stands now.
          const { fraction: threshold, level } = ladder[i]!;
          const type = rungs[i]!.type;
          const label = level === 'extra' ? `${threshold.times(100).toFixed()}%` : level;
          const passed = level === sub.state ? '' : ` (now ${sub.state})`;
          return {
            severity: level === 'extra' ? extraSeverity(threshold, q) : severityOf(level),
            title: `Quota ${q.name} ${label}: ${what} at ${sub.percentage?.toFixed(2) ?? '∞'}%${passed}`,
            message:
              `Quota ${q.name} (${scopeLabel(q.scope)}) used ${fmt(q.metric, sub.used)} of its ${what} limit ${fmt(q.metric, sub.limit)}` +
              ` in the window from ${localStamp(sub.window_start, options.tz)}${q.unpriced_rows ? `; ${q.unpriced_rows} unpriced row(s) in the window are not in the cost` : ''}.` +
              (q.enforcement === 'hard' && level === 'exceeded' ? ' New requests are refused by `costctl check`.' : ''),
            observed: sub.used.toFixed(),
            threshold: sub.limit.times(threshold).toFixed(),
            details: {
              quota: q.name,
              type,
              scope: scopeLabel(q.scope),
              limit_kind: sub.kind,
              threshold_pct: threshold.times(100).toFixed(),
              metric: q.metric,
              limit: sub.limit.toFixed(),
              used: sub.used.toFixed(),
              percentage: sub.percentage?.toFixed() ?? null,
              enforcement: q.enforcement,
            },
            recipients: q.recipients,
          };
        },
        ctx,
      );
    }
  }
  // Extra thresholds taken off a quota (or of a removed quota) no longer have a rung to resolve them.
  for (const open of await listAlerts(db, { type: 'quota_threshold' })) {
    if (open.status !== 'resolved' && !extraSubjects.has(open.subject))
      tally.resolved += await resolveAlerts(db, { id: open.id }, ctx.actor, ctx.now, 'threshold removed');
  }

  for (const b of await budgetStatuses(db, { at: options.at, tz: options.tz })) {
    const window = { start: b.window_start, end: b.window_end };
    const lines = [
      { subject: `budget:${b.name}`, label: 'total', limit: b.total, spent: b.spent, state: b.state },
      ...b.allocations.map((a) => ({
        subject: `budget:${b.name}:${a.target_type}:${a.target}`,
        label: `${a.target_type} ${a.target}`,
        limit: a.amount,
        spent: a.spent,
        state: a.state,
      })),
    ];
    for (const line of lines) {
      const level = line.state === 'exceeded' ? 1 : line.state === 'ok' ? -1 : 0;
      await settle(
        db,
        tally,
        rungsOf(line.subject, BUDGET_TYPES),
        level + 1,
        window,
        (i) => {
          const exceeded = BUDGET_TYPES[i] === 'budget_exceeded';
          const threshold = exceeded ? new Decimal(1) : b.warning_threshold;
          return {
            severity: exceeded ? 'critical' : 'warning',
            title: `Budget ${b.name} (${line.label}) ${exceeded ? 'exceeded' : 'warning'}: spent ${formatMoney(line.spent)} of ${formatMoney(line.limit)}`,
            message: `Budget ${b.name}, ${line.label}: spent ${formatMoney(line.spent)} of ${formatMoney(line.limit)} in the ${b.period} window from ${localStamp(b.window_start, options.tz)}.`,
            observed: line.spent.toFixed(),
            threshold: line.limit.times(threshold).toFixed(),
            details: {
              budget: b.name,
              allocation: line.label,
              limit: line.limit.toFixed(),
              spent: line.spent.toFixed(),
              threshold_pct: threshold.times(100).toFixed(),
            },
            recipients: b.recipients,
          };
        },
        ctx,
      );
    }
  }

  await evaluateThresholdRules(db, tally, options, ctx);
  await evaluateUnpriced(db, tally, options.at, options.tz, ctx);
  return { raised: await listAlerts(db, { ids: tally.raised }), resolved: tally.resolved };
}

async function evaluateThresholdRules(
  db: Db,
  tally: Tally,
  options: { at: Date; tz: string },
  ctx: { now: Date; actor: string },
) {
  const rules = await listThresholdRules(db);
  const windows = rules.map((r) => ({
    key: `t${r.id}`,
    scope: r.scope,
    model: null,
    start: periodWindow(r.period, options.at, options.tz).start,
    rule: r,
  }));
  const usage = await usageInWindows(db, windows, options.at);
  for (const w of windows) {
    const spent = usageOf(usage, w.key).cost;
    const over = spent.gte(w.rule.amount);
    const window = periodWindow(w.rule.period, options.at, options.tz);
    await settle(
      db,
      tally,
      rungsOf(`threshold:${w.rule.name}`, ['threshold']),
      over ? 1 : 0,
      window,
      () => ({
        severity: 'warning',
        title: `Spend of ${scopeLabel(w.rule.scope)} passed ${formatMoney(w.rule.amount)} (${w.rule.period})`,
        message: `Rule ${w.rule.name}: ${scopeLabel(w.rule.scope)} spent ${formatMoney(spent)} in the ${w.rule.period} window from ${localStamp(window.start, options.tz)}, over ${formatMoney(w.rule.amount)}.`,
        observed: spent.toFixed(),
        threshold: w.rule.amount.toFixed(),
        details: { rule: w.rule.name, scope: scopeLabel(w.rule.scope), period: w.rule.period },
        recipients: w.rule.recipients,
      }),
      ctx,
    );
  }
}

/**
 * One open alert per model that has unpriced rows, or rows with components without a price (partly
 * unpriced: their cost leaves those parts out); it resolves once the rows are priced.
 */
async function evaluateUnpriced(db: Db, tally: Tally, at: Date, tz: string, ctx: { now: Date; actor: string }) {
  const rows = await db.all<{ model: string; n: string; partly: string; first: string }>(
    `SELECT model, count(*) FILTER (WHERE unpriced)::VARCHAR AS n, count(*) FILTER (WHERE NOT unpriced)::VARCHAR AS partly,
       min(ts)::VARCHAR AS first
     FROM usage WHERE (unpriced OR unpriced_parts IS NOT NULL) AND ts <= ?::TIMESTAMP GROUP BY model ORDER BY model`,
    [sqlTimestamp(at)],
  );
  const models = new Set(rows.map((r) => r.model));
  for (const open of await listAlerts(db, { type: 'unpriced_usage' })) {
    if (open.status !== 'resolved' && open.subject.startsWith('model:') && !models.has(open.subject.slice(6))) {
      tally.resolved += await resolveAlerts(db, { id: open.id }, ctx.actor, ctx.now, 'no unpriced rows left');
    }
  }
  for (const r of rows) {
    const { id, created } = await raiseAlert(
      db,
      {
        type: 'unpriced_usage',
        subject: `model:${r.model}`,
        windowStart: NO_WINDOW,
        severity: 'warning',
        title:
          r.partly === '0'
            ? `${r.n} usage row(s) of ${r.model} have no price`
            : r.n === '0'
              ? `${r.partly} usage row(s) of ${r.model} are partly unpriced`
              : `${r.n} usage row(s) of ${r.model} have no price, ${r.partly} are partly unpriced`,
        message: `${r.n} usage row(s) of model ${r.model} (since ${localStamp(fromSqlTimestamp(r.first), tz)}) have no price, so their cost is unknown and not in any total${r.partly === '0' ? '' : `; ${r.partly} have components without a price (costctl models unpriced names them), left out of their cost`}. Add a price (costctl models add/update) and reprice.`,
        observed: r.n,
        details: { model: r.model, rows: Number(r.n), partly_unpriced_rows: Number(r.partly) },
      },
      ctx.now,
    );
    if (created) tally.raised.push(id);
  }
}
