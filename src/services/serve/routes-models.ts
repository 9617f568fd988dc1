// The price catalog's writes: `POST /models`, `PATCH /models/:name`, `DELETE /models/:name` — the same
// checks and effects as `costctl models add|update|remove` (the same services), answered with the model
// as `costctl models list --json` shows it.
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database.js';
import {
  BILLING_UNITS,
  COST_TYPES,
  PRICE_FIELD_COLUMNS,
  PRICE_FIELDS,
  type BillingUnit,
  type CostType,
  type PriceField,
  type PriceList,
} from '../../domain/catalog-types.js';
import { Decimal } from '../../domain/money.js';
import { BEGINNING, listModels } from '../prices/catalog.js';
import { modelListJson } from '../prices/catalog-json.js';
import { addModel, removeModel, updateModel } from '../prices/catalog-write.js';
import { newModelSpecs } from '../prices/model-input.js';
import { apiError, apiWrite } from './api-write.js';
import { countText, decimalText, instantText, nameParams, nameText } from './api-schemas.js';
import { RequestError } from './http-errors.js';
import { instantOf } from './request-input.js';
import type { ServeState } from './state.js';

type Body = Record<string, unknown>;

/** `input_price`, `cache_read_price`, …: the price fields by the names `models list --json` prints. */
const PRICE_PROPERTIES = Object.fromEntries(PRICE_FIELDS.map((f) => [PRICE_FIELD_COLUMNS[f].price, decimalText]));

const priceChange = {
  ...PRICE_PROPERTIES,
  unit_size: { ...decimalText, description: 'units per price (default 1000 for tokens, else 1)' },
  tier_threshold_tokens: countText,
  aliases: { type: 'array', maxItems: 100, items: nameText, description: 'other names for this model' },
  effective_from: { ...instantText, description: 'when these prices apply' },
};

const addBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'provider'],
  properties: {
    name: nameText,
    provider: nameText,
    billing_unit: { type: 'string', enum: [...BILLING_UNITS] },
    model_type: nameText,
    cost_type: { type: 'string', enum: [...COST_TYPES] },
    currency: { type: 'string', minLength: 1, maxLength: 10 },
    ...priceChange,
  },
} as const;

const updateBody = { type: 'object', additionalProperties: false, properties: priceChange } as const;

const removeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { force: { type: 'string', enum: ['true', 'false'], description: 'remove even if usage rows name it' } },
} as const;

/** The prices a body gives, as a partial price list (the others carry over or stay unset). */
function pricesOf(b: Body): Partial<PriceList> {
  const out: Partial<PriceList> = {};
  for (const f of PRICE_FIELDS) {
    const v = b[PRICE_FIELD_COLUMNS[f].price];
    if (typeof v === 'string') out[f as PriceField] = new Decimal(v);
  }
  if (b.tier_threshold_tokens !== undefined) out.tierThresholdTokens = BigInt(String(b.tier_threshold_tokens));
  return out;
}

/** One model as `models list --json` shows it. */
async function modelJson(db: Db, name: string, at: Date) {
  const item = (await listModels(db, { search: name }, at)).find((m) => m.name === name);
  if (!item) throw new RequestError(404, 'not_found', `model "${name}" is not in the price catalog`, 'name');
  return modelListJson([item])[0]!;
}

export const modelRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.post(
      '/models',
      { schema: { body: addBody, summary: 'add a model with its first price version (as `costctl models add`)' } },
      async (req, reply) => {
        const b = req.body as Body;
        const { model, price } = (() => {
          try {
            return newModelSpecs({
              name: String(b.name),
              provider: String(b.provider),
              billingUnit: (b.billing_unit as BillingUnit | undefined) ?? 'token',
              unitSize: typeof b.unit_size === 'string' ? new Decimal(b.unit_size) : undefined,
              modelType: (b.model_type as string | undefined) ?? 'chat',
              costType: (b.cost_type as CostType | undefined) ?? 'ai_api',
              currency: (b.currency as string | undefined) ?? 'USD',
              aliases: (b.aliases as string[] | undefined) ?? [],
              prices: pricesOf(b),
              effectiveFrom: instantOf(b.effective_from, 'effective_from', BEGINNING),
            });
          } catch (e) {
            throw apiError(e);
          }
        })();
        const added = await apiWrite(s, req, 'models add', async (db) => {
          await addModel(db, model, price, s.now());
          return modelJson(db, model.name, s.now());
        });
        reply.code(201);
        return added;
      },
    );

    app.patch<{ Params: { name: string } }>(
      '/models/:name',
      {
        schema: {
          params: nameParams,
          body: updateBody,
          summary: 'a new price version and/or aliases; unchanged prices carry over (as `costctl models update`)',
        },
      },
      async (req) => {
        const b = (req.body ?? {}) as Body;
        const effectiveFrom = instantOf(b.effective_from, 'effective_from', s.now());
        return apiWrite(s, req, 'models update', async (db) => {
          const name = await updateModel(
            db,
            req.params.name,
            {
              prices: pricesOf(b),
              unitSize: typeof b.unit_size === 'string' ? new Decimal(b.unit_size) : undefined,
              aliases: (b.aliases as string[] | undefined) ?? [],
              effectiveFrom,
            },
            s.now(),
          );
          return modelJson(db, name, s.now());
        });
      },
    );

    app.delete<{ Params: { name: string }; Querystring: { force?: string } }>(
      '/models/:name',
      {
        schema: {
          params: nameParams,
          querystring: removeQuery,
          summary: 'remove a model; refused (409) while usage rows name it unless ?force=true',
        },
      },
      async (req) =>
        apiWrite(s, req, 'models remove', async (db) => {
          const { usageRows } = await removeModel(db, req.params.name, req.query.force === 'true');
          return { removed: req.params.name, usage_rows: usageRows };
        }),
    );
  };
