// The ordered list of schema migrations. Add a file per change; never edit one that has shipped.
import { coreMigration } from './001-core.js';
import { alertsMigration } from './002-alerts.js';
import { quotasMigration } from './004-quotas.js';
import type { Migration } from './types.js';

export const MIGRATIONS: Migration[] = [coreMigration, alertsMigration, quotasMigration];
