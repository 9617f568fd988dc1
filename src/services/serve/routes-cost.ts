// The gateway's calls: check before a request (and hold its worst case), record after it, estimate.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { heldAnswer } from './check-hold.js';
import { estimateRequest } from '../prices/estimate.js';
import { checkBody, estimateBody, recordsBody } from './schemas.js';
import { instantOf, recordInputOf, servedWarnings, unitsOf } from './request-input.js';
import { RequestError } from './http-errors.js';
import { actorOf, withTurn, type ServeState } from './state.js';
import { checkAndHold } from './checks.js';
import type { Caller } from './tokens.js';

type Body = Record<string, unknown>;

export const costRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.post(
      '/check',
      { schema: { body: checkBody, summary: 'may this request go out? (holds its worst case)' } },
      async (req) => {
        const b = req.body as Body;
        const requestId = typeof b.request_id === 'string' ? b.request_id : randomUUID();
        const at = instantOf(b.at, 'at', s.now());
        const units = unitsOf(b, 'max_output_tokens');
        // From memory when it can be; checked and held as one step either way (checks.ts).
        const request = {
          user: String(b.user),
          department: b.department as string | undefined,
          organization: b.organization as string | undefined,
          project: b.project as string | undefined,
          account: b.account as string | undefined,
          model: String(b.model),
          units,
          at,
          tz: s.tz,
          allowUnpriced: b.allow_unpriced === true,
        };
        const answer = heldAnswer(await checkAndHold(s, request, requestId), requestId);
        answer.warnings.push(...servedWarnings(b).map((w) => w.message));
        return answer;
      },
    );

    app.post(
      '/records',
      {
        schema: {
          body: recordsBody,
          summary: 'store one record (an object) or many (an array), durable before the answer',
        },
        // One object is a batch of one: the schema is the array's; errors then name the field alone.
        preValidation: async (req) => {
          const single = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body);
          (req as { recordsRoot?: string }).recordsRoot = single ? '' : 'records';
          (req as { single?: boolean }).single = single;
          if (single) req.body = [req.body];
        },
      },
      async (req, reply) => {
        const single = (req as { single?: boolean }).single;
        const now = s.now();
        const inputs = (req.body as Body[]).map((b, i) =>
          recordInputOf(b, single ? '' : `records[${i}].`, now, s.accepted),
        );
        const caller = (req as { caller?: Caller }).caller;
        const outcome = await s.records.submit(inputs, actorOf(caller, req.headers['x-costctl-actor']));
        reply.code(outcome.results.some((r) => r.stored) ? 201 : 200);
        // Each answer names the unknown served values its own body sent (stored as given, priced as standard).
        const results = outcome.results.map((r, i) => ({
          ...r,
          warnings: servedWarnings((req.body as Body[])[i]!, single ? '' : `records[${i}].`),
        }));
        if (single) return results[0]!;
        return {
          stored: results.filter((r) => r.stored).length,
          already_recorded: results.filter((r) => !r.stored).length,
          results,
        };
      },
    );

    app.post('/estimate', { schema: { body: estimateBody, summary: 'what one request would cost' } }, async (req) => {
      const b = req.body as Body;
      const at = instantOf(b.at, 'at', s.now());
      const units = unitsOf(b, 'output_tokens');
      return withTurn(s, async (db) => {
        try {
          return { ...(await estimateRequest(db, String(b.model), units, at)), warnings: servedWarnings(b) };
        } catch (e) {
          if (e instanceof Error && /is not in the price catalog/.test(e.message))
            throw new RequestError(404, 'unknown_model', e.message, 'model');
          throw e;
        }
      });
    });
  };
