// The day a provider retires a model (LiteLLM's `deprecation_date`), so the optimizer never proposes a
// move to a model that is retired or about to be (issue #18). Existing models get none until the next
// import of a catalog that states it.
import type { Migration } from './types.js';

export const modelDeprecationMigration: Migration = {
  version: 13,
  name: 'model-deprecation',
  statements: ['ALTER TABLE models ADD COLUMN deprecation_date DATE'],
};
