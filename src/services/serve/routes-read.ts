// What operators' screens read: dashboard, records, quotas, models, alerts (and resolving one), and the
// live stream of alerts and record batches (Server-Sent Events).
import type { FastifyPluginAsync } from 'fastify';
import { ALERT_STATUSES, type AlertStatus } from '../../domain/alerts.js';
import { listAlerts, resolveByHand } from '../alerts/state.js';
import { evaluateQuotas } from '../limits/status.js';
import { listModels } from '../prices/catalog.js';
import { modelListJson } from '../prices/catalog-json.js';
import { buildDashboard } from '../reports/dashboard.js';
import { listRecords, type RecordFilter } from '../usage/records.js';
import { instantOf } from './request-input.js';
import { RequestError } from './http-errors.js';
import { actorOf, withTurn, type ServeState } from './state.js';
import type { Caller } from './tokens.js';
import { FILTER_COLUMNS, type FilterName, type UsageFilters } from '../../db/usage-filters.js';

export const recordsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
    user: { type: 'string' },
    department: { type: 'string' },
    model: { type: 'string' },
    provider: { type: 'string' },
    project: { type: 'string' },
    organization: { type: 'string' },
    account: { type: 'string' },
    requestType: { type: 'string' },
    session: { type: 'string' },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: '1 to 999999 rows (default 100)' },
  },
} as const;

const alertsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...ALERT_STATUSES] } },
} as const;

const resolveBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 2000 } },
} as const;

/** `?user=a,b&model=x`: each filter comma-separated, as the CLI's flags take them. */
export function filtersOf(q: Record<string, string | undefined>): UsageFilters {
  const filters: UsageFilters = {};
  for (const name of Object.keys(FILTER_COLUMNS) as FilterName[]) {
    const values = q[name]
      ?.split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (values?.length) filters[name] = values;
  }
  return filters;
}

export const readRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.get('/dashboard', { schema: { summary: 'the dashboard figures, as `costctl dashboard --json`' } }, async () =>
      withTurn(s, (db) => buildDashboard(db, { at: s.now(), tz: s.tz })),
    );

    app.get(
      '/records',
      { schema: { querystring: recordsQuery, summary: 'cost records (usage rows)' } },
      async (req) => {
        const q = req.query as Record<string, string | undefined>;
        const filter: RecordFilter = {
          since: q.since === undefined ? undefined : instantOf(q.since, 'since', s.now()),
          until: q.until === undefined ? undefined : instantOf(q.until, 'until', s.now()),
          filters: filtersOf(q),
        };
        return withTurn(s, (db) => listRecords(db, filter, Number(q.limit ?? '100')));
      },
    );

    app.get('/quotas', { schema: { summary: 'every quota with its usage now' } }, async () =>
      withTurn(s, (db) => evaluateQuotas(db, { at: s.now(), tz: s.tz })),
    );

    app.get('/models', { schema: { summary: 'the price catalog, as `costctl models list --json`' } }, async () =>
      withTurn(s, async (db) => modelListJson(await listModels(db, {}, s.now()))),
    );

    app.get('/alerts', { schema: { querystring: alertsQuery, summary: 'alerts' } }, async (req) => {
      const status = (req.query as { status?: AlertStatus }).status;
      return withTurn(s, (db) => listAlerts(db, status ? { status } : {}));
    });

    app.post<{ Params: { id: string } }>(
      '/alerts/:id/resolve',
      { schema: { body: resolveBody, summary: 'resolve an alert by hand' } },
      async (req) => {
        if (!/^[1-9][0-9]{0,9}$/.test(req.params.id))
          throw new RequestError(400, 'bad_request', `id "${req.params.id}" must be an alert number`, 'id');
        const id = Number(req.params.id);
        const note = (req.body as { note?: string } | undefined)?.note;
        return withTurn(s, async (db) => {
          if ((await listAlerts(db, { ids: [id] })).length === 0)
            throw new RequestError(404, 'not_found', `alert ${id} does not exist`, 'id');
          return resolveByHand(db, id, actorOf((req as { caller?: Caller }).caller, undefined), s.now(), note);
        });
      },
    );

    app.get(
      '/stream',
      {
        schema: {
          summary: 'Server-Sent Events: `alert`, `records` and `dashboard` (catalog or quotas changed) as they happen',
        },
      },
      (req, reply) => {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.write(': costctl serve\n\n');
        const send = (event: string) => (data: unknown) =>
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const onAlert = send('alert');
        const onRecords = send('records');
        const onDashboard = send('dashboard');
        s.events.on('alert', onAlert);
        s.events.on('records', onRecords);
        s.events.on('dashboard', onDashboard);
        // A comment now and then keeps proxies from closing an idle stream.
        const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
        beat.unref();
        req.raw.on('close', () => {
          clearInterval(beat);
          s.events.off('alert', onAlert);
          s.events.off('records', onRecords);
          s.events.off('dashboard', onDashboard);
        });
      },
    );
  };
