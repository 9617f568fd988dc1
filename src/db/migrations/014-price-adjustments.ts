// The operator's discounts and markups (issue #16): effective-dated multipliers over a provider's catalog
// prices, kept apart from model_prices so no import or sync touches them. Rows priced before one was added
// keep their cost until `costctl reprice`.
import type { Migration } from './types.js';

export const priceAdjustmentsMigration: Migration = {
  version: 14,
  name: 'price-adjustments',
  statements: [
    `CREATE SEQUENCE price_adjustments_id START 1`,
    `CREATE TABLE price_adjustments (
      id BIGINT PRIMARY KEY DEFAULT nextval('price_adjustments_id'),
      kind VARCHAR NOT NULL,
      provider VARCHAR NOT NULL,
      model_pattern VARCHAR,
      percent DECIMAL(9,4) NOT NULL,
      multiplier DECIMAL(12,6) NOT NULL,
      effective_from TIMESTAMP NOT NULL,
      effective_until TIMESTAMP,
      note VARCHAR,
      created_at TIMESTAMP NOT NULL
    )`,
  ],
};
