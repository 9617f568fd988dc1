// A small typed client for the server's API: what a Node gateway calls before and after each model call
// (`import { CostctlClient } from 'costctl'`), and how the CLI sends its commands to a running server.
// Money arrives and leaves as decimal strings.
import type { IncomingMessage, RequestOptions } from 'node:http';

/** Usage-log v2: breakdowns (parts of the input or output tokens), per-call units, how it was served. */
export interface UsageV2Fields {
  reasoning_tokens?: number | string;
  audio_input_tokens?: number | string;
  image_input_tokens?: number | string;
  audio_output_tokens?: number | string;
  image_output_tokens?: number | string;
  images?: number | string;
  web_search_calls?: number | string;
  service_tier?: string;
  speed?: string;
  region?: string;
}

/**
 * A service_tier, speed or region the server does not know: stored as given, priced as standard. Spelled
 * out here, not imported: this file ships on its own in the package (package.json `files`).
 */
export interface ServedWarning {
  field: string;
  value: string;
  message: string;
}

export interface CheckRequestBody extends UsageV2Fields {
  user: string;
  model: string;
  request_id?: string;
  department?: string;
  organization?: string;
  project?: string;
  account?: string;
  input_tokens?: number | string;
  max_output_tokens?: number | string;
  cache_read_tokens?: number | string;
  cache_write_tokens?: number | string;
  cache_write_1h_tokens?: number | string;
  requests?: number | string;
  request_type?: string;
  at?: string;
  allow_unpriced?: boolean;
}

export interface CheckResponse {
  allowed: boolean;
  request_id: string;
  model: string;
  estimated_cost: string | null;
  reason: string | null;
  warnings: string[];
  held: Array<{ limit: string; amount: string }>;
  held_until: string | null;
  quotas: unknown[];
  budgets: unknown[];
}

export interface RecordBody extends UsageV2Fields {
  model: string;
  request_id?: string;
  timestamp?: string;
  provider?: string;
  input_tokens?: number | string;
  output_tokens?: number | string;
  cache_read_tokens?: number | string;
  cache_write_tokens?: number | string;
  cache_write_1h_tokens?: number | string;
  requests?: number | string;
  user_id?: string;
  department?: string;
  organization?: string;
  project?: string;
  account_id?: string;
  session_id?: string;
  sop_instance_id?: string;
  request_type?: string;
  reported_cost?: string;
  currency?: string;
  tags?: Record<string, unknown>;
}

export interface RecordResponse {
  stored: boolean;
  request_id: string;
  model: string;
  priced_model: string | null;
  unpriced: boolean;
  total_cost: string | null;
  unpriced_parts: string[];
  warnings: ServedWarning[];
}

/** A non-2xx answer: the status and the server's `{ error, message, field }`. */
export class CostctlApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string; field?: string },
  ) {
    super(`costctl serve answered ${status}: ${body.message ?? body.error ?? 'no message'}`);
  }
}

export class CostctlClient {
  /** `url`: the server's address, e.g. http://127.0.0.1:8787; `token`: a bearer token it accepts. */
  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly actor?: string,
  ) {}

  check(body: CheckRequestBody): Promise<CheckResponse> {
    return this.post('/api/v1/cost/check', body);
  }

  /** Durable once this resolves; a retry with the same request_id stores nothing more. */
  record(body: RecordBody): Promise<RecordResponse> {
    return this.post('/api/v1/cost/records', body);
  }

  recordMany(bodies: RecordBody[]): Promise<{ stored: number; already_recorded: number; results: RecordResponse[] }> {
    return this.post('/api/v1/cost/records', bodies);
  }

  estimate(body: Record<string, unknown> & { model: string }): Promise<Record<string, unknown>> {
    return this.post('/api/v1/cost/estimate', body);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const { status, text } = await send(new URL(`${this.url}${path}`), JSON.stringify(body), {
      'content-type': 'application/json',
      authorization: `Bearer ${this.token}`,
      ...(this.actor ? { 'x-costctl-actor': this.actor } : {}),
    });
    const parsed = text ? JSON.parse(text) : {};
    if (status < 200 || status > 299) throw new CostctlApiError(status, parsed);
    return parsed as T;
  }
}

/**
 * One POST through node:http(s), not fetch: a CLI command sent to the server is a process of its own, and
 * fetch (undici) cost it about 80 ms more, loading undici and then waiting at exit. A bare script posting
 * `quotas list` to a server took 0.17–0.20 s with fetch and 0.10–0.11 s through node:http; `costctl quotas
 * list` sent to a server went from 0.21 s to 0.12–0.16 s. The default agent keeps the connection alive for
 * a gateway's next call and does not keep a finished process waiting.
 */
async function send(
  url: URL,
  payload: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  // Imported on use: every CLI command loads this file, and only those sent to a server need either.
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
  };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
