// Sends what the outbox holds: claim in one short database session, send with the database closed
// (so operators are not locked out while SMTP is slow), record each outcome in another short session.
import type { Db } from '../db/database.js';
import { maskArgs } from '../domain/mask.js';
import { claimDue, markFailed, markSent } from './outbox.js';
import type { Delivery } from './smtp-config.js';
import { createMailer, type Mailer } from './transport.js';

export type OpenDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

export interface DeliveryReport {
  sent: { id: number; subject: string; to: string[]; via: string; delivered_to: string }[];
  failed: { id: number; subject: string; error: string; next_attempt_at: string }[];
}

/** SMTP errors can echo the URL; whatever reaches the table or the screen has any password masked. */
function errorText(e: unknown, delivery: Delivery): string {
  let text = ((e as Error)?.message ?? String(e)).split('\n')[0]!;
  if (delivery.kind === 'smtp' && delivery.password) text = text.split(delivery.password).join('***');
  return maskArgs([text])[0]!;
}

export async function deliverOutbox(
  open: OpenDb,
  delivery: Delivery,
  now: () => Date,
  options: { force?: boolean; ids?: number[]; mailer?: Mailer } = {},
): Promise<DeliveryReport> {
  const claimed = await open((db) => claimDue(db, now(), options));
  const report: DeliveryReport = { sent: [], failed: [] };
  if (claimed.length === 0) return report;
  const mailer = options.mailer ?? (await createMailer(delivery));
  try {
    for (const m of claimed) {
      let result: Awaited<ReturnType<Mailer['send']>>;
      try {
        if (m.recipients.length === 0)
          throw new Error('no recipients (set alert_recipients or the quota/budget recipients)');
        result = await mailer.send({ id: m.id, to: m.recipients, subject: m.subject, text: m.text, html: m.html });
      } catch (e) {
        const error = errorText(e, delivery);
        const next = await open((db) => markFailed(db, m.id, error, m.attempts, now()));
        report.failed.push({ id: m.id, subject: m.subject, error, next_attempt_at: next.toISOString() });
        continue;
      }
      // Outside the try: a message that went out is never marked failed (that would send it twice).
      const sent = result;
      await open((db) => markSent(db, m.id, sent, now()));
      report.sent.push({
        id: m.id,
        subject: m.subject,
        to: m.recipients,
        via: sent.via,
        delivered_to: sent.deliveredTo,
      });
    }
  } finally {
    if (!options.mailer) mailer.close();
  }
  return report;
}
