// The pricing rules, one case per line. Expected values are hand computations from the stated prices.
import { describe, expect, it } from 'vitest';
import { emptyPriceList, type BillingUnit, type PriceList, type PriceVersion } from '../../src/domain/catalog-types.js';
import { Decimal } from '../../src/domain/money.js';
import { priceRequest, ratesFromPrices, requestUnits, type RequestUnits } from '../../src/domain/pricing.js';

function version(
  unit: BillingUnit,
  unitSize: number,
  prices: Partial<Record<keyof PriceList, string | bigint>>,
): PriceVersion {
  const list = emptyPriceList();
  for (const [k, v] of Object.entries(prices)) {
    (list as any)[k] = typeof v === 'bigint' ? v : new Decimal(v);
  }
  const size = new Decimal(unitSize);
  return {
    id: 1,
    modelName: 'm',
    provider: 'p',
    billingUnit: unit,
    unitSize: size,
    currency: 'USD',
    effectiveFrom: new Date(0),
    prices: list,
    rates: ratesFromPrices(list, size, unit),
  };
}

// Sonnet-like prices per 1K tokens: input 0.003, output 0.015, cache read 0.0003, cache write 0.00375,
// 1h write 0.006; above 200K prompt tokens: 0.006 / 0.0225 / 0.0006 / 0.0075.
const sonnet = version('token', 1000, {
  input: '0.003',
  output: '0.015',
  cacheRead: '0.0003',
  cacheWrite: '0.00375',
  cacheWrite1h: '0.006',
  tierThresholdTokens: 200000n,
  tierInput: '0.006',
  tierOutput: '0.0225',
  tierCacheRead: '0.0006',
  tierCacheWrite: '0.0075',
});
const noCache = version('token', 1000, { input: '0.002', output: '0.008' });
const batchable = version('token', 1000, {
  input: '0.00015',
  output: '0.0006',
  batchInput: '0.000075',
  batchOutput: '0.0003',
});
const u = (p: Partial<RequestUnits>) => requestUnits(p);

interface Case {
  name: string;
  v: PriceVersion;
  units: RequestUnits;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  base: string;
  total: string;
  tier?: boolean;
  batch?: boolean;
}

