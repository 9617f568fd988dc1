// Pydantic's genai-prices data.json → catalog entries. Prices there are USD per million tokens (a number,
// or `{base, tiers: [{start, price}]}` for a long-context tier); costctl keeps token prices per 1K tokens,
// exactly. A model's `prices` may be a list of conditional prices: one with a `start_date` becomes a dated
// price version; time-of-day prices cannot be held by today's price fields and are counted, not applied.
import { emptyPriceList, type PriceField, type PriceList } from '../../../domain/catalog-types.js';
import { JsonNumber, parseJsonExact } from '../../../domain/exact-json.js';
import { Decimal } from '../../../domain/money.js';
import { isCalendarDay } from '../../../domain/calendar-day.js';
import { countUnrepresentable, type CatalogEntry, type DatedPrice, type ParsedCatalog } from './types.js';

/** Per million tokens → per thousand tokens. */
const MTOK_TO_KTOK = new Decimal(1000);

/** genai-prices keys costctl's price fields hold, with the tier field a `{base, tiers}` value fills. */
const FIELDS: Record<string, { base: PriceField; tier: PriceField | null; perThousandRequests?: boolean }> = {
  input_mtok: { base: 'input', tier: 'tierInput' },
  output_mtok: { base: 'output', tier: 'tierOutput' },
  cache_read_mtok: { base: 'cacheRead', tier: 'tierCacheRead' },
  cache_write_mtok: { base: 'cacheWrite', tier: 'tierCacheWrite' },
  cache_write_1h_mtok: { base: 'cacheWrite1h', tier: 'tierCacheWrite1h' },
  input_audio_mtok: { base: 'audioInput', tier: null },
  output_audio_mtok: { base: 'audioOutput', tier: null },
  // USD per 1,000 requests; a token price's base is per unit_size (1,000) requests, so it is the same number.
  requests_kcount: { base: 'base', tier: null, perThousandRequests: true },
};

/**
 * Models of these providers keep their plain id (as LiteLLM and the providers' own APIs name them);
 * every other provider's models are named `provider/id` so a reseller's price never replaces the maker's.
 */
const PLAIN_PROVIDERS = new Set(['anthropic', 'openai', 'google', 'deepseek', 'mistral', 'x-ai', 'cohere']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

interface Problems {
  errors: string[];
  place: string;
}

function amount(v: unknown, key: string, p: Problems): Decimal | null {
  if (!(v instanceof JsonNumber)) {
    p.errors.push(`${p.place}: ${key} must be a number, got ${JSON.stringify(v)}`);
    return null;
  }
  const d = new Decimal(v.text);
  if (d.isNegative()) {
    p.errors.push(`${p.place}: ${key} must not be negative (${v.text})`);
    return null;
  }
  return d;
}

/** One set of prices (`{input_mtok: …}`) → a price list; features it cannot hold are returned by name. */
function priceList(raw: Obj, p: Problems): { prices: PriceList; unheld: string[] } {
  const prices = emptyPriceList();
  const unheld: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const field = FIELDS[key];
    if (!field) {
      unheld.push(`${key} prices`);
      continue;
    }
    const scale = (d: Decimal | null) => (d === null || field.perThousandRequests ? d : d.div(MTOK_TO_KTOK));
    if (!isObj(value)) {
      prices[field.base] = scale(amount(value, key, p));
      continue;
    }
    prices[field.base] = scale(amount(value.base, `${key}.base`, p));
    const tiers = Array.isArray(value.tiers) ? value.tiers : [];
    if (tiers.length !== 1 || !isObj(tiers[0]) || field.tier === null) {
      unheld.push('more than one long-context tier');
      continue;
    }
    const start = amount(tiers[0].start, `${key}.tiers[0].start`, p);
    const tierPrice = scale(amount(tiers[0].price, `${key}.tiers[0].price`, p));
    if (start === null || !start.isInteger()) continue;
    const threshold = BigInt(start.toFixed());
    if (prices.tierThresholdTokens !== null && prices.tierThresholdTokens !== threshold) {
      unheld.push('tiers with different thresholds per component');
      continue;
    }
    prices.tierThresholdTokens = threshold;
    prices[field.tier] = tierPrice;
  }
  return { prices, unheld };
}

/** Hours from start_time to end_time (`00:30:00Z` → `16:30:00Z` is 16), across midnight if need be. */
function hoursCovered(constraint: Obj): number {
  const hours = (t: unknown) => {
    const m = typeof t === 'string' ? /^(\d{2}):(\d{2})/.exec(t) : null;
    return m ? Number(m[1]) + Number(m[2]) / 60 : Number.NaN;
  };
  const span = hours(constraint.end_time) - hours(constraint.start_time);
  return Number.isNaN(span) ? 0 : (span + 24) % 24;
}

