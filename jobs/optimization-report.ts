// optimization-report (Monday 08:00): suggestions over the last 30 complete days, emailed once per week.
import { addCalendar, localDate, startOf } from '../src/domain/time.js';
import { queueMessage } from '../src/notify/outbox.js';
import { renderReport } from '../src/notify/templates.js';
import { recipientsFor } from '../src/services/alerts/emails.js';
import { generateSuggestions, optimizationReport } from '../src/services/optimize/suggestions.js';
import type { JobDefinition } from './types.js';

export const OPTIMIZE_WINDOW_DAYS = 30;

export const optimizationReportJob: JobDefinition = {
  name: 'optimization-report',
  defaultSchedule: '0 8 * * 1',
  description: 'generate optimization suggestions and email the report',
  async run(ctx) {
    return ctx.withDb(async (db) => {
      const now = ctx.now();
      const tz = ctx.config.tz;
      const to = startOf('day', now, tz);
      const window = { from: addCalendar('day', to, -OPTIMIZE_WINDOW_DAYS, tz), to, tz, now };
      const list = await generateSuggestions(db, window);
      const recipients = recipientsFor([], ctx.config, 'optimization-report');
      let queued = false;
      if (list.length && recipients.length) {
        const week = localDate(startOf('week', now, tz), tz);
        const content = renderReport(optimizationReport(list, window, ctx.config.currency));
        queued = (
          await queueMessage(
            db,
            { dedupeKey: `report:optimization:${week}`, kind: 'report', report: 'optimization', recipients, content },
            now,
          )
        ).created;
      }
      return {
        status: 'ok',
        summary: `${list.length} suggestion(s)${queued ? ', report queued' : ''}${list.length && !recipients.length ? ' (no recipients: set alert_recipients)' : ''}`,
        details: { suggestions: list.map((s) => ({ id: s.id, type: s.type, potential_savings: s.potential_savings })) },
      };
    });
  },
};
