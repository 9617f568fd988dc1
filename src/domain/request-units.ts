// What a request consumed (the units pricing reads) and what it cost, component by component.
import { Decimal } from './money.js';
import type { UnpricedPart } from './pricing-components.js';

export interface RequestUnits {
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  cacheWrite1hTokens: bigint;
  requests: bigint;
  durationSeconds: Decimal;
  bytes: bigint;
  /** Breakdowns of input/output tokens and per-call units (usage-log v2). */
  reasoningTokens: bigint;
  audioInputTokens: bigint;
  imageInputTokens: bigint;
  audioOutputTokens: bigint;
  imageOutputTokens: bigint;
  images: bigint;
  webSearchCalls: bigint;
  requestType?: string | null;
  /** The tier that served it: batch, flex, priority (anything else: standard). */
  serviceTier?: string | null;
  /** Fast mode and the region it was served in: they choose the catalog entry (a `fast/…`, `us/…` variant). */
  speed?: string | null;
  region?: string | null;
}

/** What a caller may say a request consumed; anything left out is 0 (requests: 1). */
export type RequestUnitCounts = Partial<Omit<RequestUnits, 'requestType' | 'serviceTier' | 'speed' | 'region'>>;

export function requestUnits(partial: Partial<RequestUnits>): RequestUnits {
  return {
    inputTokens: partial.inputTokens ?? 0n,
    outputTokens: partial.outputTokens ?? 0n,
    cacheReadTokens: partial.cacheReadTokens ?? 0n,
    cacheWriteTokens: partial.cacheWriteTokens ?? 0n,
    cacheWrite1hTokens: partial.cacheWrite1hTokens ?? 0n,
    requests: partial.requests ?? 1n,
    durationSeconds: partial.durationSeconds ?? new Decimal(0),
    bytes: partial.bytes ?? 0n,
    reasoningTokens: partial.reasoningTokens ?? 0n,
    audioInputTokens: partial.audioInputTokens ?? 0n,
    imageInputTokens: partial.imageInputTokens ?? 0n,
    audioOutputTokens: partial.audioOutputTokens ?? 0n,
    imageOutputTokens: partial.imageOutputTokens ?? 0n,
    images: partial.images ?? 0n,
    webSearchCalls: partial.webSearchCalls ?? 0n,
    requestType: partial.requestType ?? null,
    serviceTier: partial.serviceTier ?? null,
    speed: partial.speed ?? null,
    region: partial.region ?? null,
  };
}

export interface CostBreakdown {
  inputCost: Decimal;
  outputCost: Decimal;
  cacheReadCost: Decimal;
  /** 5-minute and 1-hour cache writes together. */
  cacheWriteCost: Decimal;
  baseCost: Decimal;
  totalCost: Decimal;
  /** The long-context tier applied (prompt tokens above the threshold). */
  tierApplied: boolean;
  /** Batch rates applied to input and/or output. */
  batchApplied: boolean;
  /** The rules that priced the request beyond the catalog's plain rates (band, batch, fallbacks), in order. */
  rules: string[];
  /** Components with no price (counted as 0 in the costs above: the row is partly unpriced). */
  unpricedParts: UnpricedPart[];
  /** Why the whole request cannot be priced (a served tier without its rates); the costs are then 0. */
  unpriced: string | null;
}