const cases: Case[] = [
  // 1000×0.003/1000 = 0.003; 500×0.015/1000 = 0.0075; 2000×0.0003/1000 = 0.0006
  {
    name: 'input, output, cache read',
    v: sonnet,
    units: u({ inputTokens: 1000n, outputTokens: 500n, cacheReadTokens: 2000n }),
    input: '0.003',
    output: '0.0075',
    cacheRead: '0.0006',
    cacheWrite: '0',
    base: '0',
    total: '0.0111',
  },
  // 5m: 4000×0.00375/1000 = 0.015; 1h: 1000×0.006/1000 = 0.006
  {
    name: '5-minute and 1-hour cache writes at their own rates',
    v: sonnet,
    units: u({ cacheWriteTokens: 4000n, cacheWrite1hTokens: 1000n }),
    input: '0',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0.021',
    base: '0',
    total: '0.021',
  },
  // prompt = 150000+50000+1 = 200001 > 200000: all at tier rates. 150000×0.006/1000 = 0.9; 1000×0.0225/1000 = 0.0225;
  // 50000×0.0006/1000 = 0.03; 1×0.0075/1000 = 0.0000075
  {
    name: 'above the tier threshold every component uses tier rates',
    v: sonnet,
    units: u({ inputTokens: 150000n, outputTokens: 1000n, cacheReadTokens: 50000n, cacheWriteTokens: 1n }),
    input: '0.9',
    output: '0.0225',
    cacheRead: '0.03',
    cacheWrite: '0.0000075',
    base: '0',
    total: '0.9525075',
    tier: true,
  },
  // exactly at the threshold is not above it: 200000×0.003/1000 = 0.6
  {
    name: 'at the threshold the base rates still apply',
    v: sonnet,
    units: u({ inputTokens: 200000n }),
    input: '0.6',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.6',
  },
  // tier without a 1h tier rate: 1h writes fall back to the 1h base rate: 210000×0.006/1000 = 1.26
  {
    name: 'tier without a tier rate for a component keeps that component base rate',
    v: sonnet,
    units: u({ cacheWrite1hTokens: 210000n }),
    input: '0',
    output: '0',
    cacheRead: '0',
    cacheWrite: '1.26',
    base: '0',
    total: '1.26',
    tier: true,
  },
  // no cache rates: cache read and writes at the input rate 0.002: (1000+500+250)×0.002/1000 = 0.0035
  {
    name: 'cache without its own rate is priced at the input rate',
    v: noCache,
    units: u({ cacheReadTokens: 1000n, cacheWriteTokens: 500n, cacheWrite1hTokens: 250n }),
    input: '0',
    output: '0',
    cacheRead: '0.002',
    cacheWrite: '0.0015',
    base: '0',
    total: '0.0035',
  },
  // batch: 1000×0.000075/1000 = 0.000075; 1000×0.0003/1000 = 0.0003
  {
    name: 'batch requests use batch rates',
    v: batchable,
    units: u({ inputTokens: 1000n, outputTokens: 1000n, requestType: 'batch' }),
    input: '0.000075',
    output: '0.0003',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.000375',
    batch: true,
  },
  {
    name: 'batch request on a model without batch rates pays interactive rates',
    v: noCache,
    units: u({ inputTokens: 1000n, requestType: 'batch' }),
    input: '0.002',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.002',
  },
  {
    name: 'a single token at $0.00000005 is not rounded away',
    v: version('token', 1000, { input: '0.00005', output: '0' }),
    units: u({ inputTokens: 1n }),
    input: '0.00000005',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.00000005',
  },
  // per request 0.01 × 3 requests + base 0.001 × 3
  {
    name: 'per-request billing plus a base price',
    v: version('request', 1, { input: '0.01', base: '0.001' }),
    units: u({ requests: 3n, inputTokens: 999n }),
    input: '0.03',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0.003',
    total: '0.033',
  },
  // per minute 0.006: 90 s = 1.5 min → 0.009
  {
    name: 'per-minute billing from seconds',
    v: version('minute', 1, { input: '0.006' }),
    units: u({ durationSeconds: new Decimal('90') }),
    input: '0.009',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.009',
  },
  // per minute 0.01: 1 s = 0.01/60 = 0.000166666666666666(67) → rate rounded half-even at 18 decimals
  {
    name: 'per-minute rate that does not divide evenly is kept to 18 decimals',
    v: version('minute', 1, { input: '0.01' }),
    units: u({ durationSeconds: new Decimal('1') }),
    input: '0.000166666666666667',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.000166666666666667',
  },
  // per GB 0.02: 2.5e9 bytes = 2.5 GB → 0.05
  {
    name: 'per-GB billing from bytes',
    v: version('gb', 1, { input: '0.02' }),
    units: u({ bytes: 2_500_000_000n }),
    input: '0.05',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.05',
  },
  // per second 0.0001 with 12.5 s
  {
    name: 'per-second billing',
    v: version('second', 1, { input: '0.0001' }),
    units: u({ durationSeconds: new Decimal('12.5') }),
    input: '0.00125',
    output: '0',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.00125',
  },
  // unit size 1M tokens: 1.25 per 1M → 1000 tokens = 0.00125
  {
    name: 'prices per a million tokens',
    v: version('token', 1_000_000, { input: '1.25', output: '10' }),
    units: u({ inputTokens: 1000n, outputTokens: 100n }),
    input: '0.00125',
    output: '0.001',
    cacheRead: '0',
    cacheWrite: '0',
    base: '0',
    total: '0.00225',
  },
];

describe('priceRequest', () => {
  it.each(cases)('$name', (c) => {
    const cost = priceRequest(c.v, c.units);
    expect(cost.inputCost.toFixed()).toBe(new Decimal(c.input).toFixed());
    expect(cost.outputCost.toFixed()).toBe(new Decimal(c.output).toFixed());
    expect(cost.cacheReadCost.toFixed()).toBe(new Decimal(c.cacheRead).toFixed());
    expect(cost.cacheWriteCost.toFixed()).toBe(new Decimal(c.cacheWrite).toFixed());
    expect(cost.baseCost.toFixed()).toBe(new Decimal(c.base).toFixed());
    expect(cost.totalCost.toFixed()).toBe(new Decimal(c.total).toFixed());
    expect(cost.tierApplied).toBe(Boolean(c.tier));
    expect(cost.batchApplied).toBe(Boolean(c.batch));
  });

  it('total is the sum of its components', () => {
    for (const c of cases) {
      const cost = priceRequest(c.v, c.units);
      const sum = cost.inputCost
        .plus(cost.outputCost)
        .plus(cost.cacheReadCost)
        .plus(cost.cacheWriteCost)
        .plus(cost.baseCost);
      expect(cost.totalCost.eq(sum)).toBe(true);
    }
  });
});
