// reconcile (nightly, 02:00 in the reporting zone): yesterday's usage-derived cost against the bill,
// plus the internal consistency check; differences raise alerts and one report email per period.
import { Decimal } from '../src/domain/money.js';
import { queueMessage } from '../src/notify/outbox.js';
import { renderReport } from '../src/notify/templates.js';
import { recipientsFor } from '../src/services/alerts/emails.js';
import { checkConsistency } from '../src/services/reconcile/consistency.js';
import { raiseMismatchAlerts, reconcileReport } from '../src/services/reconcile/mismatch-alerts.js';
import { reconcileBilling, yesterday } from '../src/services/reconcile/billing-compare.js';
import type { JobDefinition } from './types.js';

/** The command's defaults: 1% or one cent. */
export const DEFAULT_TOLERANCE = { pct: new Decimal(1), abs: new Decimal('0.01') };

export const reconcileJob: JobDefinition = {
  name: 'reconcile',
  defaultSchedule: '0 2 * * *',
  description: "compare yesterday's computed cost with the bill; email the report when anything is off",
  async run(ctx, options) {
    const tz = ctx.config.tz;
    const since = options.date ?? options.since ?? yesterday(ctx.now(), tz);
    const until = options.date ?? options.until ?? since;
    return ctx.withDb(async (db) => {
      const now = ctx.now();
      const result = await reconcileBilling(db, { since, until, tz, tolerance: DEFAULT_TOLERANCE });
      const consistency = await checkConsistency(db);
      const recipients = recipientsFor([], ctx.config, 'reconcile');
      const alerts = await raiseMismatchAlerts(db, result, { tz, now, recipients, currency: ctx.config.currency });
      let queued = false;
      if (result.mismatches.length && recipients.length) {
        const doc = reconcileReport(result, ctx.config.currency);
        if (consistency.issues.length) {
          doc.sections.push({
            heading: 'Internal consistency',
            lines: [
              `${consistency.issues.length} stored figure(s) differ from their rows; run \`costctl reconcile --repair\`.`,
            ],
          });
        }
        queued = (
          await queueMessage(
            db,
            {
              dedupeKey: `report:reconcile:${since}:${until}`,
              kind: 'report',
              report: 'reconcile',
              recipients,
              content: renderReport(doc),
            },
            now,
          )
        ).created;
      }
      const off = result.mismatches.length + consistency.issues.length;
      return {
        status: off ? 'attention' : 'ok',
        summary:
          `${since === until ? since : `${since}..${until}`}: ${result.lines.length} compared, ${result.mismatches.length} beyond tolerance, ` +
          `${consistency.issues.length} consistency issue(s), ${alerts.raised.length} alert(s) raised${queued ? ', report queued' : ''}` +
          (result.mismatches.length && !recipients.length ? ' (no recipients: set alert_recipients)' : ''),
        details: {
          mismatches: result.mismatches,
          consistency_issues: consistency.issues.length,
          alerts: alerts.raised,
        },
      };
    });
  },
};
