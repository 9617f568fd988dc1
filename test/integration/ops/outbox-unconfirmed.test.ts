// #17: email against a real SMTP server on loopback that answers too late or refuses one recipient. A send
// that timed out after the server took the whole message is `unconfirmed` and never re-sent by itself; one
// that timed out before is retried as any failure; every attempt carries the item's one Message-ID; the
// recipients refused with 550 while others got the message are recorded and listed.
import { afterEach, describe, expect, it } from 'vitest';
import { withDatabase, type Db } from '../../../src/db/database.js';
import { deliverOutbox } from '../../../src/notify/deliver.js';
import { listOutbox, queueMessage } from '../../../src/notify/outbox.js';
import type { Delivery } from '../../../src/notify/smtp-config.js';
import { mimeHeader, startSmtp, type SmtpBehaviour, type TestSmtp } from '../../helpers/smtp.js';
import { tempDbPath } from '../../helpers/temp.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const LATER = new Date('2026-03-02T12:00:00Z');
const content = { subject: '[costctl] quota at 96%', text: 'plain\n', html: '<p>html</p>' };
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});

async function setup(behaviour: SmtpBehaviour, recipients = ['ops@example.com']) {
  smtp = await startSmtp(behaviour);
  const path = tempDbPath();
  const open = <T>(fn: (db: Db) => Promise<T>) => withDatabase(path, { lockTimeoutMs: 5_000 }, fn);
  // A 1 s timeout: the held answer comes after the client gave up.
  const delivery: Delivery = {
    kind: 'smtp',
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    from: 'costctl <alerts@example.com>',
    timeoutMs: 1000,
  };
  const { id } = await open((db) =>
    queueMessage(db, { dedupeKey: 'alert:1', kind: 'alert', recipients, content }, NOW),
  );
  return { open, delivery, id, server: smtp };
}

describe('a send that timed out', () => {
  it('after the server took the message: unconfirmed, not re-sent until named, then with the same Message-ID', async () => {
    const behaviour: SmtpBehaviour = { holdData: true };
    const { open, delivery, id, server } = await setup(behaviour);
    const first = await deliverOutbox(open, delivery, () => NOW);
    expect(first.sent).toEqual([]);
    expect(first.failed).toEqual([]);
    expect(first.unconfirmed.map((u) => u.id)).toEqual([id]);
    server.release(); // the server's 250 comes now, too late: it has the message
    expect(server.received).toHaveLength(1);
    let [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    expect(entry!.last_error).toMatch(
      /^no answer after the server took the whole message \(.*Timeout.*\): it may have been delivered/,
    );
    expect(entry!.last_error).toContain(`costctl outbox retry ${id}`);

    // Hours later, forced or not, a run does not send it again.
    expect(await deliverOutbox(open, delivery, () => LATER)).toEqual({ sent: [], failed: [], unconfirmed: [] });
    expect((await deliverOutbox(open, delivery, () => LATER, { force: true })).sent).toEqual([]);
    expect(server.received).toHaveLength(1);

    // An operator names it: it goes again, with the Message-ID of the first attempt.
    behaviour.holdData = false;
    const again = await deliverOutbox(open, delivery, () => LATER, { force: true, ids: [id] });
    expect(again.sent.map((s) => s.id)).toEqual([id]);
    expect(server.received).toHaveLength(2);
    const ids = server.received.map((m) => mimeHeader(m.raw, 'Message-ID'));
    expect(ids[0]).toMatch(/^<costctl\.[0-9a-f-]{36}@example\.com>$/);
    expect(ids[1]).toBe(ids[0]);
    [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'sent', attempts: 2, message_id: ids[0] });
  });

  it('before the message was handed over: queued and retried as any failure, sent once', async () => {
    const behaviour: SmtpBehaviour = { holdRcpt: true };
    const { open, delivery, id, server } = await setup(behaviour);
    const first = await deliverOutbox(open, delivery, () => NOW);
    expect(first.unconfirmed).toEqual([]);
    expect(first.failed.map((f) => [f.id, f.error])).toEqual([[id, expect.stringMatching(/Timeout/)]]);
    server.release();
    expect(server.received).toHaveLength(0);
    behaviour.holdRcpt = false;
    expect((await deliverOutbox(open, delivery, () => LATER)).sent.map((s) => s.id)).toEqual([id]);
    expect(server.received).toHaveLength(1);
    const [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mimeHeader(server.received[0]!.raw, 'Message-ID')).toBe(entry!.message_id);
  });
});

describe('recipients the server refuses', () => {
  it('one of several refused with 550: sent to the others, the refusal recorded and listed', async () => {
    const { open, delivery, id, server } = await setup({ refuse: ['gone@example.com'] }, [
      'ops@example.com',
      'gone@example.com',
      'cfo@example.com',
    ]);
    const report = await deliverOutbox(open, delivery, () => NOW);
    const refusal = { address: 'gone@example.com', reply: '550 5.1.1 <gone@example.com>: no such user' };
    expect(report.sent).toEqual([
      expect.objectContaining({ id, to: ['ops@example.com', 'cfo@example.com'], refused: [refusal] }),
    ]);
    expect(server.received.map((m) => m.to.sort())).toEqual([['cfo@example.com', 'ops@example.com']]);
    const [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({ status: 'sent', refused: [refusal] });
  });

  it('all refused: the message stays queued with the refusals', async () => {
    const { open, delivery, server } = await setup({ refuse: ['gone@example.com'] }, ['gone@example.com']);
    const report = await deliverOutbox(open, delivery, () => NOW);
    expect(report.failed[0]!.error).toMatch(/all recipients were rejected: 550/);
    expect(server.received).toHaveLength(0);
    const [entry] = await open((db) => listOutbox(db));
    expect(entry).toMatchObject({
      status: 'queued',
      refused: [{ address: 'gone@example.com', reply: '550 5.1.1 <gone@example.com>: no such user' }],
    });
  });
});
