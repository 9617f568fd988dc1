// Bad requests to a real server get the right status and a message naming the field, and store nothing.
import { describe, expect, it } from 'vitest';
import { startServe, seedDollarModel } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };

describe('serve: bad requests', () => {
  it('wrong types, missing fields, unknown fields, bad JSON, big bodies, tokens: right status, nothing stored', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const s = await startServe(db, env);
    try {
      const post = (path: string, body: unknown, opts = {}) => s.api('POST', `/api/v1/cost/${path}`, body, opts);
      const cases: Array<
        [
          string,
          Promise<{ status: number; body: { field?: string; message: string } }>,
          number,
          string | undefined,
          RegExp,
        ]
      > = [
        ['missing model', post('records', { input_tokens: 1 }), 400, 'model', /model is required/],
        [
          'tokens as text',
          post('records', { model: 'm-dollar', input_tokens: 'ten' }),
          400,
          'input_tokens',
          /whole number/,
        ],
        [
          'negative tokens',
          post('records', { model: 'm-dollar', output_tokens: -1 }),
          400,
          'output_tokens',
          /whole number/,
        ],
        [
          'fractional tokens',
          post('records', { model: 'm-dollar', input_tokens: 1.5 }),
          400,
          'input_tokens',
          /whole number/,
        ],
        [
          'money as a number',
          post('records', { model: 'm-dollar', reported_cost: 0.1 }),
          400,
          'reported_cost',
          /decimal written as a string/,
        ],
        [
          'bad currency',
          post('records', { model: 'm-dollar', currency: 'usd' }),
          400,
          'currency',
          /3-letter code such as USD/,
        ],
        [
          'bad cost type',
          post('records', { model: 'm-dollar', cost_type: 'x' }),
          400,
          'cost_type',
          /one of ai_api, storage, bandwidth/,
        ],
        ['unknown field', post('records', { model: 'm-dollar', modle: 'x' }), 400, 'modle', /not a known field/],
        [
          'bad timestamp',
          post('records', { model: 'm-dollar', timestamp: 'yesterday' }),
          400,
          'timestamp',
          /not a timestamp/,
        ],
        [
          'bad record in a batch',
          post('records', [{ model: 'm-dollar' }, { model: 'm-dollar', requests: '1e3' }]),
          400,
          'records[1].requests',
          /whole number/,
        ],
        ['empty batch', post('records', []), 400, 'records', /fewer than 1/],
        ['check without user', post('check', { model: 'm-dollar' }), 400, 'user', /user is required/],
        [
          'check with a bool as tokens',
          post('check', { user: 'u', model: 'm-dollar', input_tokens: true }),
          400,
          'input_tokens',
          /whole number/,
        ],
        [
          'unknown model to estimate',
          post('estimate', { model: 'no-such-model' }),
          404,
          'model',
          /not in the price catalog/,
        ],
        ['not JSON', post('records', undefined, { raw: '{"model":' }), 400, 'body', /not JSON/],
        [
          'not JSON at all (text)',
          post('records', undefined, { raw: 'model=x', contentType: 'text/plain' }),
          415,
          undefined,
          /application\/json/,
        ],
        [
          '10 MB body',
          post('records', undefined, { raw: `[${'{"model":"m-dollar"},'.repeat(500_000)}{"model":"m-dollar"}]` }),
          413,
          undefined,
          /smaller batches/,
        ],
        [
          'no token',
          post('records', { model: 'm-dollar' }, { token: null }),
          401,
          undefined,
          /bearer token is required/,
        ],
        [
          'wrong token',
          post('records', { model: 'm-dollar' }, { token: 'not-the-token-at-all' }),
          401,
          undefined,
          /bearer token/,
        ],
        [
          'no such route',
          post('recrods', { model: 'm-dollar' }),
          404,
          undefined,
          /no route POST \/api\/v1\/cost\/recrods/,
        ],
      ];
      for (const [name, answer, status, field, message] of cases) {
        const r = await answer;
        expect([name, r.status]).toEqual([name, status]);
        expect([name, r.body.field]).toEqual([name, field]);
        expect(r.body.message, name).toMatch(message);
      }
      const list = await s.api('GET', '/api/v1/cost/records');
      expect(list.body.matching).toBe(0);
      const wrongQuery = await s.api('GET', '/api/v1/cost/records?limit=0');
      expect(wrongQuery.status).toBe(400);
      expect(wrongQuery.body.field).toBe('limit');
      const health = await s.api('GET', '/api/v1/health', undefined, { token: null });
      expect(health).toEqual({ status: 200, body: { ok: true } });
      const openapi = await s.api('GET', '/api/v1/openapi.json');
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/cost/check',
          '/api/v1/cost/records',
          '/api/v1/cost/estimate',
          '/api/v1/cost/stream',
        ]),
      );
      expect(
        openapi.body.paths['/api/v1/cost/check'].post.requestBody.content['application/json'].schema.required,
      ).toEqual(['user', 'model']);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }, 180_000);

  it('refuses a non-loopback --listen without a --token-file', async () => {
    const db = tempDbPath();
    await expect(startServe(db, env, ['--listen', '0.0.0.0:0'])).rejects.toThrow(
      /not a loopback address; give --token-file/,
    );
  }, 60_000);
});
