// `costctl record`: store one request after it happened (flags are the native usage-log fields in
// kebab-case) and evaluate alerts at once. For gateways that call out per request.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, choiceOption, nonNegativeDecimal } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { COST_TYPES } from '../domain/catalog-types.js';
import { formatMoney, type Decimal } from '../domain/money.js';
import { instantInRange, instantRangeRule } from '../domain/ingest-bounds.js';
import { type AcceptedFlags, acceptedInstantsOf, addAcceptedFlags } from './accepted-flags.js';
import { parseInstant } from '../domain/time.js';
import { renderJson } from '../render/json.js';
import { serverHolds } from '../cli/in-process.js';
import {
  addRequestUnitFlags,
  addServedFlags,
  checkBreakdowns,
  unitCounts,
  type RequestUnitFlags,
  type ServedFlags,
} from './request-flags.js';

interface RecordOptions extends RequestUnitFlags, AcceptedFlags, ServedFlags {
  requestId?: string;
  timestamp?: string;
  model: string;
  provider?: string;
  costType?: string;
  user?: string;
  department?: string;
  organization?: string;
  project?: string;
  accountId?: string;
  sessionId?: string;
  sopInstanceId?: string;
  requestType?: string;
  reportedCost?: Decimal;
  currency?: string;
  tags?: string;
  json?: boolean;
}

function parseTags(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`--tags: "${text}" is not JSON; give an object such as '{"team":"emea"}'`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new UsageError(`--tags: must be a JSON object such as '{"team":"emea"}'`);
  return v as Record<string, unknown>;
}

export function registerRecord(program: Command): void {
  const cmd = program
    .command('record')
    .description('store one request after it happened, priced, then evaluate alerts')
    .requiredOption('--model <name>', 'model as the caller named it')
    .option('--request-id <id>', 'unique id at the source (default: a random UUID); a repeat is not stored twice')
    .option('--timestamp <ts>', 'when it happened: ISO 8601 or epoch (default now)')
    .option('--provider <name>', 'openai, anthropic, … (default: from the catalog)');
  addServedFlags(addRequestUnitFlags(cmd))
    .addOption(choiceOption('--cost-type <type>', 'kind of cost (default ai_api)', COST_TYPES))
    .option('--user <id>', 'user_id')
    .option('--department <name>', 'department')
    .option('--organization <name>', 'organization')
    .option('--project <name>', 'project')
    .option('--account-id <id>', 'messaging/sales account')
    .option('--session-id <id>', 'conversation')
    .option('--sop-instance-id <id>', 'workflow run')
    .option('--request-type <type>', 'chat, embedding, batch, …')
    .option('--reported-cost <x>', "the source's own cost figure (kept beside costctl's)", nonNegativeDecimal)
    .option('--currency <code>', 'currency of --reported-cost (default USD)')
    .option('--tags <json>', 'JSON object of labels');
  addAcceptedFlags(cmd);
  addJsonFlag(cmd).action(
    handler(async (ctx, opts: RecordOptions) => {
      let timestamp = ctx.now();
      const accepted = acceptedInstantsOf(ctx.config, opts);
      if (opts.timestamp !== undefined) {
        const t = parseInstant(opts.timestamp);
        if (!t)
          throw new UsageError(
            `--timestamp: "${opts.timestamp}" is not a timestamp (2026-03-02T09:15:03Z or epoch seconds)`,
          );
        if (!instantInRange(t, accepted))
          throw new UsageError(`--timestamp: "${opts.timestamp}" ${instantRangeRule(accepted)}`);
        timestamp = t;
      }
      if (opts.currency !== undefined && !/^[A-Z]{3}$/.test(opts.currency))
        throw new UsageError(`--currency: "${opts.currency}" must be a 3-letter code such as USD`);
      if (opts.requestId !== undefined && !opts.requestId.trim())
        throw new UsageError('--request-id: must not be empty (leave it out for a random id)');
      if (!opts.model.trim()) throw new UsageError('--model: must not be empty');
      const tags = parseTags(opts.tags);
      const counts = unitCounts(opts);
      checkBreakdowns(counts);
      const { recordAndEvaluate } = await import('../services/usage/record-request.js');
      const now = ctx.now();
      const { result, alerts } = await ctx.withDb(
        (db) =>
          recordAndEvaluate(
            db,
            {
              requestId: opts.requestId,
              timestamp,
              model: opts.model,
              provider: opts.provider,
              ...counts,
              serviceTier: opts.serviceTier,
              speed: opts.speed,
              region: opts.region,
              costType: opts.costType,
              userId: opts.user,
              department: opts.department,
              organization: opts.organization,
              project: opts.project,
              accountId: opts.accountId,
              sessionId: opts.sessionId,
              sopInstanceId: opts.sopInstanceId,
              requestType: opts.requestType,
              reportedCost: opts.reportedCost,
              currency: opts.currency,
              tags,
            },
            { now, tz: ctx.config.tz, actor: ctx.actor },
          ),
        { mutates: true },
      );
      // Sent to a running server: the record ends what a check with its request id holds, as POST records does.
      if (opts.requestId) serverHolds()?.release(opts.requestId);
      if (opts.json) {
        ctx.out(renderJson({ ...result, alerts_raised: alerts.raised, alerts_resolved: alerts.resolved }));
        return;
      }
      const parts = result.unpriced_parts.length
        ? ` (partly unpriced: no price for ${result.unpriced_parts.join(', ')})`
        : '';
      const cost = result.unpriced
        ? 'unpriced (no price in force; add one and reprice)'
        : `${formatMoney(result.total_cost)}${parts}`;
      ctx.out(`${result.stored ? 'recorded' : 'already recorded'} ${result.request_id}: ${result.model}, ${cost}`);
      for (const a of alerts.raised) ctx.err(`alert ${a.id} ${a.type}: ${a.title}`);
    }),
  );
}
