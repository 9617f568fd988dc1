// quota_adjustment: quotas persistently far under or over their limit over the last completed periods,
// with a limit proposal drawn from what was actually used (largest period + 20% headroom).
import type { Db } from '../../db/database.js';
import { Decimal, formatMoney } from '../../domain/money.js';
import { evaluateQuotas, type QuotaStatus } from '../limits/status.js';
import { listQuotas } from '../limits/quotas.js';
import type { OptimizeWindow, SuggestionDraft } from '../../domain/suggestions.js';

/** Completed periods looked at; all of them must agree before a change is suggested. */
const PERIODS_BACK = 3;
/** Far under: less than this share of the limit used in every period. */
const UNDER_PCT = 30;

export async function quotaAdjustments(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const quotas = await listQuotas(db);
  const drafts: SuggestionDraft[] = [];
  for (const q of quotas) {
    const history: QuotaStatus[] = [];
    let at = w.now;
    for (let k = 0; k <= PERIODS_BACK; k++) {
      const status = (await evaluateQuotas(db, { at, tz: w.tz, scope: q.scope })).find((s) => s.name === q.name);
      if (!status) break;
      if (k > 0) history.push(status);
      at = new Date(status.window_start.getTime() - 1);
    }
    // Periods before the quota existed say nothing about whether its limit fits.
    if (history.length < PERIODS_BACK || history.some((s) => s.window_start < q.createdAt)) continue;
    const over = history.every((s) => s.used.gt(s.limit));
    const under = history.every((s) => s.used.times(100).lt(s.limit.times(UNDER_PCT)));
    if (!over && !under) continue;
    const maxUsed = history.reduce((m, s) => Decimal.max(m, s.used), new Decimal(0));
    const proposal = maxUsed.times('1.2').toDecimalPlaces(0, Decimal.ROUND_UP);
    const isCost = q.metric === 'cost';
    const fmt = (d: Decimal) => (isCost ? formatMoney(d) : `${d.toFixed()} ${q.metric}`);
    const used = history.map((s) => fmt(s.used)).join(', ');
    drafts.push({
      fingerprint: `quota_adjustment:${q.name}`,
      type: 'quota_adjustment',
      title: over
        ? `Quota ${q.name} is over its limit every period`
        : `Quota ${q.name} uses under ${UNDER_PCT}% of its limit`,
      description:
        `The last ${PERIODS_BACK} ${q.period} periods used ${used} against a limit of ${fmt(q.limit)}. ` +
        (over
          ? 'Either the limit no longer fits the work, or usage needs to come down.'
          : 'A limit this far above real use does not warn anyone in time.'),
      currentCost: isCost ? history.reduce((s, h) => s.plus(h.used), new Decimal(0)) : new Decimal(0),
      potentialSavings: new Decimal(0),
      recommendations: [`costctl quotas update ${q.name} --limit ${proposal.toFixed()}  (largest period + 20%)`],
      effort: 'low',
      evidence: {
        quota: q.name,
        limit: q.limit.toFixed(),
        periods: history.map((s) => ({ window_start: s.window_start.toISOString(), used: s.used.toFixed() })),
        proposed_limit: proposal.toFixed(),
      },
    });
  }
  return drafts;
}
