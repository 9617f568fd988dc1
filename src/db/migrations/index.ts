// The ordered list of schema migrations. Add a file per change; never edit one that has shipped.
import { coreMigration } from './001-core.js';
import { alertsMigration } from './002-alerts.js';
import { ingestMigration } from './003-ingest.js';
import { quotasMigration } from './004-quotas.js';
import { analyticsMigration } from './005-analytics.js';
import { jobsMigration } from './006-jobs.js';
import { rollupMigration } from './007-rollup.js';
import { restatementsMigration } from './008-restatements.js';
import { billedVariantsMigration } from './009-billed-variants.js';
import { outboxRefusalsMigration } from './010-outbox-refusals.js';
import { quotaThresholdsMigration } from './011-quota-thresholds.js';
import { filePositionsMigration } from './016-file-positions.js';
import { priceAdjustmentsMigration } from './014-price-adjustments.js';
import { priceComponentsMigration } from './015-price-components.js';
import { serveTokensMigration } from './012-serve-tokens.js';
import { modelDeprecationMigration } from './013-model-deprecation.js';
import type { Migration } from './types.js';

export const MIGRATIONS: Migration[] = [
  coreMigration,
  alertsMigration,
  ingestMigration,
  quotasMigration,
  analyticsMigration,
  jobsMigration,
  rollupMigration,
  restatementsMigration,
  billedVariantsMigration,
  outboxRefusalsMigration,
  quotaThresholdsMigration,
  filePositionsMigration,
  priceAdjustmentsMigration,
  priceComponentsMigration,
  serveTokensMigration,
  modelDeprecationMigration,
];
