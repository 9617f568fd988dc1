// How an API route writes (models, quotas, suggestions): in the database's turn, through the same service
// the CLI's command calls, with the audit row naming the token, and the catalog or quota change announced
// to whatever keeps them in memory (withWriteTurn). A service's error becomes the API's: a bad value is a
// 400 naming its field, something that does not exist a 404.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { DataError, UsageError } from '../../errors.js';
import { recordApiWrite } from './audit.js';
import { RequestError } from './http-errors.js';
import { actorOf, type ServeState, withTurn, withWriteTurn } from './state.js';
import type { Caller } from './tokens.js';

/** `--input-price` → `input_price`: a service names the CLI's flag; the API names the body's field. */
const fieldName = (flag: string) => flag.replace(/^--/, '').replace(/-/g, '_');

/** A service's UsageError or DataError as the API's answer; anything else is left as it is. */
export function apiError(e: unknown): unknown {
  if (e instanceof UsageError) {
    const flag = /^(--[a-z0-9-]+)/.exec(e.message)?.[1];
    const message = e.message.replace(/--([a-z0-9][a-z0-9-]*)/g, (_m, f: string) => fieldName(f));
    return new RequestError(400, 'bad_request', message, flag ? fieldName(flag) : undefined);
  }
  if (e instanceof DataError && /does not exist|is not in the price catalog|no suggestion/i.test(e.message))
    return new RequestError(404, 'not_found', e.message);
  return e;
}

/** Runs a read in the database's turn, with the services' errors as the API's. */
export async function apiRead<T>(s: ServeState, fn: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await withTurn(s, fn);
  } catch (e) {
    throw apiError(e);
  }
}

/**
 * Runs one write for a request: fn gets the database and the actor the audit names, in one turn; the
 * audit row is `command` (the CLI's command for the same change) with the call and its body.
 */
export async function apiWrite<T>(
  s: ServeState,
  req: FastifyRequest,
  command: string,
  fn: (db: Db, actor: string) => Promise<T>,
): Promise<T> {
  const actor = actorOf((req as { caller?: Caller }).caller, req.headers['x-costctl-actor']);
  try {
    return await withWriteTurn(s, async (db) => {
      const result = await fn(db, actor);
      await recordApiWrite(db, {
        now: s.now(),
        tz: s.tz,
        actor,
        command,
        call: `${req.method} ${req.url.split('?')[0]}`,
        body: req.body,
      });
      return result;
    });
  } catch (e) {
    throw apiError(e);
  }
}
