// Request bodies of the cost API, as JSON Schema: fastify validates every request against them (no type
// coercion, no unknown fields) and the OpenAPI document publishes them. Field names are the native
// usage-log fields, as the CLI's --json prints them. Money is a decimal string, never a JSON number
// (a number would pass through a binary float); token counts are integers or digit strings.
import { COST_TYPES } from '../../domain/catalog-types.js';

const count = {
  description: 'a non-negative whole number (digits in a string, up to 18, for counts beyond 2^53)',
  anyOf: [
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^[0-9]{1,18}$' },
  ],
} as const;
const decimalText = {
  type: 'string',
  pattern: '^[0-9]{1,20}(\\.[0-9]{1,18})?$',
  description: 'a non-negative decimal as a string, e.g. "0.0125"',
} as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
/**
 * Usage-log v2: breakdowns of the input and output tokens (parts of them, never on top), per-call units,
 * and how the request was served, as `record`, `check` and `estimate` take them as flags.
 */
const components = {
  reasoning_tokens: { ...count, description: 'of the output tokens, reasoning tokens' },
  audio_input_tokens: { ...count, description: 'of the input tokens, audio tokens' },
  image_input_tokens: { ...count, description: 'of the input tokens, image tokens' },
  audio_output_tokens: { ...count, description: 'of the output tokens, audio tokens' },
  image_output_tokens: { ...count, description: 'of the output tokens, image tokens' },
  images: { ...count, description: 'images generated (models priced per image)' },
  web_search_calls: { ...count, description: 'server-side web searches billed per call' },
} as const;
const served = {
  service_tier: {
    ...name,
    description: 'standard, batch, flex, priority, … (another value: priced at standard, warned)',
  },
  speed: { ...name, description: 'standard or fast (another value: priced at standard, warned)' },
  region: { ...name, description: 'us, eu, global, … (another value: priced at standard, warned)' },
} as const;
const instant = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  description: 'ISO 8601 (2026-03-02T09:15:03Z) or epoch seconds',
} as const;

export const checkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'model'],
  properties: {
    request_id: { ...name, description: 'the id the record will carry; what the check holds ends when it arrives' },
    user: name,
    model: name,
    department: name,
    organization: name,
    project: name,
    account: name,
    input_tokens: count,
    max_output_tokens: count,
    cache_read_tokens: count,
    cache_write_tokens: count,
    cache_write_1h_tokens: count,
    ...components,
    requests: count,
    ...served,
    request_type: name,
    at: instant,
    allow_unpriced: { type: 'boolean' },
  },
} as const;

export const estimateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: name,
    input_tokens: count,
    output_tokens: count,
    cache_read_tokens: count,
    cache_write_tokens: count,
    cache_write_1h_tokens: count,
    ...components,
    requests: count,
    duration_seconds: decimalText,
    bytes: count,
    ...served,
    request_type: name,
    at: instant,
  },
} as const;

export const recordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    request_id: { ...name, description: 'unique at the source; a repeat is not stored twice (retries are safe)' },
    timestamp: instant,
    model: name,
    provider: name,
    input_tokens: count,
    output_tokens: count,
    cache_read_tokens: count,
    cache_write_tokens: count,
    cache_write_1h_tokens: count,
    requests: count,
    duration_seconds: decimalText,
    bytes: count,
    ...components,
    ...served,
    cost_type: { type: 'string', enum: [...COST_TYPES] },
    user_id: name,
    department: name,
    organization: name,
    project: name,
    account_id: name,
    session_id: name,
    sop_instance_id: name,
    request_type: name,
    reported_cost: decimalText,
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'a 3-letter code such as USD' },
    tags: { type: 'object', description: 'labels, a JSON object' },
  },
} as const;

/** Many records in one request (one object is also accepted, and answered as one). */
export const MAX_RECORDS_PER_REQUEST = 5000;
export const recordsBody = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_RECORDS_PER_REQUEST,
  items: recordBody,
} as const;

export const cliBody = {
  type: 'object',
  additionalProperties: false,
  required: ['argv', 'cwd', 'env'],
  properties: {
    argv: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
    cwd: { type: 'string', minLength: 1 },
    env: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;
