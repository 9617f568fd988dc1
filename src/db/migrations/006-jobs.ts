// Unattended operation: the email outbox, the record of job runs, and stored optimization suggestions.
import type { Migration } from './types.js';

const MONEY = 'DECIMAL(38,18)';

export const jobsMigration: Migration = {
  version: 6,
  name: 'jobs',
  statements: [
    `CREATE SEQUENCE outbox_id START 1`,
    // One row per message. dedupe_key (e.g. `alert:17`) makes queueing idempotent, so a message is
    // queued once however often a job sees its alert. status: queued → sending → sent.
    `CREATE TABLE outbox (
      id BIGINT PRIMARY KEY DEFAULT nextval('outbox_id'),
      dedupe_key VARCHAR NOT NULL UNIQUE,
      kind VARCHAR NOT NULL,
      alert_id BIGINT,
      report VARCHAR,
      recipients JSON NOT NULL,
      subject VARCHAR NOT NULL,
      text_body VARCHAR NOT NULL,
      html_body VARCHAR NOT NULL,
      status VARCHAR NOT NULL DEFAULT 'queued',
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error VARCHAR,
      next_attempt_at TIMESTAMP NOT NULL,
      claimed_at TIMESTAMP,
      created_at TIMESTAMP NOT NULL,
      sent_at TIMESTAMP,
      delivered_via VARCHAR,
      delivered_to VARCHAR,
      message_id VARCHAR
    )`,
    `CREATE SEQUENCE job_runs_id START 1`,
    `CREATE TABLE job_runs (
      id BIGINT PRIMARY KEY DEFAULT nextval('job_runs_id'),
      job VARCHAR NOT NULL,
      trigger VARCHAR NOT NULL,
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP,
      status VARCHAR NOT NULL DEFAULT 'running',
      summary VARCHAR,
      error VARCHAR,
      details JSON
    )`,
    `CREATE SEQUENCE suggestions_id START 1`,
    // fingerprint = type + what it is about; re-running optimize refreshes the figures but keeps the
    // operator's accept/dismiss decision.
    `CREATE TABLE suggestions (
      id BIGINT PRIMARY KEY DEFAULT nextval('suggestions_id'),
      fingerprint VARCHAR NOT NULL UNIQUE,
      type VARCHAR NOT NULL,
      title VARCHAR NOT NULL,
      description VARCHAR NOT NULL,
      current_cost ${MONEY} NOT NULL,
      potential_savings ${MONEY} NOT NULL,
      savings_percentage DECIMAL(9,2) NOT NULL,
      recommendations JSON NOT NULL,
      effort VARCHAR NOT NULL,
      priority VARCHAR NOT NULL,
      evidence JSON NOT NULL,
      window_start TIMESTAMP NOT NULL,
      window_end TIMESTAMP NOT NULL,
      status VARCHAR NOT NULL DEFAULT 'new',
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      decided_at TIMESTAMP,
      decided_by VARCHAR
    )`,
  ],
};
