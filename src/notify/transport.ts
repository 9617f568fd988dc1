// Sends one message: over SMTP, or as an `.eml` file in the outbox folder. nodemailer is loaded lazily
// so commands that never send mail do not pay for it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Delivery } from './smtp-config.js';
import { headerValue, parseSender } from './sanitize.js';

export interface OutgoingMessage {
  /** The outbox id; names the .eml file and goes into a header so a message can be traced back. */
  id: number;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SendResult {
  via: 'smtp' | 'file';
  /** The server's or file's identity: `host:port` or the .eml path. */
  deliveredTo: string;
  messageId: string;
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
    headers: { 'X-Costctl-Outbox-Id': String(m.id) },
  };
}

export async function createMailer(delivery: Delivery): Promise<Mailer> {
  const nodemailer = (await import('nodemailer')).default;
  if (delivery.kind === 'file') {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    return {
      async send(m) {
        const info = await transport.sendMail(mailOptions(delivery.from, m));
        const path = join(delivery.dir, `${String(m.id).padStart(6, '0')}.eml`);
        writeFileSync(path, info.message as Buffer, { mode: 0o600 });
        return { via: 'file', deliveredTo: path, messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({
    host: delivery.host,
    port: delivery.port,
    secure: delivery.secure,
    auth: delivery.user ? { user: delivery.user, pass: delivery.password ?? '' } : undefined,
    // A dead server should fail a run quickly; the message stays queued for the next run.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      const info = await transport.sendMail(mailOptions(delivery.from, m));
      return { via: 'smtp', deliveredTo: `${delivery.host}:${delivery.port}`, messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
