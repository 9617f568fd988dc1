// Stored anomalies: one row per (grain, bucket, dimension, key), so a scan that runs again finds nothing
// new. Expected is the baseline estimate rounded to 6 decimals; actual is the exact sum of the rows.
import type { Migration } from './types.js';

export const analyticsMigration: Migration = {
  version: 5,
  name: 'analytics',
  statements: [
    `CREATE SEQUENCE anomalies_id START 1`,
    `CREATE TABLE anomalies (
      id BIGINT PRIMARY KEY DEFAULT nextval('anomalies_id'),
      grain VARCHAR NOT NULL,
      bucket_start TIMESTAMP NOT NULL,
      bucket_end TIMESTAMP NOT NULL,
      label VARCHAR NOT NULL,
      tz VARCHAR NOT NULL,
      dimension VARCHAR NOT NULL DEFAULT 'total',
      key VARCHAR NOT NULL DEFAULT '',
      direction VARCHAR NOT NULL,
      expected DECIMAL(38,18) NOT NULL,
      actual DECIMAL(38,18) NOT NULL,
      impact DECIMAL(38,18) NOT NULL,
      impact_pct DOUBLE,
      score DOUBLE NOT NULL,
      contributors JSON,
      alert_id BIGINT,
      detected_at TIMESTAMP NOT NULL,
      UNIQUE (grain, bucket_start, dimension, key)
    )`,
  ],
};
