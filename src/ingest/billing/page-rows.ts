import type { Db, SqlParam } from '../../db/database.js';
import type { StageResult } from '../types.js';
import { breakdownExcess, type RequestUnitCounts, type UnitName } from '../../domain/request-units.js';
import { createStaging, insertRejects, insertRows } from './staging.js';
import { type PageResult, type Reject, RowProblem, rawText } from './pages.js';
import { withOccurrence } from './page-fields.js';

export const BILLING_CASTS = [
  'VARCHAR',
  'VARCHAR',
  'TIMESTAMP',
  'TIMESTAMP',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'DECIMAL(38,9)',
  'VARCHAR',
  'DECIMAL(38,18)',
  'DECIMAL(38,18)',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'JSON',
  'BIGINT',
];

export interface BillingRow {
  lineKey: string;
  start: string;
  end: string | null;
  provider: string;
  service: string | null;
  model: string | null;
  sku: string | null;
  chargeCategory: string;
  quantity: string | null;
  unit: string | null;
  billed: string;
  list: string | null;
  currency: string;
  tags: string | null;
  line: number;
}

export function billingParams(source: string, r: BillingRow): SqlParam[] {
  return [
    source,
    r.lineKey,
    r.start,
    r.end,
    r.provider,
    r.service,
    r.model,
    r.sku,
    r.chargeCategory,
    r.quantity,
    r.unit,
    r.billed,
    r.list,
    r.currency,
    null,
    null,
    r.tags,
    r.line,
  ];
}

export const USAGE_CASTS = [
  'VARCHAR',
  'VARCHAR',
  'TIMESTAMP',
  'VARCHAR',
  'VARCHAR',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'DECIMAL(18,6)',
  'BIGINT',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'DECIMAL(38,18)',
  'VARCHAR',
  'JSON',
  ...Array(7).fill('BIGINT'),
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'BIGINT',
];

export interface UsageRow {
  requestId: string;
  ts: string;
  model: string;
  provider: string;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  cacheWrite1h: string;
  requests: string;
  userId: string | null;
  project: string | null;
  requestType: string | null;
  tags: string | null;
  line: number;
  /** Usage-log v2: what the report states beyond text tokens (absent: none). */
  served?: ServedParts;
}

/** The v2 breakdowns (parts of input/output), per-call units and served variant a report states. */
export interface ServedParts {
  reasoning?: string;
  audioInput?: string;
  imageInput?: string;
  audioOutput?: string;
  imageOutput?: string;
  images?: string;
  webSearchCalls?: string;
  serviceTier?: string | null;
  speed?: string | null;
  region?: string | null;
}

/**
 * A breakdown is part of its total (usage-log v2; breakdownExcess is the rule), so a report whose parts
 * exceed it is rejected, as the native reader rejects such a row. `labels`: the report's names for the
 * totals and parts it states; only those are named in the reason.
 */
export function checkBreakdowns(
  row: { input: string; output: string; served?: ServedParts },
  labels: Partial<Record<UnitName, string>>,
): void {
  const s = row.served ?? {};
  const given: [UnitName, string | undefined][] = [
    ['inputTokens', row.input],
    ['outputTokens', row.output],
    ['reasoningTokens', s.reasoning],
    ['audioInputTokens', s.audioInput],
    ['imageInputTokens', s.imageInput],
    ['audioOutputTokens', s.audioOutput],
    ['imageOutputTokens', s.imageOutput],
  ];
  const counts: RequestUnitCounts = {};
  for (const [name, v] of given) if (v !== undefined) Object.assign(counts, { [name]: BigInt(v) });
  const over = breakdownExcess(counts);
  if (!over) return;
  const named = over.given.filter((p) => labels[p] !== undefined && counts[p] !== 0n).map((p) => labels[p]);
  throw new RowProblem(
    `${named.join(' + ')} (${over.sum}) must not exceed ${labels[over.total] ?? over.total} (${over.totalValue}): a breakdown is part of its total`,
  );
}

export function usageParams(source: string, r: UsageRow): SqlParam[] {
  return [
    source,
    r.requestId,
    r.ts,
    r.model,
    r.provider,
    r.input,
    r.output,
    r.cacheRead,
    r.cacheWrite,
    r.cacheWrite1h,
    r.requests,
    null,
    null,
    'ai_api',
    r.userId,
    null,
    null,
    r.project,
    null,
    null,
    null,
    r.requestType,
    null,
    'USD',
    r.tags,
    // usage-log v2, in NATIVE_FIELDS order
    r.served?.reasoning ?? '0',
    r.served?.audioInput ?? '0',
    r.served?.imageInput ?? '0',
    r.served?.audioOutput ?? '0',
    r.served?.imageOutput ?? '0',
    r.served?.images ?? '0',
    r.served?.webSearchCalls ?? '0',
    r.served?.serviceTier ?? null,
    r.served?.speed ?? null,
    r.served?.region ?? null,
    r.line,
  ];
}

/**
 * Maps every result with `map`; a RowProblem becomes a reject naming the result's place. Returns the
 * mapped rows; rejects (including the reader's) are written to staged_rejects.
 */
export async function mapResults<T>(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[] },
  map: (p: PageResult) => T,
): Promise<T[]> {
  const rows: T[] = [];
  const rejects = [...read.rejects];
  for (const p of read.results) {
    try {
      rows.push(map(p));
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      rejects.push({ line: p.line, reason: `${p.where}: ${e.message}`, raw: rawText(p.result) });
    }
  }
  await insertRejects(
    db,
    rejects.sort((a, b) => a.line - b.line),
  );
  return rows;
}

export async function insertStaged(db: Db, casts: string[], rows: SqlParam[][]): Promise<void> {
  await insertRows(db, 'staged', casts, rows);
}

/** Stages report results as billing lines: map each result, key repeats apart, insert. */
export async function stageBillingResults(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[]; records: number },
  map: (p: PageResult) => BillingRow,
  source: string,
): Promise<StageResult> {
  await createStaging(db, 'billing');
  const rows = await mapResults(db, read, map);
  const keys = withOccurrence(rows.map((r) => r.lineKey));
  await insertStaged(
    db,
    BILLING_CASTS,
    rows.map((r, i) => billingParams(source, { ...r, lineKey: keys[i]! })),
  );
  return { rowsRead: read.records };
}

/** Stages report results as usage rows (one per bucket and group), with repeat-safe request ids. */
export async function stageUsageResults(
  db: Db,
  read: { results: PageResult[]; rejects: Reject[]; records: number },
  map: (p: PageResult) => UsageRow,
  source: string,
): Promise<StageResult> {
  await createStaging(db, 'usage');
  const rows = await mapResults(db, read, map);
  const ids = withOccurrence(rows.map((r) => r.requestId));
  await insertStaged(
    db,
    USAGE_CASTS,
    rows.map((r, i) => usageParams(source, { ...r, requestId: ids[i]! })),
  );
  return { rowsRead: read.records };
}
