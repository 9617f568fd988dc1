// The usage dimensions people filter by, and the one WHERE clause every reader builds from them: reports,
// records list/export, restatement history, anomaly scans. Values of one filter are OR-ed, different
// filters AND-ed; values are bound, never spliced.
import { sqlTimestamp } from '../domain/time.js';
import type { SqlParam } from './database.js';

/** Filter name → usage column. */
export const FILTER_COLUMNS = {
  user: 'user_id',
  department: 'department',
  organization: 'organization',
  project: 'project',
  model: 'model',
  provider: 'provider',
  account: 'account_id',
  requestType: 'request_type',
  session: 'session_id',
} as const;
export type FilterName = keyof typeof FILTER_COLUMNS;
export type UsageFilters = Partial<Record<FilterName, string[]>>;

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
    const list = values.map(() => '?').join(', ');
    if (name === 'model') {
      // A model as logged or as the catalog names it (`gpt-4o-2024-08-06` logged, `gpt-4o` priced).
      parts.push(`(model IN (${list}) OR priced_model IN (${list}))`);
      params.push(...values, ...values);
    } else {
      parts.push(`${column} IN (${list})`);
      params.push(...values);
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** Time range [from, to) plus filters; an open end leaves that side unbounded. */
export function usageWhere(range: { from?: Date; to?: Date }, filters: UsageFilters = {}): SqlWhere {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (range.from) {
    parts.push('ts >= ?::TIMESTAMP');
    params.push(sqlTimestamp(range.from));
  }
  if (range.to) {
    parts.push('ts < ?::TIMESTAMP');
    params.push(sqlTimestamp(range.to));
  }
  const f = filterWhere(filters);
  return { sql: [...parts, f.sql].join(' AND '), params: [...params, ...f.params] };
}
