// Cost records: usage rows as the API shows them (filters, list, export). An export holds the native
// usage-log fields followed by costctl's pricing columns, so export → ingest round-trips to equal totals.
import type { Db } from '../../db/database.js';
import { type SqlWhere, type UsageFilters, usageWhere } from '../../db/usage-filters.js';
import { NATIVE_FIELDS, TOKEN_COLUMNS } from '../../db/usage-columns.js';
import { exportRelation, type ExportFormat } from '../../db/export.js';
import { restatementsSql, USAGE_RESTATE } from '../ingest/restate.js';
import { PRICED_COLUMNS } from '../../db/usage-columns.js';

export interface RecordFilter {
  since?: Date;
  /** Exclusive. */
  until?: Date;
  filters: UsageFilters;
}

export function recordWhere(filter: RecordFilter): SqlWhere {
  const w = usageWhere({ from: filter.since, to: filter.until }, filter.filters);
  return { sql: `WHERE ${w.sql}`, params: w.params };
}

/** Columns written by the pricing, after the native fields (derived: ignored when read back in). */
export const PRICING_EXPORT_COLUMNS = ['source', ...PRICED_COLUMNS.filter((c) => c !== 'priced_model')];

/** The export's SELECT list: native field names (timestamp as ISO 8601 UTC) then pricing columns. */
export function recordColumnsSql(): string {
  const native = NATIVE_FIELDS.map((f) =>
    f.name === 'timestamp'
      ? `strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS "timestamp"`
      : f.name === 'tags'
        ? 'tags::VARCHAR AS tags'
        : f.column,
  );
  return [...native, ...PRICING_EXPORT_COLUMNS].join(', ');
}

export interface RecordList {
  rows: Record<string, string | boolean | null>[];
  matching: number;
  total_cost: string;
  unpriced_rows: number;
  /** Rows priced except for some components (their total leaves those parts out). */
  partly_unpriced_rows: number;
}

export async function listRecords(db: Db, filter: RecordFilter, limit?: number): Promise<RecordList> {
  const { sql, params } = recordWhere(filter);
  const rows = await db.all(
    `SELECT ${recordColumnsSql()} FROM usage ${sql} ORDER BY ts, source, request_id ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
    params,
  );
  const totals = await db.one<{ n: string; total: string; unpriced: string; partly: string }>(
    `SELECT count(*)::VARCHAR AS n, coalesce(sum(total_cost), 0)::VARCHAR AS total, count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced,
       count(*) FILTER (WHERE unpriced_parts IS NOT NULL)::VARCHAR AS partly FROM usage ${sql}`,
    params,
  );
  return {
    rows,
    matching: Number(totals!.n),
    total_cost: totals!.total,
    unpriced_rows: Number(totals!.unpriced),
    partly_unpriced_rows: Number(totals!.partly),
  };
}

export async function exportRecords(
  db: Db,
  filter: RecordFilter,
  target: { out: string; format: ExportFormat; mask?: boolean },
): Promise<number> {
  const { sql, params } = recordWhere(filter);
  return exportRelation(db, {
    selectSql: `SELECT ${recordColumnsSql()} FROM usage ${sql} ORDER BY ts, source, request_id`,
    params,
    out: target.out,
    format: target.format,
    mask: target.mask ? ['user_id', 'account_id'] : undefined,
  });
}

/** Figures a restatement of a usage-report row can change, shown before and after. */
const RESTATED_FIGURES = [...TOKEN_COLUMNS, 'requests', 'total_cost'];

/**
 * Every restatement of matching usage rows (rows of provider usage reports that a later pull of the same
 * bucket changed), oldest first: each figure before and after, and the files involved.
 */
export async function listRestatedRecords(db: Db, filter: RecordFilter): Promise<Record<string, string | null>[]> {
  const { sql, params } = recordWhere(filter);
  const select = `strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS "timestamp", source, request_id, model, user_id, project`;
  return db.all(restatementsSql(USAGE_RESTATE, select, RESTATED_FIGURES, sql, 'ts, source, request_id'), params);
}
