// daily-digest (08:00): yesterday's spend, month to date, forecast to month end, open alerts; one email a day.
import { formatMoney } from '../src/domain/money.js';
import { queueMessage } from '../src/notify/outbox.js';
import { renderReport } from '../src/notify/templates.js';
import { buildDigest, digestReport } from '../src/services/reports/digest.js';
import { recipientsFor } from '../src/services/alerts/emails.js';
import { forecastMonthEnd } from './optional-services.js';
import type { JobDefinition } from './types.js';

export const dailyDigest: JobDefinition = {
  name: 'daily-digest',
  defaultSchedule: '0 8 * * *',
  description: "yesterday's spend, month to date, forecast, open alerts",
  async run(ctx) {
    return ctx.withDb(async (db) => {
      const now = ctx.now();
      const tz = ctx.config.tz;
      const cur = ctx.config.currency;
      const forecast = await forecastMonthEnd(db, now, tz);
      const digest = await buildDigest(db, { now, tz, forecastMonthEnd: forecast.value });
      const recipients = recipientsFor([], ctx.config, 'daily-digest');
      if (!recipients.length)
        return {
          status: 'ok',
          summary: `${digest.day}: digest built, not sent (no recipients: set alert_recipients)`,
          details: digest,
        };
      const content = renderReport(digestReport(digest, ctx.config.currency));
      const { created } = await queueMessage(
        db,
        { dedupeKey: `report:daily-digest:${digest.day}`, kind: 'report', report: 'daily-digest', recipients, content },
        now,
      );
      return {
        status: 'ok',
        summary: `${digest.day}: yesterday ${formatMoney(digest.yesterday, cur)}, month to date ${formatMoney(digest.month_to_date, cur)}, forecast ${forecast.value ? `${formatMoney(forecast.value, cur)} for the month` : forecast.note}; ${created ? 'digest queued' : 'digest already queued'}`,
        details: digest,
      };
    });
  },
};
