// The outbox: every message is stored before it is sent, with the alert or report it belongs to.
// Queueing is idempotent per dedupe_key, so a message is queued once however often its alert is seen;
// a failed send stays queued with its error and a next attempt time (backoff), so nothing is lost. A send
// the server may have delivered without saying so (it timed out after taking the whole message) is
// `unconfirmed`: it is not sent again unless an operator names it (`outbox retry ID`), and then with the
// same Message-ID. Recipients the server refused while it took the message for others are kept in `refused`.
import type { Db, SqlParam, Row } from '../db/database.js';
import { sqlTimestamp } from '../domain/time.js';
import type { Refusal, SendResult } from './transport.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface QueueInput {
  /** `alert:17`, `report:daily-digest:2026-03-02`: one message per key, ever. */
  dedupeKey: string;
  kind: 'alert' | 'report';
  alertId?: number;
  report?: string;
  recipients: string[];
  content: EmailContent;
}

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'unconfirmed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxEntry {
  id: number;
  dedupe_key: string;
  kind: string;
  alert_id: number | null;
  report: string | null;
  recipients: string[];
  subject: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  sent_at: string | null;
  delivered_via: string | null;
  delivered_to: string | null;
  message_id: string | null;
  /** Recipients the server refused (with its reply); the message went to the others. */
  refused: Refusal[];
}

/** A claimed message that has not been sent within this long was interrupted (process killed). */
export const STALE_CLAIM_MS = 15 * 60_000;

/** Wait before attempt n+1 after n failures: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1)) * 60_000;
}

export async function queueMessage(db: Db, input: QueueInput, now: Date): Promise<{ id: number; created: boolean }> {
  const existing = await db.one<{ id: string }>('SELECT id::VARCHAR AS id FROM outbox WHERE dedupe_key = ?', [
    input.dedupeKey,
  ]);
  if (existing) return { id: Number(existing.id), created: false };
  const row = await db.one<{ id: string }>(
    `INSERT INTO outbox (dedupe_key, kind, alert_id, report, recipients, subject, text_body, html_body, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?::JSON, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP) RETURNING id::VARCHAR AS id`,
    [
      input.dedupeKey,
      input.kind,
      input.alertId ?? null,
      input.report ?? null,
      JSON.stringify(input.recipients),
      input.content.subject,
      input.content.text,
      input.content.html,
      sqlTimestamp(now),
      sqlTimestamp(now),
    ],
  );
  return { id: Number(row!.id), created: true };
}

/**
 * Ids of the alerts some message already covers. A message about several thresholds crossed at once
 * carries them all in its key (`alert:12+13`); a message about one is `alert:12`.
 */
