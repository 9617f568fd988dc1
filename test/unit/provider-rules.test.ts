// The provider rules applied to real catalog entries (the bundled LiteLLM map, February 2026), one case
// per line. Each expected figure is a hand computation from the entry's per-token prices, written out in
// the comment beside it; the rules column is what a usage row's price_rules will say.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { priceRequest, requestUnits, type RequestUnits } from '../../src/domain/pricing.js';
import { litellmVersion } from '../helpers/litellm-entry.js';

const u = (p: Partial<RequestUnits>) => requestUnits(p);

const cases: { name: string; model: string; units: RequestUnits; total: string; rules: string[] }[] = [
  {
    // issue #15 row 1: 2000 × 0.000003 + 500 × 0.000015 + 10000 × (2 × 0.000003) = 0.006 + 0.0075 + 0.06
    name: 'Anthropic 1h cache write without a 1h price is 2 × input',
    model: 'claude-sonnet-4-5',
    units: u({ inputTokens: 2000n, outputTokens: 500n, cacheWrite1hTokens: 10000n }),
    total: '0.0735',
    rules: ['cache write 1h = 2 × input (anthropic rule)'],
  },
  {
    // the catalog's own 5m price: 1000 × 0.00000375
    name: 'Anthropic 5m cache write at its catalog price',
    model: 'claude-sonnet-4-5',
    units: u({ cacheWriteTokens: 1000n }),
    total: '0.00375',
    rules: [],
  },
  {
    // the catalog's own 1h price: 1000 × 0.00001
    name: 'Anthropic 1h cache write at its catalog price',
    model: 'claude-opus-4-6',
    units: u({ cacheWrite1hTokens: 1000n }),
    total: '0.01',
    rules: [],
  },
  {
    // 190000 + 20000 prompt tokens > 200000: band input 0.000006; 1h write 2 × 0.000006:
    // 190000 × 0.000006 + 20000 × 0.000012 = 1.14 + 0.24
    name: 'the band switches the whole request, 1h write 2 × the band input',
    model: 'claude-sonnet-4-5',
    units: u({ inputTokens: 190000n, cacheWrite1hTokens: 20000n }),
    total: '1.38',
    rules: ['band above 200000 prompt tokens', 'cache write 1h = 2 × input (anthropic rule)'],
  },
  {
    // issue #15 row 2: band 0.000004 / 0.000018, then half: 250000 × 0.000002 + 1000 × 0.000009 = 0.5 + 0.009
    name: 'batch applies on top of the band (Google 50 %)',
    model: 'gemini/gemini-3-pro-preview',
    units: u({ inputTokens: 250000n, outputTokens: 1000n, requestType: 'batch' }),
    total: '0.509',
    rules: ['band above 200000 prompt tokens', 'batch 50 % of the band (google rule)'],
  },
  {
    // below the band the catalog's batch rates; Google's cache read keeps its price:
    // 1000 × 0.000001 + 100 × 0.000006 + 1000 × 0.0000002 = 0.001 + 0.0006 + 0.0002
    name: 'batch below the band uses the catalog batch rates',
    model: 'gemini/gemini-3-pro-preview',
    units: u({ inputTokens: 1000n, outputTokens: 100n, cacheReadTokens: 1000n, requestType: 'batch' }),
    total: '0.0018',
    rules: ['batch rates'],
  },
  {
    // issue #15 row 10: no batch keys; half of 0.000001 / 0.000005 / 0.0000001:
    // 1000 × 0.0000005 + 1000 × 0.0000025 + 1000 × 0.00000005 = 0.0005 + 0.0025 + 0.00005
    name: 'Anthropic batch without batch prices is 50 %',
    model: 'claude-haiku-4-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, cacheReadTokens: 1000n, requestType: 'batch' }),
    total: '0.00305',
    rules: ['batch 50 % (anthropic rule)'],
  },
  {
    // half of 0.00000125 / 0.00001: 1000 × 0.000000625 + 1000 × 0.000005
    name: 'OpenAI batch without batch prices is 50 %',
    model: 'gpt-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, requestType: 'batch' }),
    total: '0.005625',
    rules: ['batch 50 % (openai rule)'],
  },
  {
    // 1000 × 0.00000125 + 1000 × 0.00001: the same request, not batch
    name: 'OpenAI interactive request at list price',
    model: 'gpt-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n }),
    total: '0.01125',
    rules: [],
  },
  {
    // no cache-write price and no Anthropic rule: 1000 × 0.000002 (input), named
    name: 'a Gemini cache write without a price is billed as input, and says so',
    model: 'gemini/gemini-3-pro-preview',
    units: u({ cacheWriteTokens: 1000n }),
    total: '0.002',
    rules: ['cache write at the input rate (no cache write price)'],
  },
  {
    // 250000 × 0.000006 + 1000 × 0.0000225 = 1.5 + 0.0225
    name: 'the band without batch',
    model: 'claude-sonnet-4-5',
    units: u({ inputTokens: 250000n, outputTokens: 1000n }),
    total: '1.5225',
    rules: ['band above 200000 prompt tokens'],
  },
];

describe('provider rules on real catalog entries', () => {
  it.each(cases)('$name', ({ model, units, total, rules }) => {
    const cost = priceRequest(litellmVersion(model), units);
    expect(cost.totalCost.toFixed()).toBe(new Decimal(total).toFixed());
    expect(cost.rules).toEqual(rules);
    expect(cost.batchApplied).toBe(rules.some((r) => r.startsWith('batch')));
  });
});
