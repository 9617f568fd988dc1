// What every report reads: a half-open UTC range [from, to), the reporting zone, and dimension filters,
// turned into one WHERE clause with bound parameters (never string-spliced values).
import type { SqlParam } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';

/** Filter flag → usage column. Values of one filter are OR-ed, different filters AND-ed. */
export const FILTER_COLUMNS = {
  user: 'user_id',
  department: 'department',
  organization: 'organization',
  project: 'project',
  model: 'model',
  provider: 'provider',
  account: 'account_id',
  requestType: 'request_type',
} as const;
export type FilterName = keyof typeof FILTER_COLUMNS;
export type UsageFilters = Partial<Record<FilterName, string[]>>;

export interface ReportScope {
  from: Date;
  to: Date;
  tz: string;
  filters: UsageFilters;
}

export interface SqlWhere {
  sql: string;
  params: SqlParam[];
}

/** Only the dimension filters (for queries that choose their own time range). */
export function filterWhere(filters: UsageFilters): SqlWhere {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [name, column] of Object.entries(FILTER_COLUMNS) as Array<[FilterName, string]>) {
    const values = filters[name];
    if (!values || values.length === 0) continue;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** Time range [from, to) plus filters. */
export function usageWhere(range: { from: Date; to: Date }, filters: UsageFilters = {}): SqlWhere {
  const f = filterWhere(filters);
  return {
    sql: `ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND ${f.sql}`,
    params: [sqlTimestamp(range.from), sqlTimestamp(range.to), ...f.params],
  };
}
