// Sends one message: over SMTP, or as an `.eml` file in the outbox folder. nodemailer is loaded lazily
// so commands that never send mail do not pay for it.
//
// The message is composed once, with the outbox item's own Message-ID (the same on every attempt, so a
// server or mailbox can drop a copy). A send that timed out or lost its connection after the server had
// the whole message (smtp-send.ts tells) is `unconfirmed`: it may have been delivered, so it is never
// retried blindly. Before that point nothing was handed over and a retry is safe.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Delivery } from './smtp-config.js';
import { headerValue, parseSender } from './sanitize.js';
import { sendOverSmtp, type SmtpFailure } from './smtp-send.js';

export interface OutgoingMessage {
  /** The outbox id; names the .eml file and goes into a header so a message can be traced back. */
  id: number;
  /** `<…@…>`, kept with the outbox item so every attempt carries the same one (a server can drop a copy). */
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** A recipient the server would not take (the others got the message), with its reply. */
export interface Refusal {
  address: string;
  reply: string;
}

export interface SendResult {
  via: 'smtp' | 'file';
  /** The server's or file's identity: `host:port` or the .eml path. */
  deliveredTo: string;
  messageId: string;
  /** Recipients the server refused while it accepted the message for the rest. */
  refused: Refusal[];
}

/** A send that failed. `unconfirmed`: the server held the whole message and gave no answer (it may have delivered). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly unconfirmed: boolean,
    readonly refused: Refusal[],
  ) {
    super(message);
  }
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): void;
}

function mailOptions(from: string, m: OutgoingMessage) {
  const sender = parseSender(from)!;
  return {
    from: sender.name ? { name: sender.name, address: sender.address } : sender.address,
    to: m.to,
    subject: headerValue(m.subject, 250),
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    headers: { 'X-Costctl-Outbox-Id': String(m.id) },
  };
}

interface RecipientError {
  recipient?: string;
  response?: string;
  message?: string;
}

function refusalsOf(errors: RecipientError[] | undefined): Refusal[] {
  return (errors ?? []).map((e) => ({ address: e.recipient ?? '?', reply: e.response ?? e.message ?? '' }));
}

export async function createMailer(delivery: Delivery): Promise<Mailer> {
  const nodemailer = (await import('nodemailer')).default;
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const compose = async (m: OutgoingMessage) =>
    (await composer.sendMail(mailOptions(delivery.from, m))).message as Buffer;
  if (delivery.kind === 'file') {
    return {
      async send(m) {
        const raw = await compose(m);
        const path = join(delivery.dir, `${String(m.id).padStart(6, '0')}.eml`);
        writeFileSync(path, raw, { mode: 0o600 });
        return { via: 'file', deliveredTo: path, messageId: m.messageId, refused: [] };
      },
      close: () => composer.close(),
    };
  }
  return {
    async send(m) {
      const raw = await compose(m);
      try {
        const sent = await sendOverSmtp(delivery, { from: parseSender(delivery.from)!.address, to: m.to }, raw);
        const refused = refusalsOf(sent.rejectedErrors);
        return { via: 'smtp', deliveredTo: `${delivery.host}:${delivery.port}`, messageId: m.messageId, refused };
      } catch (e) {
        const err = e as SmtpFailure;
        // A reply after the data (even a refusal) is an answer; silence or a dropped line after it is not.
        throw new SendError(
          err.message,
          err.handedOver && err.responseCode === undefined,
          refusalsOf(err.rejectedErrors),
        );
      }
    },
    close: () => composer.close(),
  };
}
