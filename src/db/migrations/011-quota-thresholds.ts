// Extra threshold percentages per quota (issue #21): beyond warning, critical and exceeded, a quota may
// list more fractions of its limit (e.g. 0.5, 0.75, 0.9), each raising its own alert once per window.
// Existing quotas get none.
import type { Migration } from './types.js';

export const quotaThresholdsMigration: Migration = {
  version: 11,
  name: 'quota-thresholds',
  statements: [`ALTER TABLE quotas ADD COLUMN extra_thresholds JSON DEFAULT '[]'`],
};
