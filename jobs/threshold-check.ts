// threshold-check (every 5 minutes): evaluate quotas, budgets and threshold rules into alerts, then
// queue an email for every open threshold alert that has none yet. job_runs is its trail (no audit row
// every five minutes).
import { evaluateAlerts } from '../src/services/alerts/evaluate.js';
import { ALERT_TYPES, type AlertType } from '../src/domain/alerts.js';
import { queueAlertEmails } from '../src/services/alerts/emails.js';
import type { JobDefinition } from './types.js';

/** Every alert this job evaluates: all types but those the anomaly scan and reconcile raise. */
export const THRESHOLD_ALERT_TYPES: AlertType[] = ALERT_TYPES.filter(
  (t) => t !== 'anomaly' && t !== 'reconciliation_mismatch',
);

export const thresholdCheck: JobDefinition = {
  name: 'threshold-check',
  defaultSchedule: '*/5 * * * *',
  description: 'evaluate quotas, budgets and threshold rules; email new alerts',
  async run(ctx) {
    return ctx.withDb(async (db) => {
      const now = ctx.now();
      const evaluated = await evaluateAlerts(db, { at: now, tz: ctx.config.tz, now, actor: ctx.actor });
      const mail = await queueAlertEmails(db, {
        types: THRESHOLD_ALERT_TYPES,
        config: ctx.config,
        job: 'threshold-check',
        now,
      });
      const parts = [
        `${evaluated.raised.length} alert(s) raised`,
        `${evaluated.resolved} resolved`,
        `${mail.queued.length} email(s) queued`,
      ];
      if (mail.withoutRecipients.length)
        parts.push(`${mail.withoutRecipients.length} alert(s) without recipients (set alert_recipients)`);
      return {
        status: 'ok',
        summary: parts.join(', '),
        details: {
          raised: evaluated.raised.map((a) => a.id),
          resolved: evaluated.resolved,
          queued: mail.queued,
          without_recipients: mail.withoutRecipients,
        },
      };
    });
  },
};
