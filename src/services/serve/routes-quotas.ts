// Quota writes: `POST /quotas`, `PATCH /quotas/:name`, `POST /quotas/:name/reset`, `DELETE /quotas/:name`
// — the same checks and effects as `costctl quotas add|update|reset|remove` (the same services), answered
// with the quota as `costctl quotas list --json` shows it. Fields are those names.
import type { FastifyPluginAsync } from 'fastify';
import { Decimal } from '../../domain/money.js';
import { PERIODS, type Period } from '../../domain/windows.js';
import { ENFORCEMENTS, METRICS, type Metric, type QuotaSpec, QUOTA_DEFAULTS, parseScope } from '../limits/quotas.js';
import { addQuota, removeQuota, resetQuota, updateQuota } from '../limits/quotas.js';
import { quotaJson } from '../limits/quota-json.js';
import { apiError, apiWrite } from './api-write.js';
import { decimalText, instantText, nameParams, nameText } from './api-schemas.js';
import { instantOf } from './request-input.js';
import type { ServeState } from './state.js';

type Body = Record<string, unknown>;

const fractionText = { ...decimalText, description: 'a fraction of the limit above 0 and at most 1, e.g. "0.8"' };
const nullableDecimal = { anyOf: [decimalText, { type: 'null' }], description: 'null removes it' } as const;

/** Every field `quotas list --json` prints that a quota is made of. */
const quotaFields = {
  scope: { type: 'string', minLength: 1, maxLength: 300, description: 'TYPE:VALUE (user, department, …) or global' },
  period: { type: 'string', enum: [...PERIODS] },
  limit: decimalText,
  daily_limit: nullableDecimal,
  hourly_limit: nullableDecimal,
  metric: { type: 'string', enum: [...METRICS] },
  warning_threshold: fractionText,
  critical_threshold: fractionText,
  extra_thresholds: { type: 'array', maxItems: 20, items: fractionText },
  enforcement: { type: 'string', enum: [...ENFORCEMENTS] },
  model: { anyOf: [nameText, { type: 'null' }], description: 'only usage of this model counts; null: all' },
  notify: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 300 } },
} as const;

const addBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scope', 'period', 'limit'],
  properties: { name: nameText, ...quotaFields },
} as const;

const updateBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: quotaFields } as const;

const resetBody = {
  type: 'object',
  additionalProperties: false,
  properties: { at: instantText, note: { type: 'string', maxLength: 2000 } },
} as const;

const decimalOrNull = (v: unknown) => (v === null ? null : typeof v === 'string' ? new Decimal(v) : undefined);

/** The fields a body gives, as the service's quota fields (absent: undefined, so an update keeps them). */
function specOf(b: Body): Partial<QuotaSpec> {
  try {
    return {
      scope: typeof b.scope === 'string' ? parseScope(b.scope) : undefined,
      period: b.period as Period | undefined,
      limit: typeof b.limit === 'string' ? new Decimal(b.limit) : undefined,
      dailyLimit: decimalOrNull(b.daily_limit),
      hourlyLimit: decimalOrNull(b.hourly_limit),
      metric: b.metric as Metric | undefined,
      warning: typeof b.warning_threshold === 'string' ? new Decimal(b.warning_threshold) : undefined,
      critical: typeof b.critical_threshold === 'string' ? new Decimal(b.critical_threshold) : undefined,
      extraThresholds: (b.extra_thresholds as string[] | undefined)?.map((x) => new Decimal(x)),
      enforcement: b.enforcement as QuotaSpec['enforcement'] | undefined,
      model: b.model as string | null | undefined,
      recipients: b.notify as string[] | undefined,
    };
  } catch (e) {
    throw apiError(e);
  }
}

export const quotaRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.post(
      '/quotas',
      { schema: { body: addBody, summary: 'add a quota (as `costctl quotas add`)' } },
      async (req, reply) => {
        const b = req.body as Body;
        const given = specOf(b);
        const spec: QuotaSpec = {
          name: String(b.name),
          scope: given.scope!,
          period: given.period!,
          limit: given.limit!,
          metric: given.metric ?? QUOTA_DEFAULTS.metric,
          dailyLimit: given.dailyLimit ?? null,
          hourlyLimit: given.hourlyLimit ?? null,
          warning: given.warning ?? QUOTA_DEFAULTS.warning,
          critical: given.critical ?? QUOTA_DEFAULTS.critical,
          extraThresholds: given.extraThresholds ?? [],
          enforcement: given.enforcement ?? QUOTA_DEFAULTS.enforcement,
          model: given.model ?? null,
          recipients: given.recipients ?? [],
        };
        const q = await apiWrite(s, req, 'quotas add', (db) => addQuota(db, spec, s.now()));
        reply.code(201);
        return quotaJson(q);
      },
    );

    app.patch<{ Params: { name: string } }>(
      '/quotas/:name',
      {
        schema: {
          params: nameParams,
          body: updateBody,
          summary: 'change a quota; what the body leaves out stays (as `costctl quotas update`)',
        },
      },
      async (req) => {
        const patch = specOf(req.body as Body);
        const q = await apiWrite(s, req, 'quotas update', (db) => updateQuota(db, req.params.name, patch, s.now()));
        return quotaJson(q);
      },
    );

    app.post<{ Params: { name: string } }>(
      '/quotas/:name/reset',
      {
        schema: {
          params: nameParams,
          body: resetBody,
          summary: 'start a new window now (or `at`); usage history is kept (as `costctl quotas reset`)',
        },
      },
      async (req) => {
        const b = (req.body ?? {}) as { at?: string; note?: string };
        const at = instantOf(b.at, 'at', s.now());
        const q = await apiWrite(s, req, 'quotas reset', (db, actor) =>
          resetQuota(db, req.params.name, at, actor, b.note ?? null),
        );
        return { name: q.name, reset_at: at };
      },
    );

    app.delete<{ Params: { name: string } }>(
      '/quotas/:name',
      { schema: { params: nameParams, summary: 'remove a quota; its alerts and the usage rows stay' } },
      async (req) => {
        await apiWrite(s, req, 'quotas remove', (db) => removeQuota(db, req.params.name));
        return { removed: req.params.name };
      },
    );
  };
