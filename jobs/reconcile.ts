// reconcile (nightly, 02:00 in the reporting zone): yesterday's usage-derived cost against the bill,
// plus the internal consistency check; differences raise alerts and one report email per period.
// The same run as `costctl reconcile` (src/services/reconcile/run.ts), with the report email on.
import { reconcilePeriod, runReconcile } from '../src/services/reconcile/run.js';
import type { JobDefinition } from './types.js';

export const reconcileJob: JobDefinition = {
  name: 'reconcile',
  defaultSchedule: '0 2 * * *',
  description: "compare yesterday's computed cost with the bill; email the report when anything is off",
  async run(ctx, options) {
    const now = ctx.now();
    const period = reconcilePeriod(options, now, ctx.config.tz);
    const r = await ctx.withDb((db) => runReconcile(db, { period, emailReport: true, config: ctx.config, now }));
    const off = r.mismatches.length + r.consistency.issues.length;
    return {
      status: off ? 'attention' : 'ok',
      summary:
        `${period.since === period.until ? period.since : `${period.since}..${period.until}`}: ${r.lines.length} compared, ${r.mismatches.length} beyond tolerance, ` +
        `${r.consistency.issues.length} consistency issue(s), ${r.alerts_raised.length} alert(s) raised${r.report_queued ? ', report queued' : ''}` +
        (r.mismatches.length && !r.recipients.length ? ' (no recipients: set alert_recipients)' : ''),
      details: { mismatches: r.mismatches, consistency_issues: r.consistency.issues.length, alerts: r.alerts_raised },
    };
  },
};
