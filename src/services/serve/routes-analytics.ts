// The reports: `GET /analytics/:report` answers with exactly what `costctl report REPORT --json` prints,
// with the same options, because it runs that command here (the server's CLI runner, as for a command a
// CLI sends): one parser of windows and filters, one JSON. Reports only read (anomalies too: its job
// stores, the report does not).
import type { FastifyPluginAsync } from 'fastify';
import { runJsonCommand } from './json-command.js';
import type { ServeState } from './state.js';

export const REPORTS = ['trend', 'dist', 'patterns', 'efficiency', 'forecast', 'anomalies'] as const;

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
const digits = { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } as const;

/** Query name → the report's flag. Filters take comma-separated values, as the flags do. */
const FLAGS: Record<string, string> = {
  since: '--since',
  until: '--until',
  window: '--window',
  by: '--by',
  top: '--top',
  limit: '--limit',
  grain: '--grain',
  horizon: '--horizon',
  to: '--to',
  sensitivity: '--sensitivity',
  user: '--user',
  department: '--department',
  organization: '--organization',
  project: '--project',
  model: '--model',
  provider: '--provider',
  account: '--account',
  requestType: '--request-type',
  session: '--session',
};
const QUERY_OF = Object.fromEntries(Object.entries(FLAGS).map(([q, f]) => [f, q]));

const analyticsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(Object.keys(FLAGS).map((k) => [k, text])),
    top: digits,
    limit: digits,
    horizon: digits,
  },
} as const;

const analyticsParams = {
  type: 'object',
  additionalProperties: false,
  required: ['report'],
  properties: { report: { type: 'string', enum: [...REPORTS] } },
} as const;

export const analyticsRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Params: { report: string }; Querystring: Record<string, string> }>(
      '/analytics/:report',
      {
        schema: {
          params: analyticsParams,
          querystring: analyticsQuery,
          summary:
            'a report (trend, dist, patterns, efficiency, forecast, anomalies): the JSON of `costctl report REPORT --json`; query names are its flags (requestType for --request-type)',
        },
      },
      async (req) => {
        const argv = ['report', req.params.report, '--json'];
        for (const [k, v] of Object.entries(req.query)) argv.push(FLAGS[k]!, v);
        return runJsonCommand(s, argv, { fieldOf: (flag) => QUERY_OF[flag] });
      },
    );
  };
