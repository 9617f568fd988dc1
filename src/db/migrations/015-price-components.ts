// Prices of what 2026 providers bill beyond text tokens (issue #15): reasoning, audio and image tokens, per
// image and per web search call, and the flex and priority service tiers' rates, on every price version.
// A usage row says which of its components had no price (unpriced_parts, NULL: all priced);
// usage_revisions mirrors usage (see 008). Existing rows keep their cost until `reprice`.
import { COMPONENT_PRICE_COLUMNS } from '../../domain/catalog-types.js';
import type { Migration } from './types.js';

const priceColumns = Object.values(COMPONENT_PRICE_COLUMNS).flatMap((c) => [
  `ALTER TABLE model_prices ADD COLUMN ${c.price} DECIMAL(38,18)`,
  `ALTER TABLE model_prices ADD COLUMN ${c.rate} DECIMAL(38,18)`,
]);

export const priceComponentsMigration: Migration = {
  version: 15,
  name: 'price-components',
  statements: [
    ...priceColumns,
    'ALTER TABLE usage ADD COLUMN unpriced_parts VARCHAR',
    'ALTER TABLE usage_revisions ADD COLUMN unpriced_parts VARCHAR',
  ],
};
