// What every report reads: a half-open UTC range [from, to), the reporting zone, and dimension filters,
// turned into one WHERE clause by src/db/usage-filters.ts.
import type { UsageFilters } from '../../db/usage-filters.js';

export interface ReportScope {
  from: Date;
  to: Date;
  tz: string;
  filters: UsageFilters;
}
