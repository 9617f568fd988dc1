// Alerts are state, not events: one row per (type, subject, window), moving open → acknowledged → resolved.
import type { Migration } from './types.js';

export const alertsMigration: Migration = {
  version: 2,
  name: 'alerts',
  statements: [
    `CREATE SEQUENCE alerts_id START 1`,
    `CREATE TABLE alerts (
      id BIGINT PRIMARY KEY DEFAULT nextval('alerts_id'),
      type VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      window_start TIMESTAMP NOT NULL,
      window_end TIMESTAMP,
      severity VARCHAR NOT NULL,
      status VARCHAR NOT NULL DEFAULT 'open',
      title VARCHAR NOT NULL,
      message VARCHAR NOT NULL,
      observed DECIMAL(38,18),
      threshold DECIMAL(38,18),
      details JSON,
      recipients JSON,
      created_at TIMESTAMP NOT NULL,
      acknowledged_at TIMESTAMP,
      acknowledged_by VARCHAR,
      resolved_at TIMESTAMP,
      resolved_by VARCHAR,
      resolution_note VARCHAR,
      UNIQUE (type, subject, window_start)
    )`,
  ],
};
