// Langfuse's default-model-prices.json → catalog entries. Prices are USD per token under free-form usage
// keys, in pricing tiers: the default tier becomes the price; a tier whose one condition is "prompt tokens
// above N" becomes the long-context tier; tiers on other conditions (service tier, speed) are counted as
// what today's price fields cannot hold.
import { emptyPriceList, type PriceField, type PriceList } from '../../../domain/catalog-types.js';
import { JsonNumber, parseJsonExact } from '../../../domain/exact-json.js';
import { Decimal } from '../../../domain/money.js';
import { safeRegExp } from './genai-prices.js';
import { countUnrepresentable, type CatalogEntry, type ParsedCatalog } from './types.js';

const THOUSAND = new Decimal(1000);

/** Usage keys for each price field, in the order Langfuse's own entries prefer them. */
const KEYS: [PriceField, string[]][] = [
  ['input', ['input', 'input_tokens', 'input_text']],
  ['output', ['output', 'output_tokens', 'output_text']],
  ['cacheRead', ['input_cache_read', 'cache_read_input_tokens', 'input_cached_tokens']],
  [
    'cacheWrite',
    ['input_cache_creation_5m', 'input_cache_creation', 'cache_creation_input_tokens', 'cache_write_tokens'],
  ],
  ['cacheWrite1h', ['input_cache_creation_1h']],
];
const TIER_FIELD: Partial<Record<PriceField, PriceField>> = {
  input: 'tierInput',
  output: 'tierOutput',
  cacheRead: 'tierCacheRead',
  cacheWrite: 'tierCacheWrite',
  cacheWrite1h: 'tierCacheWrite1h',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

function perThousand(prices: Obj, keys: string[], place: string, errors: string[]): Decimal | null {
  for (const key of keys) {
    const v = prices[key];
    if (v === undefined || v === null) continue;
    if (!(v instanceof JsonNumber) || new Decimal(v.text).isNegative()) {
      const shown = v instanceof JsonNumber ? v.text : JSON.stringify(v);
      errors.push(`${place}: price "${key}" must be a non-negative number, got ${shown}`);
      return null;
    }
    return new Decimal(v.text).times(THOUSAND);
  }
  return null;
}

/** The prompt-size threshold of a long-context tier (`usageDetailPattern … gt N`), or undefined. */
function longContextThreshold(tier: Obj): bigint | undefined {
  const conditions = Array.isArray(tier.conditions) ? tier.conditions : [];
  if (conditions.length !== 1 || !isObj(conditions[0])) return undefined;
  const c = conditions[0];
  if (typeof c.usageDetailPattern !== 'string' || c.operator !== 'gt' || !(c.value instanceof JsonNumber))
    return undefined;
  if (!/input|prompt/.test(c.usageDetailPattern)) return undefined;
  return /^\d+$/.test(c.value.text) ? BigInt(c.value.text) : undefined;
}

function providerOf(name: string, tokenizer: unknown): string {
  if (tokenizer === 'claude' || name.startsWith('claude')) return 'anthropic';
  if (/gemini|^text(embedding)?-?(bison|gecko)|^code(chat)?-|^chat-bison/.test(name)) return 'google';
  return 'openai';
}

export function parseLangfuseCatalog(text: string): ParsedCatalog {
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (e) {
    return { entries: [], skipped: [], errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (!Array.isArray(root) || !root.every((m) => isObj(m) && typeof m.modelName === 'string')) {
    return {
      entries: [],
      skipped: [],
      errors: ['expected a JSON list of models with modelName and pricingTiers (Langfuse default-model-prices.json)'],
    };
  }
  const parsed: ParsedCatalog = { entries: [], skipped: [], errors: [] };
  const names = new Set<string>();
  for (const [i, model] of (root as Obj[]).entries()) {
    const name = model.modelName as string;
    const place = `model ${i + 1} "${name}"`;
    const tiers = Array.isArray(model.pricingTiers) ? model.pricingTiers.filter(isObj) : [];
    const standard = tiers.find((t) => t.isDefault === true);
    if (!standard || !isObj(standard.prices)) {
      parsed.skipped.push({ name, reason: 'no default pricing tier' });
      continue;
    }
    if (names.has(name)) {
      parsed.skipped.push({ name, reason: 'listed twice' });
      continue;
    }
    const prices: PriceList = emptyPriceList();
    for (const [field, keys] of KEYS) prices[field] = perThousand(standard.prices, keys, place, parsed.errors);
    for (const tier of tiers) {
      if (tier === standard) continue;
      const threshold = longContextThreshold(tier);
      if (threshold === undefined || prices.tierThresholdTokens !== null || !isObj(tier.prices)) {
        countUnrepresentable(parsed, `conditional tier "${String(tier.name)}"`);
        continue;
      }
      prices.tierThresholdTokens = threshold;
      for (const [field, keys] of KEYS) {
        prices[TIER_FIELD[field]!] = perThousand(tier.prices, keys, place, parsed.errors);
      }
    }
    if (prices.input === null) {
      parsed.skipped.push({ name, reason: 'no input price in the default tier' });
      continue;
    }
    if (prices.output === null) prices.output = new Decimal(0);
    names.add(name);
    const entry: CatalogEntry = {
      place,
      model: {
        name,
        provider: providerOf(name, model.tokenizerId),
        modelType: 'chat',
        costType: 'ai_api',
        currency: 'USD',
        aliases: [],
        source: 'langfuse',
      },
      price: { billingUnit: 'token', unitSize: THOUSAND, prices, source: 'langfuse' },
      matches: matchPattern(model.matchPattern),
      firstParty: true,
    };
    parsed.entries.push(entry);
  }
  return parsed;
}

/** Langfuse writes Go/Postgres-style `(?i)^…$`; JavaScript takes the case flag separately. */
function matchPattern(pattern: unknown): (name: string) => boolean {
  if (typeof pattern !== 'string') return () => false;
  const insensitive = pattern.startsWith('(?i)');
  const re = safeRegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'i' : '');
  return (name) => re?.test(name) ?? false;
}
