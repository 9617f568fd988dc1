// Validated request bodies into the inputs the services take: counts to bigint, decimal text to Decimal,
// instants to Date. The schema has checked the shapes; what is left is what a schema cannot say.
import { type InstantRange, instantInRange, instantRangeRule } from '../../domain/ingest-bounds.js';
import { Decimal } from '../../domain/money.js';
import { requestUnits, type RequestUnits } from '../../domain/pricing.js';
import { parseInstant } from '../../domain/time.js';
import type { RecordInput } from '../usage/record-request.js';
import { RequestError } from './http-errors.js';

type Body = Record<string, unknown>;

const big = (v: unknown): bigint | undefined => (v === undefined ? undefined : BigInt(v as string | number));
const dec = (v: unknown): Decimal | undefined => (v === undefined ? undefined : new Decimal(v as string));
const text = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

export function instantOf(v: unknown, field: string, fallback: Date): Date {
  if (v === undefined) return fallback;
  const t = parseInstant(String(v));
  if (!t)
    throw new RequestError(
      400,
      'bad_request',
      `${field} "${String(v)}" is not a timestamp (2026-03-02T09:15:03Z or epoch seconds)`,
      field,
    );
  return t;
}

export function unitsOf(b: Body, outputField: 'output_tokens' | 'max_output_tokens'): RequestUnits {
  return requestUnits({
    inputTokens: big(b.input_tokens),
    outputTokens: big(b[outputField]),
    cacheReadTokens: big(b.cache_read_tokens),
    cacheWriteTokens: big(b.cache_write_tokens),
    cacheWrite1hTokens: big(b.cache_write_1h_tokens),
    requests: big(b.requests),
    durationSeconds: dec(b.duration_seconds),
    bytes: big(b.bytes),
    requestType: text(b.request_type),
  });
}

export function recordInputOf(b: Body, field: string, now: Date, accepted?: InstantRange): RecordInput {
  const timestamp = instantOf(b.timestamp, `${field}timestamp`, now);
  if (accepted && b.timestamp !== undefined && !instantInRange(timestamp, accepted))
    throw new RequestError(
      400,
      'bad_request',
      `${field}timestamp "${String(b.timestamp)}" ${instantRangeRule(accepted)}`,
      `${field}timestamp`,
    );
  return {
    requestId: text(b.request_id),
    timestamp,
    model: String(b.model),
    provider: text(b.provider),
    inputTokens: big(b.input_tokens),
    outputTokens: big(b.output_tokens),
    cacheReadTokens: big(b.cache_read_tokens),
    cacheWriteTokens: big(b.cache_write_tokens),
    cacheWrite1hTokens: big(b.cache_write_1h_tokens),
    requests: big(b.requests),
    durationSeconds: dec(b.duration_seconds),
    bytes: big(b.bytes),
    costType: text(b.cost_type),
    userId: text(b.user_id),
    department: text(b.department),
    organization: text(b.organization),
    project: text(b.project),
    accountId: text(b.account_id),
    sessionId: text(b.session_id),
    sopInstanceId: text(b.sop_instance_id),
    requestType: text(b.request_type),
    reportedCost: dec(b.reported_cost),
    currency: text(b.currency),
    tags: b.tags as Record<string, unknown> | undefined,
  };
}
