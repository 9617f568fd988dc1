// LiteLLM's model_prices_and_context_window.json → catalog entries. LiteLLM prices are USD per single
// unit (per token, per second, per image); costctl keeps token prices per 1K tokens, exactly.
import { emptyPriceList, type BillingUnit, type PriceList } from '../../../domain/catalog-types.js';
import { JsonNumber, parseJsonExact } from '../../../domain/exact-json.js';
import { Decimal } from '../../../domain/money.js';
import type { CatalogEntry, ParsedCatalog } from './types.js';
import { variantEntries, variantMultipliers, type VariantMultipliers } from './litellm-variants.js';

// Image generation models with token prices (gemini-2.5-flash-image, gpt-image-1) bill by token: their
// per-image price is for a generated image only (a text-only reply costs its tokens, not $0.039).
const TOKEN_MODES = new Set([
  'chat',
  'completion',
  'responses',
  'embedding',
  'moderation',
  'rerank',
  'image_generation',
]);
const THOUSAND = new Decimal(1000);

type Entry = Record<string, unknown>;

function num(entry: Entry, key: string, problems: string[], name: string): Decimal | null {
  const v = entry[key];
  if (v === undefined || v === null) return null;
  if (!(v instanceof JsonNumber)) {
    problems.push(`key "${name}": ${key} must be a number, got ${JSON.stringify(v)}`);
    return null;
  }
  const d = new Decimal(v.text);
  if (d.isNegative()) {
    problems.push(`key "${name}": ${key} must not be negative (${v.text})`);
    return null;
  }
  return d;
}

function tokenPrices(e: Entry, name: string, problems: string[]): PriceList {
  const perK = (key: string) => num(e, key, problems, name)?.times(THOUSAND) ?? null;
  const p = emptyPriceList();
  p.input = perK('input_cost_per_token');
  p.output = perK('output_cost_per_token');
  p.cacheRead = perK('cache_read_input_token_cost');
  p.cacheWrite = perK('cache_creation_input_token_cost');
  p.cacheWrite1h = perK('cache_creation_input_token_cost_above_1hr');
  p.batchInput = perK('input_cost_per_token_batches');
  p.batchOutput = perK('output_cost_per_token_batches');
  p.reasoning = perK('output_cost_per_reasoning_token');
  p.audioInput = perK('input_cost_per_audio_token');
  p.audioOutput = perK('output_cost_per_audio_token');
  p.imageInput = perK('input_cost_per_image_token');
  p.imageOutput = perK('output_cost_per_image_token');
  p.perImage = num(e, 'output_cost_per_image', problems, name);
  p.webSearch = webSearchPrice(e, name, problems);
  for (const tier of ['flex', 'priority'] as const) {
    p[`${tier}Input`] = perK(`input_cost_per_token_${tier}`);
    p[`${tier}Output`] = perK(`output_cost_per_token_${tier}`);
    p[`${tier}CacheRead`] = perK(`cache_read_input_token_cost_${tier}`);
  }
  for (const threshold of ['200k', '128k']) {
    const tierIn = perK(`input_cost_per_token_above_${threshold}_tokens`);
    const tierOut = perK(`output_cost_per_token_above_${threshold}_tokens`);
    if (tierIn === null && tierOut === null) continue;
    p.tierThresholdTokens = BigInt(Number.parseInt(threshold, 10) * 1000);
    p.tierInput = tierIn;
    p.tierOutput = tierOut;
    p.tierCacheRead = perK(`cache_read_input_token_cost_above_${threshold}_tokens`);
    p.tierCacheWrite = perK(`cache_creation_input_token_cost_above_${threshold}_tokens`);
    p.tierCacheWrite1h = perK(`cache_creation_input_token_cost_above_1hr_above_${threshold}_tokens`);
    break;
  }
  return p;
}

/**
 * The price of one web search call: `search_context_cost_per_query` states one per context size; the
 * medium size is the providers' default (OpenAI's `search_context_size`; Anthropic states one price).
 */
function webSearchPrice(e: Entry, name: string, problems: string[]): Decimal | null {
  const raw = e.search_context_cost_per_query;
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof JsonNumber) {
    problems.push(`key "${name}": search_context_cost_per_query must be an object, got ${JSON.stringify(raw)}`);
    return null;
  }
  return num(raw as Entry, 'search_context_size_medium', problems, `${name}" search_context_cost_per_query "`);
}

