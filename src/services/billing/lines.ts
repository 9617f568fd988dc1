// Billing lines: what the providers charged, as loaded from billing exports. Listing and export share one
// filter (charge period start in [since, until), provider), so an exported file holds exactly the lines
// `billing list` shows.
import type { Db, SqlParam } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { exportRelation, type ExportFormat } from '../../db/export.js';
import { BILLING_RESTATE, restatementsSql } from '../ingest/restate.js';
import { BILLING_CHARGE_COLUMNS } from '../../db/billing-columns.js';

export interface BillingFilter {
  /** Inclusive lower bound on charge_period_start. */
  since?: Date;
  /** Exclusive upper bound on charge_period_start. */
  until?: Date;
  /** Provider name, compared case-insensitively (exports spell it `AWS`, `openai`, `Anthropic`…). */
  provider?: string;
}

export interface BillingLine {
  charge_period_start: string;
  charge_period_end: string | null;
  provider: string | null;
  service: string | null;
  model: string | null;
  sku: string | null;
  charge_category: string | null;
  quantity: string | null;
  unit: string | null;
  billed_cost: string;
  list_cost: string | null;
  currency: string;
  invoice_id: string | null;
  billing_account: string | null;
  tags: Record<string, unknown> | null;
  source: string;
  line_key: string;
  line: string | null;
}

export interface BillingList {
  lines: BillingLine[];
  /** Lines matching the filter (the list may be cut by `limit`). */
  matching: number;
  /** Billed total of every matching line, per currency, as exact decimal strings. */
  totals: { currency: string; billed_cost: string; lines: number }[];
}

const ISO = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;

export function billingWhere(filter: BillingFilter): { where: string; params: SqlParam[] } {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  if (filter.since) {
    clauses.push('charge_period_start >= ?::TIMESTAMP');
    params.push(sqlTimestamp(filter.since));
  }
  if (filter.until) {
    clauses.push('charge_period_start < ?::TIMESTAMP');
    params.push(sqlTimestamp(filter.until));
  }
  if (filter.provider !== undefined) {
    clauses.push('lower(provider) = lower(?)');
    params.push(filter.provider);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const ORDER = 'ORDER BY charge_period_start, source, file_id, line, line_key';

export async function listBilling(db: Db, filter: BillingFilter, limit?: number): Promise<BillingList> {
  const { where, params } = billingWhere(filter);
  const rows = await db.all(
    `SELECT ${ISO('charge_period_start')} AS charge_period_start, ${ISO('charge_period_end')} AS charge_period_end,
       provider, service, model, sku, charge_category, quantity::VARCHAR AS quantity, unit,
       billed_cost::VARCHAR AS billed_cost, list_cost::VARCHAR AS list_cost, currency, invoice_id, billing_account,
       tags::VARCHAR AS tags, source, line_key, line::VARCHAR AS line
     FROM billing_lines ${where} ${ORDER} ${limit !== undefined ? 'LIMIT ?' : ''}`,
    limit !== undefined ? [...params, limit] : params,
  );
  const totals = await db.all<{ currency: string; billed_cost: string; lines: string }>(
    `SELECT currency, sum(billed_cost)::VARCHAR AS billed_cost, count(*)::VARCHAR AS lines
     FROM billing_lines ${where} GROUP BY currency ORDER BY currency`,
    params,
  );
  return {
    lines: rows.map((r) => ({ ...r, tags: r.tags === null ? null : JSON.parse(r.tags) }) as BillingLine),
    matching: totals.reduce((n, t) => n + Number(t.lines), 0),
    totals: totals.map((t) => ({ currency: t.currency, billed_cost: t.billed_cost, lines: Number(t.lines) })),
  };
}

/** Columns of an exported billing file, in order. */
export const BILLING_EXPORT_COLUMNS = [...BILLING_CHARGE_COLUMNS, 'source', 'line_key', 'line'];

export interface BillingExportRequest {
  out: string;
  format: ExportFormat;
  /** Replace billing_account with a stable pseudonym. */
  mask?: boolean;
}

export async function exportBilling(db: Db, filter: BillingFilter, request: BillingExportRequest): Promise<number> {
  const { where, params } = billingWhere(filter);
  return exportRelation(db, {
    selectSql: `SELECT ${BILLING_EXPORT_COLUMNS.join(', ')} FROM billing_lines ${where} ${ORDER}`,
    params,
    out: request.out,
    format: request.format,
    mask: request.mask ? ['billing_account'] : undefined,
  });
}

/** One restatement: a stored line's amounts before a later export replaced them, and what replaced them. */
export interface RestatedLine {
  charge_period_start: string;
  provider: string | null;
  service: string | null;
  model: string | null;
  sku: string | null;
  currency: string;
  billed_cost_before: string;
  billed_cost_after: string;
  quantity_before: string | null;
  quantity_after: string | null;
  list_cost_before: string | null;
  list_cost_after: string | null;
  /** The file the earlier amounts came from, and the one that restated them. */
  file_before: string | null;
  restated_by: string | null;
  restated_at: string;
  source: string;
  line_key: string;
}

/**
 * Every restatement of the matching lines, oldest charge first. A line restated twice shows twice: the
 * amounts after each restatement are those of the next revision, or of the line as stored now.
 */
export async function listRestated(db: Db, filter: BillingFilter): Promise<RestatedLine[]> {
  const { where, params } = billingWhere(filter);
  const select = `${ISO('charge_period_start')} AS charge_period_start, provider, service, model, sku, currency, source, line_key`;
  return db.all<RestatedLine & Record<string, string | null>>(
    restatementsSql(
      BILLING_RESTATE,
      select,
      ['billed_cost', 'quantity', 'list_cost'],
      where,
      'charge_period_start, source, line_key',
    ),
    params,
  );
}
