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

/** A total and the breakdowns that are parts of it (usage-log v2), by their usage-log field names. */
export const BREAKDOWNS = [
  { total: 'inputTokens', parts: ['audioInputTokens', 'imageInputTokens'] },
  { total: 'outputTokens', parts: ['reasoningTokens', 'audioOutputTokens', 'imageOutputTokens'] },
] as const satisfies ReadonlyArray<{ total: keyof RequestUnitCounts; parts: ReadonlyArray<keyof RequestUnitCounts> }>;

export type UnitName = keyof RequestUnitCounts;

/**
 * The first total its breakdowns exceed (they are parts of it, never on top: pricing them on top would
 * bill those tokens twice), with every part of it, those given, and their sum; null when every breakdown fits.
 */
export function breakdownExcess(
  u: RequestUnitCounts,
): { total: UnitName; totalValue: bigint; parts: UnitName[]; given: UnitName[]; sum: bigint } | null {
  for (const b of BREAKDOWNS) {
    const given = b.parts.filter((p) => u[p] !== undefined);
    const sum = given.reduce<bigint>((a, p) => a + (u[p] as bigint), 0n);
    const totalValue = (u[b.total] as bigint | undefined) ?? 0n;
    if (sum > totalValue) return { total: b.total, totalValue, parts: [...b.parts], given, sum };
  }
  return null;
}
