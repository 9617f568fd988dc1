// Core schema: the audit trail, the versioned model price catalog, usage rows and billing lines.
// Money is DECIMAL(38,18); instants are naive TIMESTAMPs holding UTC.
import { PRICE_COLUMNS } from '../../domain/catalog-types.js';
import type { Migration } from './types.js';

const MONEY = 'DECIMAL(38,18)';
const priceColumns = Object.values(PRICE_COLUMNS)
  .flatMap((c) => [`${c.price} ${MONEY}`, `${c.rate} ${MONEY}`])
  .join(',\n  ');

export const coreMigration: Migration = {
  version: 1,
  name: 'core',
  statements: [
    `CREATE SEQUENCE audit_id START 1`,
    `CREATE TABLE audit (
      id BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),
      occurred_at TIMESTAMP NOT NULL,
      actor VARCHAR NOT NULL,
      command VARCHAR NOT NULL,
      args JSON NOT NULL
    )`,
    `CREATE TABLE models (
      name VARCHAR PRIMARY KEY,
      provider VARCHAR NOT NULL,
      model_type VARCHAR NOT NULL,
      cost_type VARCHAR NOT NULL,
      currency VARCHAR NOT NULL,
      source VARCHAR,
      created_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE model_aliases (
      alias VARCHAR PRIMARY KEY,
      model_name VARCHAR NOT NULL
    )`,
    `CREATE SEQUENCE model_prices_id START 1`,
    `CREATE TABLE model_prices (
      id BIGINT PRIMARY KEY DEFAULT nextval('model_prices_id'),
      model_name VARCHAR NOT NULL,
      effective_from TIMESTAMP NOT NULL,
      billing_unit VARCHAR NOT NULL,
      unit_size DECIMAL(38,6) NOT NULL,
      tier_threshold_tokens BIGINT,
      ${priceColumns},
      source VARCHAR,
      created_at TIMESTAMP NOT NULL,
      UNIQUE (model_name, effective_from)
    )`,
    // One row per billable request. (source, request_id) is the de-duplication key; ingest enforces it
    // with an anti-join instead of an index so bulk loads of millions of rows stay fast.
    `CREATE TABLE usage (
      source VARCHAR NOT NULL,
      request_id VARCHAR NOT NULL,
      ts TIMESTAMP NOT NULL,
      model VARCHAR NOT NULL,
      provider VARCHAR,
      input_tokens BIGINT NOT NULL DEFAULT 0,
      output_tokens BIGINT NOT NULL DEFAULT 0,
      cache_read_tokens BIGINT NOT NULL DEFAULT 0,
      cache_write_tokens BIGINT NOT NULL DEFAULT 0,
      cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0,
      requests BIGINT NOT NULL DEFAULT 1,
      duration_seconds DECIMAL(18,6),
      bytes BIGINT,
      cost_type VARCHAR NOT NULL DEFAULT 'ai_api',
      user_id VARCHAR,
      department VARCHAR,
      organization VARCHAR,
      project VARCHAR,
      account_id VARCHAR,
      session_id VARCHAR,
      sop_instance_id VARCHAR,
      request_type VARCHAR,
      reported_cost ${MONEY},
      currency VARCHAR NOT NULL DEFAULT 'USD',
      tags JSON,
      priced_model VARCHAR,
      price_version BIGINT,
      unpriced BOOLEAN NOT NULL,
      input_cost ${MONEY},
      output_cost ${MONEY},
      cache_read_cost ${MONEY},
      cache_write_cost ${MONEY},
      base_cost ${MONEY},
      total_cost ${MONEY},
      file_id BIGINT,
      line BIGINT,
      ingested_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP
    )`,
    // What the providers charged. line_key is the natural key of the line within its source format.
    `CREATE TABLE billing_lines (
      source VARCHAR NOT NULL,
      line_key VARCHAR NOT NULL,
      charge_period_start TIMESTAMP NOT NULL,
      charge_period_end TIMESTAMP,
      provider VARCHAR,
      service VARCHAR,
      model VARCHAR,
      sku VARCHAR,
      charge_category VARCHAR,
      quantity DECIMAL(38,9),
      unit VARCHAR,
      billed_cost ${MONEY} NOT NULL,
      list_cost ${MONEY},
      currency VARCHAR NOT NULL DEFAULT 'USD',
      invoice_id VARCHAR,
      billing_account VARCHAR,
      tags JSON,
      file_id BIGINT,
      line BIGINT,
      ingested_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP
    )`,
  ],
};