export async function alertsWithMessage(db: Db): Promise<Set<number>> {
  const rows = await db.all<{ id: string }>(
    `SELECT unnest(string_split(substr(dedupe_key, 7), '+')) AS id FROM outbox WHERE kind = 'alert' AND dedupe_key LIKE 'alert:%'`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** The outbox key of one message about these alerts. */
export const alertMessageKey = (ids: readonly number[]): string => `alert:${ids.join('+')}`;

const ts = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ') AS ${col}`;
const ENTRY_SELECT = `id, dedupe_key, kind, alert_id, report, recipients::VARCHAR AS recipients, subject, status, attempts, last_error,
  ${ts('next_attempt_at')}, ${ts('created_at')}, ${ts('sent_at')}, delivered_via, delivered_to, message_id, refused::VARCHAR AS refused`;

function toEntry(r: Row): OutboxEntry {
  return {
    ...r,
    id: Number(r.id),
    alert_id: r.alert_id === null ? null : Number(r.alert_id),
    attempts: Number(r.attempts),
    recipients: JSON.parse(r.recipients),
    refused: r.refused ? JSON.parse(r.refused) : [],
  } as OutboxEntry;
}

export async function listOutbox(
  db: Db,
  filter: { status?: OutboxStatus; ids?: number[] } = {},
): Promise<OutboxEntry[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    where.push(`id IN (${filter.ids.map(() => '?').join(', ')})`);
    params.push(...filter.ids);
  }
  const rows = await db.all(
    `SELECT ${ENTRY_SELECT} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    params,
  );
  return rows.map(toEntry);
}

export interface ClaimedMessage {
  id: number;
  recipients: string[];
  subject: string;
  text: string;
  html: string;
  attempts: number;
  messageId: string;
}

/**
 * Marks the messages due at `now` (all queued ones with `force`) as `sending` and returns them. Claims
 * left behind by a killed process are put back in the queue first. The caller sends outside the
 * database session and then calls markSent/markFailed/markUnconfirmed. Named `ids` include unconfirmed
 * messages (an operator's decision to send again). Each message gets its Message-ID on its first claim
 * (`<costctl.UUID@domain>`, `domain` the sender's) and keeps it for every later attempt.
 */
export async function claimDue(
  db: Db,
  now: Date,
  options: { force?: boolean; ids?: number[]; domain?: string } = {},
): Promise<ClaimedMessage[]> {
  return db.transaction(async () => {
    await db.run(
      `UPDATE outbox SET status = 'queued', claimed_at = NULL, last_error = 'interrupted while sending; will retry'
       WHERE status = 'sending' AND claimed_at < ?::TIMESTAMP`,
      [sqlTimestamp(new Date(now.getTime() - STALE_CLAIM_MS))],
    );
    const where = [options.ids ? "status IN ('queued', 'unconfirmed')" : "status = 'queued'"];
    const params: SqlParam[] = [sqlTimestamp(now), options.domain ?? 'localhost'];
    if (!options.force) {
      where.push('next_attempt_at <= ?::TIMESTAMP');
      params.push(sqlTimestamp(now));
    }
    if (options.ids) {
      if (options.ids.length === 0) return [];
      where.push(`id IN (${options.ids.map(() => '?').join(', ')})`);
      params.push(...options.ids);
    }
    const rows = await db.all(
      `UPDATE outbox SET status = 'sending', claimed_at = ?::TIMESTAMP,
         message_id = coalesce(message_id, '<costctl.' || uuid()::VARCHAR || '@' || ? || '>') WHERE ${where.join(' AND ')}
       RETURNING id, recipients::VARCHAR AS recipients, subject, text_body, html_body, attempts, message_id`,
      params,
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        recipients: JSON.parse(r.recipients) as string[],
        subject: r.subject as string,
        text: r.text_body as string,
        html: r.html_body as string,
        attempts: Number(r.attempts),
        messageId: r.message_id as string,
      }))
      .sort((a, b) => a.id - b.id);
  });
}

export async function markSent(db: Db, id: number, result: SendResult, now: Date): Promise<void> {
  await db.run(
    `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?::TIMESTAMP, claimed_at = NULL, last_error = NULL,
       delivered_via = ?, delivered_to = ?, message_id = ?, refused = ?::JSON WHERE id = ?`,
    [sqlTimestamp(now), result.via, result.deliveredTo, result.messageId, refusedJson(result.refused), id],
  );
}

export async function markFailed(
  db: Db,
  id: number,
  error: string,
  attemptsBefore: number,
  now: Date,
  refused: Refusal[] = [],
): Promise<Date> {
  const next = new Date(now.getTime() + retryDelayMs(attemptsBefore + 1));
  await db.run(
    `UPDATE outbox SET status = 'queued', attempts = attempts + 1, claimed_at = NULL, last_error = ?, next_attempt_at = ?::TIMESTAMP,
       refused = ?::JSON WHERE id = ?`,
    [error, sqlTimestamp(next), refusedJson(refused), id],
  );
  return next;
}

/** The server took the whole message and then gave no answer: it may have delivered it, so no automatic retry. */
export async function markUnconfirmed(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db.run(
    `UPDATE outbox SET status = 'unconfirmed', attempts = attempts + 1, claimed_at = NULL, last_error = ?,
       next_attempt_at = ?::TIMESTAMP WHERE id = ?`,
    [error, sqlTimestamp(now), id],
  );
}

const refusedJson = (refused: Refusal[]) => (refused.length ? JSON.stringify(refused) : null);