/** Chooses how an entry is billed; undefined (with a reason) when costctl cannot price it. */
function billing(e: Entry, name: string, problems: string[]): { unit: BillingUnit; prices: PriceList } | string {
  const mode = typeof e.mode === 'string' ? e.mode : '';
  const hasTokenPrices = e.input_cost_per_token !== undefined || e.output_cost_per_token !== undefined;
  if (hasTokenPrices && (TOKEN_MODES.has(mode) || mode === '')) {
    const prices = tokenPrices(e, name, problems);
    if (prices.input === null) return 'has an output price but no input_cost_per_token';
    if (prices.output === null) prices.output = new Decimal(0);
    return { unit: 'token', prices };
  }
  const perSecond = num(e, 'input_cost_per_second', problems, name) ?? num(e, 'output_cost_per_second', problems, name);
  if (perSecond !== null) {
    const prices = emptyPriceList();
    prices.input = perSecond;
    return { unit: 'second', prices };
  }
  const perRequest =
    num(e, 'input_cost_per_request', problems, name) ??
    num(e, 'input_cost_per_query', problems, name) ??
    num(e, 'output_cost_per_image', problems, name);
  if (perRequest !== null) {
    const prices = emptyPriceList();
    prices.input = perRequest;
    return { unit: 'request', prices };
  }
  if (hasTokenPrices) {
    const prices = tokenPrices(e, name, problems);
    if (prices.input === null) return 'has an output price but no input_cost_per_token';
    if (prices.output === null) prices.output = new Decimal(0);
    return { unit: 'token', prices };
  }
  return `mode "${mode || 'none'}" has no per-token, per-second or per-request price`;
}

export function parseLiteLLMCatalog(text: string): ParsedCatalog {
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (e) {
    return { entries: [], skipped: [], errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return {
      entries: [],
      skipped: [],
      errors: ['expected a JSON object keyed by model name (LiteLLM model_prices_and_context_window.json)'],
    };
  }
  const entries: CatalogEntry[] = [];
  const skipped: ParsedCatalog['skipped'] = [];
  const errors: string[] = [];
  const parsed: ParsedCatalog = { entries, skipped, errors };
  const withVariants: [CatalogEntry, VariantMultipliers][] = [];
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (name === 'sample_spec') continue; // LiteLLM's documentation entry, not a model
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push(`key "${name}": expected an object of prices`);
      continue;
    }
    const e = value as Entry;
    const provider = typeof e.litellm_provider === 'string' ? e.litellm_provider : undefined;
    if (!provider) {
      skipped.push({ name, reason: 'no litellm_provider' });
      continue;
    }
    const problems: string[] = [];
    const multipliers = variantMultipliers(e.provider_specific_entry, name, problems, parsed);
    const chosen = billing(e, name, problems);
    if (problems.length) {
      errors.push(...problems);
      continue;
    }
    if (typeof chosen === 'string') {
      skipped.push({ name, reason: chosen });
      continue;
    }
    const entry: CatalogEntry = {
      place: `key "${name}"`,
      model: {
        name,
        provider,
        modelType: typeof e.mode === 'string' ? e.mode : 'chat',
        costType: 'ai_api',
        currency: 'USD',
        aliases: [],
        source: 'litellm',
        deprecationDate: deprecationDateOf(e.deprecation_date),
      },
      price: {
        billingUnit: chosen.unit,
        unitSize: new Decimal(chosen.unit === 'token' ? 1000 : 1),
        prices: chosen.prices,
        source: 'litellm',
      },
    };
    entries.push(entry);
    if (multipliers.fast || multipliers.us) withVariants.push([entry, multipliers]);
  }
  // The variants the multipliers state, after every key is known: a key the catalog states itself wins.
  const taken = new Set(Object.keys(root as Record<string, unknown>));
  for (const [entry, m] of withVariants) entries.push(...variantEntries(entry, m, taken));
  return parsed;
}

/** LiteLLM's `deprecation_date` when it is a real day (YYYY-MM-DD); anything else is not stated. */
function deprecationDateOf(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const day = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value ? null : value;
}
