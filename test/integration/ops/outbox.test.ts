// The outbox against a real SMTP server on loopback and real .eml files: exactly once, outage, backoff.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withDatabase, type Db } from '../../../src/db/database.js';
import { deliverOutbox } from '../../../src/notify/deliver.js';
import { listOutbox, queueMessage, retryDelayMs } from '../../../src/notify/outbox.js';
import type { Delivery } from '../../../src/notify/smtp-config.js';
import { decodeHeader, mimeHeader, mimePart, startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { tempDbPath, tempDir } from '../../helpers/temp.js';

const NOW = new Date('2026-03-02T09:00:00Z');
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

function opener(path: string) {
  return <T>(fn: (db: Db) => Promise<T>) => withDatabase(path, { lockTimeoutMs: 5_000 }, fn);
}

const content = {
  subject: '[costctl] CRITICAL: sales-east monthly quota at 96%',
  text: 'plain body\n',
  html: '<p>html body</p>',
};

describe('outbox delivery over SMTP', () => {
  it('sends each queued message once, with sender, recipients, subject and both parts', async () => {
    smtp = await startSmtp();
    const open = opener(tempDbPath());
    const delivery: Delivery = {
      kind: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'costctl <alerts@example.com>',
    };
    const first = await open((db) =>
      queueMessage(
        db,
        {
          dedupeKey: 'alert:1',
          kind: 'alert',
          alertId: 1,
          recipients: ['ops@example.com', 'cfo@example.com'],
          content,
        },
        NOW,
      ),
    );
    const again = await open((db) =>
      queueMessage(
        db,
        { dedupeKey: 'alert:1', kind: 'alert', alertId: 1, recipients: ['ops@example.com'], content },
        NOW,
      ),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });

    const report = await deliverOutbox(open, delivery, () => NOW);
    expect(report.sent.map((s) => s.id)).toEqual([first.id]);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to.sort()).toEqual(['cfo@example.com', 'ops@example.com']);
    expect(decodeHeader(mimeHeader(mail.raw, 'Subject')!)).toBe(content.subject);
    expect(mimePart(mail.raw, 'text/plain')).toContain('plain body');
    expect(mimePart(mail.raw, 'text/html')).toContain('<p>html body</p>');

    const second = await deliverOutbox(open, delivery, () => NOW);
    expect(second).toEqual({ sent: [], failed: [], unconfirmed: [] });
    expect(smtp.received).toHaveLength(1);
    const [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'sent', attempts: 1, delivered_via: 'smtp', last_error: null });
  });

  it('keeps a message queued with its error while SMTP is down, and sends it once after it returns', async () => {
    smtp = await startSmtp();
    await smtp.stop();
    const open = opener(tempDbPath());
    const delivery: Delivery = {
      kind: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'alerts@example.com',
    };
    await open((db) =>
      queueMessage(db, { dedupeKey: 'alert:7', kind: 'alert', recipients: ['ops@example.com'], content }, NOW),
    );

    const down = await deliverOutbox(open, delivery, () => NOW);
    expect(down.sent).toEqual([]);
    expect(down.failed).toHaveLength(1);
    expect(down.failed[0]!.error).toMatch(/ECONNREFUSED|connect/i);
    let [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'queued', attempts: 1 });
    expect(entry!.last_error).toMatch(/ECONNREFUSED|connect/i);
    // Backoff: the next attempt is one minute later, so a run within that minute leaves it alone.
    expect(entry!.next_attempt_at).toBe('2026-03-02T09:01:00Z');

    await smtp.start();
    const tooSoon = await deliverOutbox(open, delivery, () => new Date(NOW.getTime() + 30_000));
    expect(tooSoon).toEqual({ sent: [], failed: [], unconfirmed: [] });
    expect(smtp.received).toHaveLength(0);

    const later = new Date(NOW.getTime() + 5 * 60_000);
    const back = await deliverOutbox(open, delivery, () => later);
    expect(back.sent).toHaveLength(1);
    expect(await deliverOutbox(open, delivery, () => later)).toEqual({ sent: [], failed: [], unconfirmed: [] });
    expect(smtp.received).toHaveLength(1);
    [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('force sends queued messages regardless of backoff', async () => {
    smtp = await startSmtp();
    await smtp.stop();
    const open = opener(tempDbPath());
    const delivery: Delivery = {
      kind: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'alerts@example.com',
    };
    await open((db) =>
      queueMessage(db, { dedupeKey: 'r:1', kind: 'report', recipients: ['ops@example.com'], content }, NOW),
    );
    await deliverOutbox(open, delivery, () => NOW);
    await smtp.start();
    expect((await deliverOutbox(open, delivery, () => NOW)).sent).toEqual([]);
    expect((await deliverOutbox(open, delivery, () => NOW, { force: true })).sent).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });
});

describe('outbox delivery to .eml files', () => {
  it('writes one .eml per message into the outbox folder, once', async () => {
    const dir = tempDir();
    const open = opener(tempDbPath());
    const delivery: Delivery = { kind: 'file', dir, from: 'costctl <costctl@localhost>' };
    const { id } = await open((db) =>
      queueMessage(db, { dedupeKey: 'alert:3', kind: 'alert', recipients: ['ops@example.com'], content }, NOW),
    );
    const report = await deliverOutbox(open, delivery, () => NOW);
    expect(report.sent).toEqual([
      {
        id,
        subject: content.subject,
        to: ['ops@example.com'],
        via: 'file',
        delivered_to: join(dir, '000001.eml'),
        refused: [],
      },
    ]);
    await deliverOutbox(open, delivery, () => NOW);
    expect(readdirSync(dir)).toEqual(['000001.eml']);
    const raw = readFileSync(join(dir, '000001.eml'), 'utf8');
    expect(mimeHeader(raw, 'To')).toBe('ops@example.com');
    // The outbox item's own Message-ID, the sender's domain after the @.
    expect(mimeHeader(raw, 'Message-ID')).toMatch(/^<costctl\.[0-9a-f-]{36}@localhost>$/);
    expect(mimePart(raw, 'text/plain')).toContain('plain body');
    expect(mimePart(raw, 'text/html')).toContain('html body');
  });

  it('an unwritable folder leaves the message queued with the error', async () => {
    const open = opener(tempDbPath());
    const delivery: Delivery = { kind: 'file', dir: join(tempDir(), 'missing', 'deeper'), from: 'costctl@localhost' };
    await open((db) =>
      queueMessage(db, { dedupeKey: 'alert:4', kind: 'alert', recipients: ['ops@example.com'], content }, NOW),
    );
    const report = await deliverOutbox(open, delivery, () => NOW);
    expect(report.failed[0]!.error).toMatch(/ENOENT/);
    expect((await open((db) => listOutbox(db)))[0]).toMatchObject({ status: 'queued', attempts: 1 });
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [7, 60],
    [20, 60],
  ])('after %i failure(s) waits %i minute(s)', (failures, minutes) => {
    expect(retryDelayMs(failures)).toBe(minutes * 60_000);
  });
});
