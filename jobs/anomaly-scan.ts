// anomaly-scan (hourly): anomaly detection over the latest complete hours/days; each anomaly is one
// alert (raised once) and one email.
import { queueAlertEmails } from '../src/services/alerts/emails.js';
import { scanAnomalies } from './optional-services.js';
import type { JobDefinition } from './types.js';

export const anomalyScan: JobDefinition = {
  name: 'anomaly-scan',
  defaultSchedule: '0 * * * *',
  description: 'detect cost anomalies; alert and email once per anomaly',
  async run(ctx) {
    return ctx.withDb(async (db) => {
      const now = ctx.now();
      const scan = await scanAnomalies(db, now, ctx.config.tz, ctx.config.holidays);
      const mail = await queueAlertEmails(db, { types: ['anomaly'], config: ctx.config, job: 'anomaly-scan', now });
      const mailNote = `${mail.queued.length} email(s) queued`;
      if (!scan.available) return { status: 'unavailable', summary: `anomaly detection ${scan.note}; ${mailNote}` };
      return {
        status: 'ok',
        summary: `${scan.found} anomal${scan.found === 1 ? 'y' : 'ies'} in the scanned window, ${scan.created} new; ${mailNote}`,
        details: { queued: mail.queued },
      };
    });
  },
};
