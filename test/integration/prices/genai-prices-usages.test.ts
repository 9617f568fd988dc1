// Real provider usage objects (pydantic-ai's recorded responses) priced by costctl's priceRequest with
// genai-prices' own catalog entries (fixtures/pricing/genai-prices-data.json, the same commit, each name
// found by genai-prices' own match rule, as `models diff` finds it), against the prices genai-prices
// recorded for them (fixtures/samples/genai-prices-usages/priced-subset.json: every first-party-priced
// object with cache, reasoning, audio or search counts, and every 4th plain one). Reports matches and
// mismatches by cause; every difference must have a named cause, and plain text rows must match.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { atStoredScale, priceRequest, ratesFromPrices, requestUnits } from '../../../src/domain/pricing.js';
import { entryFor, pricesAt } from '../../../src/services/prices/diff.js';
import { parsedOrThrow } from '../../../src/services/prices/import/apply.js';
import { ROOT } from '../../helpers/cli.js';

const GENAI = join(ROOT, 'fixtures', 'pricing', 'genai-prices-data.json');
const SUBSET = join(ROOT, 'fixtures', 'samples', 'genai-prices-usages', 'priced-subset.json');
/** genai-prices' commit date: its recorded prices are the ones in force then. */
const AT = new Date('2026-08-21T00:00:00Z');

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  cache_write_5m_tokens?: number;
  output_reasoning_tokens?: number;
  input_audio_tokens?: number;
  web_searches?: number;
}
interface Priced {
  index: number;
  model: string;
  usage: Usage;
  provider_id: string;
  input_price: string;
  output_price: string;
}

const big = (n: number | undefined) => BigInt(n ?? 0);

/** genai-prices' input_tokens include cache reads and writes; costctl's input_tokens are the uncached rest. */
function unitsOf(u: Usage) {
  const cacheRead = big(u.cache_read_tokens);
  const cacheWrite = big(u.cache_write_tokens);
  return requestUnits({
    inputTokens: big(u.input_tokens) - cacheRead - cacheWrite,
    outputTokens: big(u.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: big(u.output_reasoning_tokens),
    audioInputTokens: big(u.input_audio_tokens),
    webSearchCalls: big(u.web_searches),
  });
}

/** Why costctl's figure and genai-prices' differ, from what the usage object carries. */
function causeOf(u: Usage): string {
  if (u.input_audio_tokens) return 'audio tokens';
  if (u.web_searches) return 'web search calls';
  if (u.cache_write_tokens) return 'cache writes';
  if (u.cache_read_tokens) return 'cache reads';
  if (u.output_reasoning_tokens) return 'reasoning tokens';
  return 'text tokens';
}

describe('genai-prices recorded prices', () => {
  it('costctl prices the real usage objects as genai-prices did, every difference named', async () => {
    const rows = JSON.parse(readFileSync(SUBSET, 'utf8')) as Priced[];
    const catalog = parsedOrThrow(GENAI, 'genai-prices', readFileSync(GENAI, 'utf8'));
    const tally = new Map<string, number>();
    const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
    for (const r of rows) {
      const entry = entryFor(catalog, r.model);
      if (entry?.price.billingUnit !== 'token') {
        count(`no genai-prices entry: ${r.model}`);
        continue;
      }
      const prices = atStoredScale(pricesAt(entry, AT));
      const { billingUnit, unitSize } = entry.price;
      const cost = priceRequest(
        {
          id: 1,
          modelName: entry.model.name,
          provider: entry.model.provider,
          billingUnit,
          unitSize,
          currency: 'USD',
          effectiveFrom: new Date(0),
          prices,
          rates: ratesFromPrices(prices, unitSize, billingUnit),
        },
        unitsOf(r.usage),
      );
      const theirs = new Decimal(r.input_price).plus(r.output_price);
      // genai-prices records input and output prices only: a per-call charge (web searches, in costctl's
      // base cost) is on top of them, so the token costs are what compare.
      const tokens = cost.totalCost.minus(cost.baseCost);
      if (cost.unpricedParts.length) count(`partly unpriced (${cost.unpricedParts.join(', ')}): ${r.model}`);
      else if (!tokens.minus(theirs).abs().lte('0.000000000001'))
        count(`differs on ${causeOf(r.usage)}: ${r.model} ours ${tokens.toFixed()} theirs ${theirs.toFixed()}`);
      else if (cost.baseCost.isZero()) count('match');
      else {
        expect(cost.baseCost.toFixed()).toBe(new Decimal('0.01').times(r.usage.web_searches ?? 0).toFixed());
        count(`match, plus ${r.usage.web_searches} web search calls at $0.01 genai-prices leaves out`);
      }
    }
    const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} × ${k}`);
    console.log(`genai-prices usages (${rows.length}):\n${lines.join('\n')}`);
    expect(tally.get('match') ?? 0).toBeGreaterThan(rows.length / 2);
    // Every object genai-prices priced, costctl prices the same to 12 decimals (audio, cache, reasoning too).
    expect(lines.filter((l) => /differs|partly|no genai-prices/.test(l))).toEqual([]);
  });
});
