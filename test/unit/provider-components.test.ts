// Served tiers and priced components on real catalog entries (the bundled LiteLLM map), one case per line.
// Each expected figure is a hand computation from the entry's per-token prices, written out beside it.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { priceRequest, requestUnits, type RequestUnits } from '../../src/domain/pricing.js';
import { litellmVersion } from '../helpers/litellm-entry.js';

const u = (p: Partial<RequestUnits>) => requestUnits(p);
interface Case {
  name: string;
  model: string;
  units: RequestUnits;
  /** null: the whole request is unpriced (with `rules[0]` as the reason). */
  total: string | null;
  rules: string[];
  parts?: string[];
}

const cases: Case[] = [
  {
    // 1000 × 0.000000625 + 1000 × 0.000005 + 1000 × 0.0000000625 (the _flex keys)
    name: 'flex tier at the catalog flex rates',
    model: 'gpt-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, cacheReadTokens: 1000n, serviceTier: 'flex' }),
    total: '0.0056875',
    rules: ['service tier flex: flex prices'],
  },
  {
    // 1000 × 0.0000025 + 1000 × 0.00002 (the _priority keys)
    name: 'priority tier at the catalog priority rates',
    model: 'gpt-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, serviceTier: 'priority' }),
    total: '0.0225',
    rules: ['service tier priority: priority prices'],
  },
  {
    name: 'a tier the model has no rates for is unpriced, never standard',
    model: 'claude-sonnet-4-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, serviceTier: 'flex' }),
    total: null,
    rules: ['service tier flex: no flex price in the catalog'],
  },
  {
    // gpt-5-nano has a priority input price but no priority output price
    name: 'a tier with only some of its rates is unpriced',
    model: 'gpt-5-nano',
    units: u({ inputTokens: 1000n, serviceTier: 'priority' }),
    total: null,
    rules: ['service tier priority: no priority price in the catalog'],
  },
  {
    // gpt-4o-mini priority: 1000 × 0.00000025 + 1000 × 0.000001 + 1000 × 0.000000125
    name: 'priority cache reads at the priority cache price',
    model: 'gpt-4o-mini',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, cacheReadTokens: 1000n, serviceTier: 'Priority' }),
    total: '0.001375',
    rules: ['service tier priority: priority prices'],
  },
  {
    // half of 0.000001 / 0.000005 / 0.0000001, as request_type=batch
    name: 'service_tier batch is batch',
    model: 'claude-haiku-4-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, cacheReadTokens: 1000n, serviceTier: 'batch' }),
    total: '0.00305',
    rules: ['batch 50 % (anthropic rule)'],
  },
  {
    // 1000 × 0.00000125 + 1000 × 0.00001, and the value named
    name: 'an unknown tier is priced standard and said',
    model: 'gpt-5',
    units: u({ inputTokens: 1000n, outputTokens: 1000n, serviceTier: 'scale' }),
    total: '0.01125',
    rules: ['service tier "scale": not a priced tier, standard prices'],
  },
  {
    // text in 600 × 0.0000025 + audio in 400 × 0.00004 + text out 200 × 0.00001 + audio out 300 × 0.00008
    // = 0.0015 + 0.016 + 0.002 + 0.024 (audio at 16 × the text rate)
    name: 'audio input and output tokens at the audio rates',
    model: 'gpt-4o-audio-preview',
    units: u({ inputTokens: 1000n, audioInputTokens: 400n, outputTokens: 500n, audioOutputTokens: 300n }),
    total: '0.0435',
    rules: [],
  },
  {
    // text out 100 × 0.0000006; the 100 audio tokens have no price: partly unpriced, not text, not $0
    name: 'audio output without an audio price leaves the row partly unpriced',
    model: 'gpt-4o-mini',
    units: u({ outputTokens: 200n, audioOutputTokens: 100n }),
    total: '0.00006',
    rules: [],
    parts: ['audio output tokens'],
  },
  {
    // no reasoning rate: all 1000 output tokens at 0.00006, plus 100 × 0.000015
    name: 'reasoning tokens without their own rate are output',
    model: 'o1',
    units: u({ inputTokens: 100n, outputTokens: 1000n, reasoningTokens: 800n }),
    total: '0.0615',
    rules: [],
  },
  {
    // issue #15 row 3: 100 × 0.0000003 + 30 × 0.0000025, per token, not $0.039
    name: 'an image model answering in text is priced per token',
    model: 'gemini-2.5-flash-image',
    units: u({ inputTokens: 100n, outputTokens: 30n }),
    total: '0.000105',
    rules: [],
  },
  {
    // 100 × 0.0000003 + text 10 × 0.0000025 + image 1290 × 0.00003; the image is in its tokens, not again
    name: 'image output tokens at the image token rate',
    model: 'gemini-2.5-flash-image',
    units: u({ inputTokens: 100n, outputTokens: 1300n, imageOutputTokens: 1290n, images: 1n }),
    total: '0.038755',
    rules: [],
  },
  {
    // 100 × 0.0000003 + 2 images × 0.039 (a source that counts images, not their tokens)
    name: 'images without image tokens at the per-image price',
    model: 'gemini-2.5-flash-image',
    units: u({ inputTokens: 100n, images: 2n }),
    total: '0.07803',
    rules: [],
  },
  {
    // text 500 × 0.000005 + image in 500 × 0.00001 + image out 4000 × 0.00004
    name: 'image input and output tokens (gpt-image-1)',
    model: 'gpt-image-1',
    units: u({ inputTokens: 1000n, imageInputTokens: 500n, outputTokens: 4000n, imageOutputTokens: 4000n }),
    total: '0.1675',
    rules: [],
  },
  {
    // issue #15 row 6: 1000 × 0.000003 + 3 × $0.01 (the entry's search_context_cost_per_query)
    name: 'web searches at the catalog per-call price',
    model: 'claude-sonnet-4-5',
    units: u({ inputTokens: 1000n, webSearchCalls: 3n }),
    total: '0.033',
    rules: [],
  },
  {
    // no search price in the entry: Anthropic's $10 per 1,000 searches
    name: "web searches on a Claude entry without a price: Anthropic's rule",
    model: 'claude-haiku-4-5',
    units: u({ webSearchCalls: 2n }),
    total: '0.02',
    rules: ['web search $0.01 per call (anthropic rule)'],
  },
  {
    // 1000 × 0.00000015; the search has no price: partly unpriced
    name: 'web searches without a price leave the row partly unpriced',
    model: 'gpt-4o-mini',
    units: u({ inputTokens: 1000n, webSearchCalls: 1n }),
    total: '0.00015',
    rules: [],
    parts: ['web search calls'],
  },
];

describe('served tiers and components on real catalog entries', () => {
  it.each(cases)('$name', ({ model, units, total, rules, parts }) => {
    const cost = priceRequest(litellmVersion(model), units);
    if (total === null) {
      expect(cost.unpriced).toBe(rules[0]);
      return;
    }
    expect(cost.unpriced).toBeNull();
    expect(cost.totalCost.toFixed()).toBe(new Decimal(total).toFixed());
    expect(cost.rules).toEqual(rules);
    expect(cost.unpricedParts).toEqual(parts ?? []);
  });
});