/** A model's prices: the unconditional list, plus dated lists from their `start_date`. */
function modelPrices(
  raw: unknown,
  p: Problems,
  parsed: ParsedCatalog,
): { base: PriceList; dated: DatedPrice[] } | null {
  const options = Array.isArray(raw) ? raw : [{ prices: raw }];
  let base: PriceList | null = null;
  let mostOfTheDay: PriceList | null = null;
  const dated: DatedPrice[] = [];
  const unheld = new Set<string>();
  for (const option of options) {
    if (!isObj(option) || !isObj(option.prices)) {
      p.errors.push(`${p.place}: each price must be an object of prices`);
      return null;
    }
    const list = priceList(option.prices, p);
    for (const u of list.unheld) unheld.add(u);
    const constraint = isObj(option.constraint) ? option.constraint : undefined;
    if (!constraint) base = list.prices;
    else if (typeof constraint.start_date === 'string' && Object.keys(constraint).length === 1) {
      if (!isCalendarDay(constraint.start_date)) {
        p.errors.push(`${p.place}: start_date "${constraint.start_date}" must be a date YYYY-MM-DD`);
        return null;
      }
      dated.push({ from: new Date(`${constraint.start_date}T00:00:00Z`), prices: list.prices });
    } else if ('start_time' in constraint || 'end_time' in constraint) {
      // One price per model: the one in force most of the day (DeepSeek's standard price runs 16 of 24
      // hours; the base is its night discount), so the hours it does not cover are overcharged, never under.
      unheld.add('time-of-day prices');
      if (hoursCovered(constraint) > 12) mostOfTheDay = list.prices;
    } else {
      unheld.add(`price constraint ${Object.keys(constraint).join('+')}`);
    }
  }
  for (const u of unheld) countUnrepresentable(parsed, u);
  if (mostOfTheDay) base = mostOfTheDay;
  if (!base) {
    p.errors.push(`${p.place}: no price without a constraint`);
    return null;
  }
  dated.sort((a, b) => a.from.getTime() - b.from.getTime());
  return { base, dated };
}

export function parseGenaiPricesCatalog(text: string): ParsedCatalog {
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (e) {
    return { entries: [], skipped: [], errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (!Array.isArray(root) || !root.every((x) => isObj(x) && typeof x.id === 'string' && Array.isArray(x.models))) {
    return {
      entries: [],
      skipped: [],
      errors: ['expected a JSON list of providers, each with an id and models (genai-prices data.json)'],
    };
  }
  const parsed: ParsedCatalog = { entries: [], skipped: [], errors: [] };
  const names = new Set<string>();
  for (const provider of root as { id: string; models: unknown[] }[]) {
    for (const [i, model] of provider.models.entries()) {
      const place = `provider "${provider.id}" model ${i + 1}`;
      if (!isObj(model) || typeof model.id !== 'string' || model.id === '') {
        parsed.errors.push(`${place}: expected an object with an id`);
        continue;
      }
      const p = { errors: parsed.errors, place: `${place} "${model.id}"` };
      let name = PLAIN_PROVIDERS.has(provider.id) ? model.id : `${provider.id}/${model.id}`;
      // The same id under a second plain provider (Claude on Google's Vertex) is that provider's price.
      if (names.has(name)) name = `${provider.id}/${model.id}`;
      if (names.has(name)) {
        parsed.skipped.push({ name, reason: 'listed twice' });
        continue;
      }
      const prices = modelPrices(model.prices, p, parsed);
      if (!prices) continue;
      if (prices.base.input === null) {
        parsed.skipped.push({ name, reason: 'no input_mtok price' });
        continue;
      }
      names.add(name);
      const entry: CatalogEntry = {
        place: p.place,
        model: {
          name,
          provider: provider.id,
          modelType: 'chat',
          costType: 'ai_api',
          currency: 'USD',
          aliases: [],
          source: 'genai-prices',
        },
        price: {
          billingUnit: 'token',
          unitSize: new Decimal(1000),
          prices: withOutput(prices.base),
          source: 'genai-prices',
        },
      };
      entry.matches = matchRule(model.match);
      entry.firstParty = PLAIN_PROVIDERS.has(provider.id);
      if (prices.dated.length) entry.dated = prices.dated.map((d) => ({ ...d, prices: withOutput(d.prices) }));
      parsed.entries.push(entry);
    }
  }
  return parsed;
}

/** An input-only price (embeddings) charges nothing for output, as LiteLLM's import does. */
function withOutput(prices: PriceList): PriceList {
  return prices.output === null ? { ...prices, output: new Decimal(0) } : prices;
}

/** genai-prices' match rule (`equals`, `starts_with`, `ends_with`, `contains`, `regex`, `or`, `and`) as a test. */
function matchRule(rule: unknown): (name: string) => boolean {
  if (!isObj(rule)) return () => false;
  const [kind, arg] = Object.entries(rule)[0] ?? [];
  if ((kind === 'or' || kind === 'and') && Array.isArray(arg)) {
    const parts = arg.map(matchRule);
    return kind === 'or' ? (n) => parts.some((m) => m(n)) : (n) => parts.every((m) => m(n));
  }
  if (typeof arg !== 'string') return () => false;
  switch (kind) {
    case 'equals':
      return (n) => n === arg;
    case 'starts_with':
      return (n) => n.startsWith(arg);
    case 'ends_with':
      return (n) => n.endsWith(arg);
    case 'contains':
      return (n) => n.includes(arg);
    case 'regex': {
      const re = safeRegExp(arg, '');
      return (n) => re?.test(n) ?? false;
    }
    default:
      return () => false;
  }
}

export function safeRegExp(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}
