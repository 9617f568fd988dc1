// Turning alerts into queued emails. Recipients come from the alert (its quota or budget), else the
// job's configured recipients, else the configured defaults. Queueing is idempotent per alert.
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { alertMessageKey, alertsWithMessage, queueMessage } from '../../notify/outbox.js';
import { cleanRecipients } from '../../notify/sanitize.js';
import { alertEmail } from '../../notify/templates.js';
import type { Alert, AlertType } from '../../domain/alerts.js';
import { listAlerts } from './state.js';

export function recipientsFor(
  own: readonly string[] | undefined,
  config: Pick<ResolvedConfig, 'jobs' | 'alertRecipients'>,
  job: string,
): string[] {
  for (const list of [own ?? [], config.jobs[job]?.recipients ?? [], config.alertRecipients]) {
    const { good } = cleanRecipients(list);
    if (good.length) return good;
  }
  return [];
}

export interface QueuedAlerts {
  queued: number[];
  /** Open alerts with nobody to tell: no recipients on the alert, the job or the defaults. */
  withoutRecipients: number[];
}

/**
 * Queues an email for every open alert of these types that has none yet. Alerts of one subject and
 * window that share their recipients go out as one message listing every threshold crossed (a jump
 * from 70 % to 97 % is one email naming the warning and the critical), most severe first in the subject.
 */
export async function queueAlertEmails(
  db: Db,
  input: { types: readonly AlertType[]; config: ResolvedConfig; job: string; now: Date },
): Promise<QueuedAlerts> {
  const result: QueuedAlerts = { queued: [], withoutRecipients: [] };
  const mailed = await alertsWithMessage(db);
  const groups = new Map<string, { recipients: string[]; alerts: Alert[] }>();
  for (const type of input.types) {
    for (const alert of await listAlerts(db, { status: 'open', type })) {
      if (mailed.has(alert.id)) continue;
      const recipients = recipientsFor(alert.recipients, input.config, input.job);
      if (recipients.length === 0) {
        result.withoutRecipients.push(alert.id);
        continue;
      }
      // A quota's extra thresholds (`quota:team@50`) go out with its named levels (`quota:team`).
      const key = JSON.stringify([alert.subject.replace(/@[\d.]+$/, ''), alert.window_start, recipients]);
      const group = groups.get(key) ?? { recipients, alerts: [] };
      group.alerts.push(alert);
      groups.set(key, group);
    }
  }
  for (const { recipients, alerts } of groups.values()) {
    // Raised lowest threshold first, so ids ascend with the threshold; the last is the most severe.
    alerts.sort((a, b) => a.id - b.id);
    const top = alerts[alerts.length - 1]!;
    const { id, created } = await queueMessage(
      db,
      {
        dedupeKey: alertMessageKey(alerts.map((a) => a.id)),
        kind: 'alert',
        alertId: top.id,
        recipients,
        content: alertEmail(top, input.config.currency, alerts),
      },
      input.now,
    );
    if (created) result.queued.push(id);
  }
  return result;
}
