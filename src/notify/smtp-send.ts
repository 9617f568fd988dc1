// One message over one SMTP connection (nodemailer's SMTPConnection, the layer under its transport), so
// costctl can tell whether the server already holds the message when something goes wrong: the message
// is a stream this module owns, and SMTPConnection reads it only after the server's 354 to DATA. Read to
// its end, the server has the whole message; a timeout or a dropped connection after that may follow a
// delivery (the 250 arriving too late), before it nothing was handed over.
import { Readable } from 'node:stream';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpDelivery } from './smtp-config.js';

export interface SmtpOutcome {
  /** Recipients refused at RCPT (the others got the message), as nodemailer reports them. */
  rejectedErrors: { recipient?: string; response?: string; message?: string }[];
}

/** A failed send, with whether the server had the whole message when it failed. */
export interface SmtpFailure extends Error {
  handedOver: boolean;
  responseCode?: number;
  rejectedErrors?: SmtpOutcome['rejectedErrors'];
}

type Done = (err?: Error | null) => void;

export async function sendOverSmtp(
  delivery: SmtpDelivery,
  envelope: { from: string; to: string[] },
  raw: Buffer,
): Promise<SmtpOutcome> {
  const { default: Connection } = await import('nodemailer/lib/smtp-connection');
  const timeout = delivery.timeoutMs ?? 30_000;
  const conn: SMTPConnection = new Connection({
    host: delivery.host,
    port: delivery.port,
    secure: delivery.secure,
    // A dead server should fail a run quickly; the message stays queued for the next run.
    connectionTimeout: Math.min(timeout, 10_000),
    greetingTimeout: Math.min(timeout, 10_000),
    socketTimeout: timeout,
  });
  const body = Readable.from([raw]);
  let handedOver = false;
  body.on('end', () => {
    handedOver = true;
  });
  // Errors between steps are kept for the step that comes next (an unheard 'error' would end the process).
  let pending: Error | undefined;
  conn.on('error', (e: Error) => {
    pending ??= e;
  });
  // Each step ends with its callback, or with the connection's error or close (a timeout has no callback).
  const step = <T>(run: (done: (err: Error | null | undefined, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      const settle = (err: Error | null | undefined, value?: T) => {
        conn.off('error', onError);
        conn.off('end', onEnd);
        if (err) reject(err);
        else resolve(value as T);
      };
      const onError = (e: Error) => settle(e);
      const onEnd = () => settle(pending ?? new Error('the server closed the connection'));
      if (pending) return settle(pending);
      conn.once('error', onError);
      conn.once('end', onEnd);
      run(settle);
    });
  try {
    await step<void>((done) => conn.connect(done as Done));
    if (delivery.user) {
      const credentials = { user: delivery.user, pass: delivery.password ?? '' };
      await step<void>((done) => conn.login(credentials, done as Done));
    }
    const info = await step<SMTPConnection.SentMessageInfo>((done) => conn.send(envelope, body, done));
    conn.quit();
    return { rejectedErrors: (info.rejectedErrors ?? []) as SmtpOutcome['rejectedErrors'] };
  } catch (e) {
    conn.close();
    const failure = (e instanceof Error ? e : new Error(String(e))) as SmtpFailure;
    failure.handedOver = handedOver;
    throw failure;
  }
}
