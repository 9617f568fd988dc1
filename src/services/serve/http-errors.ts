// How the server answers what went wrong: one JSON shape, `{ error, message, field? }`, with the status
// the problem deserves. Schema errors name the field as a path into the body (`records[3].input_tokens`).
import { BusyError, CostctlError, DeniedError, UsageError } from '../../errors.js';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `/3/input_tokens` → `records[3].input_tokens` (or `input_tokens` for a single object). */
export function fieldOf(e: AjvError, root: string): string {
  const parts = e.instancePath.split('/').slice(1);
  // One record is sent as an object and validated as a batch of one: name its field alone.
  if (root === '' && parts[0] === '0') parts.shift();
  if (e.keyword === 'required') parts.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String(e.params.additionalProperty));
  let out = root;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || 'body';
}

/** The clearest sentence for the first schema error (anyOf reports each branch; say what is allowed). */
export function schemaMessage(errors: AjvError[], root: string): ErrorBody {
  const anyOf = errors.find((e) => e.keyword === 'anyOf');
  const e = anyOf ?? errors[0]!;
  const field = fieldOf(e, root);
  let why: string;
  if (e.keyword === 'required') why = 'is required';
  else if (e.keyword === 'additionalProperties') why = 'is not a known field (see /api/v1/openapi.json)';
  else if (anyOf) why = 'must be a non-negative whole number (or its digits as a string)';
  else if (
    /(cost|duration_seconds|_price|limit|_threshold|unit_size)$/.test(field) &&
    ['pattern', 'type'].includes(e.keyword)
  )
    why = 'must be a non-negative decimal written as a string, e.g. "0.0125" (a JSON number would lose digits)';
  else if (/currency$/.test(field)) why = 'must be a 3-letter code such as USD';
  else if (e.keyword === 'enum') why = `must be one of ${(e.params.allowedValues as string[]).join(', ')}`;
  else why = e.message ?? 'is not valid';
  return { error: 'bad_request', field, message: `${field} ${why}` };
}

/** A service's typed error as an HTTP answer. */
export function statusOf(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof RequestError)
    return { status: e.status, body: { error: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
  if (e instanceof UsageError) return { status: 400, body: { error: 'bad_request', message: e.message } };
  if (e instanceof DeniedError) return { status: 403, body: { error: 'denied', message: e.message } };
  if (e instanceof BusyError) return { status: 503, body: { error: 'busy', message: e.message } };
  if (e instanceof CostctlError) return { status: 409, body: { error: 'conflict', message: e.message } };
  return { status: 500, body: { error: 'internal', message: (e as Error)?.message ?? String(e) } };
}
