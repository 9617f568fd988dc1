// Turning alerts into queued emails. Recipients come from the alert (its quota or budget), else the
// job's configured recipients, else the configured defaults. Queueing is idempotent per alert.
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { queueMessage } from '../../notify/outbox.js';
import { cleanRecipients } from '../../notify/sanitize.js';
import { alertEmail } from '../../notify/templates.js';
import type { AlertType } from '../../domain/alerts.js';
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

/** Queues an email for every open alert of these types that has none yet. */
export async function queueAlertEmails(
  db: Db,
  input: { types: readonly AlertType[]; config: ResolvedConfig; job: string; now: Date },
): Promise<QueuedAlerts> {
  const result: QueuedAlerts = { queued: [], withoutRecipients: [] };
  for (const type of input.types) {
    for (const alert of await listAlerts(db, { status: 'open', type })) {
      const recipients = recipientsFor(alert.recipients, input.config, input.job);
      if (recipients.length === 0) {
        result.withoutRecipients.push(alert.id);
        continue;
      }
      const { id, created } = await queueMessage(
        db,
        {
          dedupeKey: `alert:${alert.id}`,
          kind: 'alert',
          alertId: alert.id,
          recipients,
          content: alertEmail(alert, input.config.currency),
        },
        input.now,
      );
      if (created) result.queued.push(id);
    }
  }
  return result;
}
