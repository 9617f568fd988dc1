// Validated request bodies into the inputs the services take: counts to bigint, decimal text to Decimal,
// instants to Date. The schema has checked the shapes; what is left is what a schema cannot say.
import { type InstantRange, instantInRange, instantRangeRule } from '../../domain/ingest-bounds.js';
import { Decimal } from '../../domain/money.js';
import { requestUnits, type RequestUnitCounts, type RequestUnits } from '../../domain/pricing.js';
import { breakdownExcess, type UnitName } from '../../domain/request-units.js';
import { SERVED_FIELDS, SERVED_VALUES, isUnknownServed, type ServedField } from '../../domain/served-values.js';
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

/** The body's field for a unit (the usage-log name: reasoningTokens → reasoning_tokens). */
const fieldOf = (unit: UnitName) => unit.replace(/[A-Z]+/g, (m) => `_${m.toLowerCase()}`);

/**
 * The body's counts as request units; a breakdown larger than its total is a 400 naming the breakdown
 * (`prefix` is `records[3].` in a batch), as a usage log's line is a reject and the CLI's flags an error.
 */
function countsOf(b: Body, prefix: string, outputField: 'output_tokens' | 'max_output_tokens'): RequestUnitCounts {
  const counts: RequestUnitCounts = {
    inputTokens: big(b.input_tokens),
    outputTokens: big(b[outputField]),
    cacheReadTokens: big(b.cache_read_tokens),
    cacheWriteTokens: big(b.cache_write_tokens),
    cacheWrite1hTokens: big(b.cache_write_1h_tokens),
    reasoningTokens: big(b.reasoning_tokens),
    audioInputTokens: big(b.audio_input_tokens),
    imageInputTokens: big(b.image_input_tokens),
    audioOutputTokens: big(b.audio_output_tokens),
    imageOutputTokens: big(b.image_output_tokens),
    images: big(b.images),
    webSearchCalls: big(b.web_search_calls),
    requests: big(b.requests),
    durationSeconds: dec(b.duration_seconds),
    bytes: big(b.bytes),
  };
  const over = breakdownExcess(counts);
  if (over) {
    const total = over.total === 'outputTokens' ? outputField : fieldOf(over.total);
    // The words of ingest's reject; the field is the first breakdown the body gave.
    const parts = over.parts.map((p) => `${prefix}${fieldOf(p)}`);
    throw new RequestError(
      400,
      'bad_request',
      `${parts.join(' + ')} (${over.sum}) must not exceed ${prefix}${total} (${over.totalValue}): a breakdown is part of its total`,
      `${prefix}${fieldOf(over.given[0]!)}`,
    );
  }
  return counts;
}

/** A served value costctl does not know: stored as given, priced as standard, and said in the answer. */
export interface ServedWarning {
  field: string;
  value: string;
  message: string;
}

export function servedWarnings(b: Body, prefix = ''): ServedWarning[] {
  return SERVED_FIELDS.filter((f: ServedField) => isUnknownServed(f, text(b[f]))).map((f) => {
    const value = String(b[f]);
    const { pricedAs, known } = SERVED_VALUES[f];
    return {
      field: `${prefix}${f}`,
      value,
      message: `${prefix}${f} ${JSON.stringify(value)} is not a value costctl knows: stored as given, priced ${pricedAs} (known: ${known.join(', ')})`,
    };
  });
}

export function unitsOf(b: Body, outputField: 'output_tokens' | 'max_output_tokens'): RequestUnits {
  return requestUnits({
    ...countsOf(b, '', outputField),
    requestType: text(b.request_type),
    serviceTier: text(b.service_tier),
    speed: text(b.speed),
    region: text(b.region),
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
    ...countsOf(b, field, 'output_tokens'),
    serviceTier: text(b.service_tier),
    speed: text(b.speed),
    region: text(b.region),
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
