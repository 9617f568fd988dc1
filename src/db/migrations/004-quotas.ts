// Who belongs where, and what bounds spend: the user directory, quotas (with their reset history),
// budgets with allocations, and custom threshold rules. Usage against any of them is always derived from
// the usage rows, so nothing here holds a running counter that could drift.
import type { Migration } from './types.js';

const MONEY = 'DECIMAL(38,18)';

export const quotasMigration: Migration = {
  version: 4,
  name: 'quotas',
  statements: [
    `CREATE TABLE directory (
      user_id VARCHAR PRIMARY KEY,
      department VARCHAR,
      organization VARCHAR,
      project VARCHAR,
      email VARCHAR,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE SEQUENCE quotas_id START 1`,
    // scope_value is NULL only for the global scope. Limits are in the metric's unit (USD, tokens,
    // requests); thresholds are fractions of the limit.
    `CREATE TABLE quotas (
      id BIGINT PRIMARY KEY DEFAULT nextval('quotas_id'),
      name VARCHAR NOT NULL UNIQUE,
      scope_type VARCHAR NOT NULL,
      scope_value VARCHAR,
      metric VARCHAR NOT NULL,
      period VARCHAR NOT NULL,
      limit_amount ${MONEY} NOT NULL,
      daily_limit ${MONEY},
      hourly_limit ${MONEY},
      warning_threshold ${MONEY} NOT NULL,
      critical_threshold ${MONEY} NOT NULL,
      enforcement VARCHAR NOT NULL,
      model VARCHAR,
      recipients JSON NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    // A reset starts a new window at reset_at; usage rows are never touched, so history stays.
    `CREATE TABLE quota_resets (
      quota_id BIGINT NOT NULL,
      reset_at TIMESTAMP NOT NULL,
      actor VARCHAR NOT NULL,
      note VARCHAR
    )`,
    `CREATE SEQUENCE budgets_id START 1`,
    `CREATE TABLE budgets (
      id BIGINT PRIMARY KEY DEFAULT nextval('budgets_id'),
      name VARCHAR NOT NULL UNIQUE,
      period VARCHAR NOT NULL,
      total ${MONEY} NOT NULL,
      warning_threshold ${MONEY} NOT NULL,
      enforcement VARCHAR NOT NULL,
      recipients JSON NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE budget_allocations (
      budget_id BIGINT NOT NULL,
      target_type VARCHAR NOT NULL,
      target VARCHAR NOT NULL,
      amount ${MONEY} NOT NULL,
      PRIMARY KEY (budget_id, target_type, target)
    )`,
    `CREATE SEQUENCE threshold_rules_id START 1`,
    `CREATE TABLE threshold_rules (
      id BIGINT PRIMARY KEY DEFAULT nextval('threshold_rules_id'),
      name VARCHAR NOT NULL UNIQUE,
      scope_type VARCHAR NOT NULL,
      scope_value VARCHAR,
      period VARCHAR NOT NULL,
      amount ${MONEY} NOT NULL,
      recipients JSON NOT NULL,
      created_at TIMESTAMP NOT NULL
    )`,
  ],
};
