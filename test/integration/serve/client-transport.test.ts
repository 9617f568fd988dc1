// CostctlClient's transport (node:http and node:https) against real servers on loopback: what it sends,
// how it reads answers and refusals, a base URL with a path, HTTPS with a certificate the process trusts,
// and a server that is not there (the CLI then opens the file itself: src/cli/forward.ts).
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CostctlApiError, CostctlClient } from '../../../src/services/serve/client.js';
import { ROOT } from '../../helpers/cli.js';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (seen: Seen, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Starts `server` on a free loopback port; every request is recorded in `seen` and answered by `answer`. */
async function listen(server: Server, answer: Answer): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const s = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(s);
      answer(s, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen };
}

/** The one request the server saw. */
function only(seen: Seen[]): Seen {
  expect(seen).toHaveLength(1);
  return seen[0] as Seen;
}

/** What a call rejected with (it must reject). */
async function rejection(call: Promise<unknown>): Promise<NodeJS.ErrnoException & Partial<CostctlApiError>> {
  return call.then(
    () => expect.fail('the call resolved'),
    (e: unknown) => e as NodeJS.ErrnoException & Partial<CostctlApiError>,
  );
}

const json =
  (status: number, body: unknown): Answer =>
  (_seen, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

describe('CostctlClient transport', () => {
  it('POSTs the JSON body with its length, the bearer token and the actor, and returns the parsed answer', async () => {
    const { port, seen } = await listen(createHttpServer(), json(200, { allowed: true, estimated_cost: '0.5' }));
    const client = new CostctlClient(`http://127.0.0.1:${port}`, 's3cret', 'gateway-7');
    const body = { user: 'u1', model: 'm', note: 'naïve € text' };
    await expect(client.post('/api/v1/cost/check', body)).resolves.toEqual({ allowed: true, estimated_cost: '0.5' });
    const req = only(seen);
    expect(req).toMatchObject({ method: 'POST', url: '/api/v1/cost/check' });
    expect(JSON.parse(req.body)).toEqual(body);
    expect(req.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer s3cret',
      'x-costctl-actor': 'gateway-7',
      // bytes, not characters: ï and € are several bytes in UTF-8
      'content-length': String(Buffer.byteLength(JSON.stringify(body))),
    });
  });

  it('keeps a base URL path and sends no actor header without an actor', async () => {
    const { port, seen } = await listen(createHttpServer(), json(200, { ok: 1 }));
    await new CostctlClient(`http://127.0.0.1:${port}/costctl`, 't').post('/api/v1/cli', { argv: [] });
    const req = only(seen);
    expect(req.url).toBe('/costctl/api/v1/cli');
    expect(req.headers['x-costctl-actor']).toBeUndefined();
  });

  it('reads an empty 2xx answer as {}', async () => {
    const { port } = await listen(createHttpServer(), json(204, undefined));
    await expect(new CostctlClient(`http://127.0.0.1:${port}`, 't').post('/x', {})).resolves.toEqual({});
  });

  it("turns a refusal into CostctlApiError with the status and the server's message", async () => {
    const refusal = { error: 'bad_request', message: 'input_tokens must be ≥ 0', field: 'input_tokens' };
    const { port } = await listen(createHttpServer(), json(400, refusal));
    const err = await rejection(new CostctlClient(`http://127.0.0.1:${port}`, 't').record({ model: 'm' }));
    expect(err).toBeInstanceOf(CostctlApiError);
    expect(err.status).toBe(400);
    expect(err.body).toEqual(refusal);
    expect(err.message).toBe('costctl serve answered 400: input_tokens must be ≥ 0');
  });

  it('turns a 5xx with no body into CostctlApiError too', async () => {
    const { port } = await listen(createHttpServer(), json(503, undefined));
    const err = await rejection(new CostctlClient(`http://127.0.0.1:${port}`, 't').post('/x', {}));
    expect(err).toBeInstanceOf(CostctlApiError);
    expect(err.status).toBe(503);
  });

  it('rejects with the connection error, not an API error, when nothing listens', async () => {
    const { port } = await listen(createHttpServer(), json(200, {}));
    await new Promise((r) => servers.pop()?.close(r));
    const err = await rejection(new CostctlClient(`http://127.0.0.1:${port}`, 't').post('/x', {}));
    expect(err).not.toBeInstanceOf(CostctlApiError);
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('speaks HTTPS to an https:// URL, verifying the certificate', async () => {
    const tls = join(ROOT, 'fixtures', 'tls');
    const cert = readFileSync(join(tls, 'localhost-cert.pem'));
    const server = createHttpsServer({ key: readFileSync(join(tls, 'localhost-key.pem')), cert });
    const { port, seen } = await listen(server, json(200, { stored: true }));
    const client = new CostctlClient(`https://127.0.0.1:${port}`, 't');
    // Not trusted yet: the self-signed certificate is refused, and nothing reaches the server.
    const refused = await rejection(client.post('/api/v1/cost/records', { model: 'm' }));
    expect(refused.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(seen).toHaveLength(0);
    globalAgent.options.ca = cert;
    try {
      await expect(client.post('/api/v1/cost/records', { model: 'm' })).resolves.toEqual({ stored: true });
      expect(only(seen)).toMatchObject({ method: 'POST', url: '/api/v1/cost/records' });
    } finally {
      globalAgent.options.ca = undefined;
      globalAgent.destroy();
    }
  });
});
