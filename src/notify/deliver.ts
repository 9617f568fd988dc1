// Sends what the outbox holds: claim in one short database session, send with the database closed
// (so operators are not locked out while SMTP is slow), record each outcome in another short session.
import type { Db } from '../db/database.js';
import { maskArgs } from '../domain/mask.js';
import { claimDue, markFailed, markSent, markUnconfirmed } from './outbox.js';
import { parseSender } from './sanitize.js';
import type { Delivery } from './smtp-config.js';
import { createMailer, type Mailer, type Refusal, SendError } from './transport.js';

export type OpenDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

export interface DeliveryReport {
  sent: { id: number; subject: string; to: string[]; via: string; delivered_to: string; refused: Refusal[] }[];
  failed: { id: number; subject: string; error: string; next_attempt_at: string; refused: Refusal[] }[];
  /** Handed over, then no answer: maybe delivered, so not sent again unless named (`outbox retry ID`). */
  unconfirmed: { id: number; subject: string; error: string }[];
}

export const emptyDeliveryReport = (): DeliveryReport => ({ sent: [], failed: [], unconfirmed: [] });

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
  const domain = parseSender(delivery.from)?.address.split('@')[1] ?? 'localhost';
  const claimed = await open((db) => claimDue(db, now(), { ...options, domain }));
  const report = emptyDeliveryReport();
  if (claimed.length === 0) return report;
  const mailer = options.mailer ?? (await createMailer(delivery));
  try {
    for (const m of claimed) {
      let result: Awaited<ReturnType<Mailer['send']>>;
      try {
        if (m.recipients.length === 0)
          throw new Error('no recipients (set alert_recipients or the quota/budget recipients)');
        result = await mailer.send({
          id: m.id,
          messageId: m.messageId,
          to: m.recipients,
          subject: m.subject,
          text: m.text,
          html: m.html,
        });
      } catch (e) {
        const error = errorText(e, delivery);
        if (e instanceof SendError && e.unconfirmed) {
          const note = `no answer after the server took the whole message (${error}): it may have been delivered, so it is not sent again by itself; check, then \`costctl outbox retry ${m.id}\` sends it again with the same Message-ID`;
          await open((db) => markUnconfirmed(db, m.id, note, now()));
          report.unconfirmed.push({ id: m.id, subject: m.subject, error: note });
          continue;
        }
        const refused = e instanceof SendError ? e.refused : [];
        const next = await open((db) => markFailed(db, m.id, error, m.attempts, now(), refused));
        report.failed.push({ id: m.id, subject: m.subject, error, next_attempt_at: next.toISOString(), refused });
        continue;
      }
      // Outside the try: a message that went out is never marked failed (that would send it twice).
      const sent = result;
      await open((db) => markSent(db, m.id, sent, now()));
      report.sent.push({
        id: m.id,
        subject: m.subject,
        to: m.recipients.filter((r) => !sent.refused.some((x) => x.address === r)),
        via: sent.via,
        delivered_to: sent.deliveredTo,
        refused: sent.refused,
      });
    }
  } finally {
    if (!options.mailer) mailer.close();
  }
  return report;
}
