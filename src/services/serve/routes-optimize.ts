// Optimization suggestions: the stored list, a fresh run (`costctl optimize --json`, the same windows and
// JSON), and an operator's decision on one (`costctl optimize accept|dismiss ID`, the same service).
import type { FastifyPluginAsync } from 'fastify';
import { SUGGESTION_STATUSES, type SuggestionStatus } from '../../domain/suggestions.js';
import { decideSuggestion, listSuggestions } from '../optimize/suggestions.js';
import { apiRead, apiWrite } from './api-write.js';
import { idParams, instantText } from './api-schemas.js';
import { runJsonCommand } from './json-command.js';
import { actorOf, type ServeState } from './state.js';
import type { Caller } from './tokens.js';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...SUGGESTION_STATUSES] } },
} as const;

const generateBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: instantText,
    until: instantText,
    window: { type: 'string', minLength: 1, maxLength: 60, description: 'as in report: 30d, month, START..END' },
  },
} as const;

export const optimizeRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/optimizations',
      { schema: { querystring: listQuery, summary: 'the stored suggestions, ranked' } },
      (req) => apiRead(s, (db) => listSuggestions(db, req.query as { status?: SuggestionStatus })),
    );

    app.post(
      '/optimizations/generate',
      {
        schema: {
          body: generateBody,
          summary: 'run the optimizer over a window (default 30d) and store its suggestions: `costctl optimize --json`',
        },
      },
      async (req) => {
        const b = (req.body ?? {}) as Record<string, string>;
        const argv = ['optimize', '--json'];
        for (const k of ['since', 'until', 'window'] as const) if (b[k] !== undefined) argv.push(`--${k}`, b[k]);
        const actor = actorOf((req as { caller?: Caller }).caller, req.headers['x-costctl-actor']);
        // The command writes its own audit row (`optimize`, naming the token as its actor).
        return runJsonCommand(s, argv, { fieldOf: (flag) => flag.slice(2), actor });
      },
    );

    for (const decision of ['accept', 'dismiss'] as const)
      app.post<{ Params: { id: string } }>(
        `/optimizations/:id/${decision}`,
        {
          schema: {
            params: idParams,
            summary: `mark a suggestion ${decision}ed (as \`costctl optimize ${decision}\`)`,
          },
        },
        (req) =>
          apiWrite(s, req, `optimize ${decision}`, (db, actor) =>
            decideSuggestion(
              db,
              Number(req.params.id),
              decision === 'accept' ? 'accepted' : 'dismissed',
              actor,
              s.now(),
            ),
          ),
      );
  };
