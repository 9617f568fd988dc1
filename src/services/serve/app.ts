// The HTTP face of `costctl serve` (fastify): bearer auth on every route but /health, request schemas with no
// type coercion and no unknown fields, body limits, one error shape, the OpenAPI document. Routes call
// the same services the commands call.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { toJsonValue } from '../../domain/exact-json.js';
import { schemaMessage, statusOf } from './http-errors.js';
import { costRoutes } from './routes-cost.js';
import { readRoutes } from './routes-read.js';
import { opsRoutes } from './routes-ops.js';
import { modelRoutes } from './routes-models.js';
import { quotaRoutes } from './routes-quotas.js';
import { analyticsRoutes } from './routes-analytics.js';
import { exportRoutes } from './routes-export.js';
import { optimizeRoutes } from './routes-optimize.js';
import { withTurn, type ServeState } from './state.js';
import { maskSalt } from '../../db/export.js';
import { maskIds } from './masking.js';
import { roleAllows, rolesFor } from './roles.js';
import type { Caller } from './tokens.js';

/** A gateway's batch of records fits well under this; a 10 MB body is refused with 413. */
export const BODY_LIMIT = 4 * 1024 * 1024;

const digest = (t: string) => createHash('sha256').update(t).digest();

/** The server's own token (its token file) is `admin`; any other is looked up among the role tokens. */
async function callerOf(state: ServeState, header: string | undefined, expected: Buffer): Promise<Caller | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) return undefined;
  if (timingSafeEqual(digest(token), expected)) return { name: 'admin', role: 'admin', unmasked: true };
  if (state.tokens.stale(state.db)) await withTurn(state, (db) => state.tokens.refresh(db));
  return state.tokens.lookup(token);
}

export async function buildApp(state: ServeState): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    // A wrong type is an error, not something to coerce; an unknown field is an error, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });
  const { default: swagger } = await import('@fastify/swagger');
  await app.register(swagger, {
    openapi: {
      info: { title: 'costctl serve', version: '1', description: 'LLM cost control: check, record, report' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  // JSON only: a text body would otherwise reach the schema as a string and get a confusing answer.
  app.removeContentTypeParser('text/plain');

  const expected = digest(state.token);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/api/v1/health') return;
    const caller = await callerOf(state, req.headers.authorization, expected);
    if (!caller) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({
        error: 'unauthorized',
        message:
          'a valid bearer token is required (Authorization: Bearer TOKEN; see --token-file and `costctl serve token add`)',
      });
    }
    const path = req.url.split('?')[0]!;
    if (!roleAllows(caller.role, req.method, path))
      return reply.code(403).send({
        error: 'forbidden',
        message: `token "${caller.name}" (${caller.role}) may not ${req.method} ${path}; that needs a ${rolesFor(req.method, path).join(' or ')} token`,
      });
    (req as { caller?: Caller }).caller = caller;
  });

  // A viewer made without --unmasked reads user and account ids as the export's pseudonyms.
  let salt: string | undefined;
  app.addHook('preSerialization', async (req, _reply, payload) => {
    const caller = (req as { caller?: Caller }).caller;
    if (caller?.role !== 'viewer' || caller.unmasked) return payload;
    salt ??= await withTurn(state, (db) => db.transaction(() => maskSalt(db)));
    return maskIds(payload, salt);
  });

  // Decimal, bigint and Date leave as exact strings, as in the CLI's --json.
  app.setReplySerializer((payload) => JSON.stringify(toJsonValue(payload)));

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error.validation) {
      const root = (req as { recordsRoot?: string }).recordsRoot ?? '';
      return reply.code(400).send(schemaMessage(error.validation as never, root));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({
        error: 'too_large',
        message: `the body is over ${BODY_LIMIT} bytes; send records in smaller batches`,
      });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ error: 'unsupported_media_type', message: 'send Content-Type: application/json' });
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return reply.code(400).send({ error: 'bad_json', field: 'body', message: `body is not JSON: ${error.message}` });
    if (error.statusCode && error.statusCode < 500)
      return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message });
    const { status, body } = statusOf(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );

  app.get('/api/v1/health', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(costRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(readRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(modelRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(quotaRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(analyticsRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(exportRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(optimizeRoutes(state), { prefix: '/api/v1/cost' });
  await app.register(opsRoutes(state), { prefix: '/api/v1' });
  return app;
}
