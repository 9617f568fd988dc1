// A real SMTP server on loopback (smtp-server) that keeps every message it receives, raw, for tests to
// inspect. Port 0: the OS picks a free port. `stop()` and `start()` again on the same port simulate an outage.
// Options make it a bad day's server: refuse some recipients with 550 at RCPT, or keep its answer to RCPT or
// to the message data until the test releases it (a client with a short timeout gives up first).
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The user name the client logged in with, if it did. */
  user?: string;
}

export interface SmtpBehaviour {
  /** Recipients refused at RCPT TO with `550 5.1.1 <address>: no such user`. */
  refuse?: string[];
  /** Hold the answer to RCPT TO (before any data is sent) until release(). */
  holdRcpt?: boolean;
  /** Hold the answer after the message data (the server has the whole message) until release(). */
  holdData?: boolean;
}

export interface TestSmtp {
  port: number;
  /** Sends every held answer (RCPT or data: 250) now. */
  release(): void;
  url: string;
  received: ReceivedMail[];
  stop(): Promise<void>;
  /** Starts again on the same port after stop(). */
  start(): Promise<void>;
}

function createServer(received: ReceivedMail[], behaviour: SmtpBehaviour, held: (() => void)[]): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    // Loopback only: plain-text AUTH without TLS is acceptable here and lets tests check credentials.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      // One fixed account, so a test proves the password (from the URL or COSTCTL_SMTP_PASSWORD) arrived.
      if (auth.username === 'bot' && auth.password === 'hunter2') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (behaviour.refuse?.includes(address.address)) {
        const e = new Error(`5.1.1 <${address.address}>: no such user`) as Error & { responseCode: number };
        e.responseCode = 550;
        return callback(e);
      }
      if (behaviour.holdRcpt) held.push(() => callback());
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        if (behaviour.holdData) held.push(() => callback());
        else callback();
      });
    },
  });
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = (server as unknown as { server: import('node:net').Server }).server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startSmtp(behaviour: SmtpBehaviour = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const held: (() => void)[] = [];
  let server = createServer(received, behaviour, held);
  const port = await listen(server, 0);
  const release = () => {
    for (const answer of held.splice(0)) answer();
  };
  const smtp: TestSmtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    release,
    stop: () => {
      release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: async () => {
      server = createServer(received, behaviour, held);
      await listen(server, port);
    },
  };
  return smtp;
}

/** The decoded text of a MIME part with the given content type (quoted-printable or base64 or 7bit). */
export function mimePart(raw: string, contentType: 'text/plain' | 'text/html'): string | undefined {
  const start = raw.search(new RegExp(`Content-Type: ${contentType.replace('/', '\\/')}`, 'i'));
  if (start < 0) return undefined;
  const rest = raw.slice(start);
  const headerEnd = rest.search(/\r?\n\r?\n/);
  const headers = rest.slice(0, headerEnd);
  let body = rest.slice(headerEnd).replace(/^\r?\n\r?\n/, '');
  // The part ends at the multipart boundary (not at any line starting with "--": bodies have those).
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const end = boundary ? body.indexOf(`--${boundary}`) : -1;
  if (end >= 0) body = body.slice(0, end).replace(/\r?\n$/, '');
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A header's value, with folded continuation lines unfolded (first occurrence only). */
export function mimeHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ') : undefined;
}

/** RFC 2047 encoded-words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) back to text. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}
