// `costctl check`: may this request go out? Prices its worst case and tests every quota and budget that
// applies. Allowed → exit 0; refused by a hard limit → exit 3. Gateways call it before each request.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { DeniedError, SilentExit, UsageError } from '../errors.js';
import { addJsonFlag, dateText, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney } from '../domain/money.js';
import { requestUnits } from '../domain/pricing.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import type { CheckResult } from '../services/limits/check.js';
import { checkJson } from '../services/limits/check-json.js';
import type { HeldAnswer } from '../services/serve/check-hold.js';
import { serverCheck } from '../cli/in-process.js';
import { localStamp } from '../render/quotas.js';
import {
  addRequestUnitFlags,
  addServedFlags,
  checkBreakdowns,
  unitCounts,
  type RequestUnitFlags,
  type ServedFlags,
} from './request-flags.js';

interface CheckOptions extends RequestUnitFlags, ServedFlags {
  user: string;
  department?: string;
  organization?: string;
  project?: string;
  account?: string;
  model: string;
  maxOutputTokens?: bigint;
  requestType?: string;
  at?: string;
  allowUnpriced?: boolean;
  requestId?: string;
  json?: boolean;
}

/** What a check sent to a running server holds, and until when; nothing held (refused, no limit): no line. */
function heldLine(a: HeldAnswer, tz: string): string | null {
  if (!a.held_until) return null;
  const what = a.held.map((h) => `${h.amount.toFixed()} against ${h.limit}`).join(', ');
  return `held: ${what} until ${localStamp(a.held_until, tz)} (request id ${a.request_id}; record it with that id to end the hold)`;
}

function renderCheck(r: CheckResult, tz: string): string {
  const cost = `${r.allowed ? 'allowed' : 'REFUSED'}: ${r.model}, worst case ${r.estimated_cost === null ? 'unknown (unpriced model)' : formatMoney(r.estimated_cost)}`;
  // The rules beyond the catalog's plain rates (tier, fast mode, region, band), so the figure can be checked.
  const head = r.price_rules.length ? `${cost}\nrules: ${r.price_rules.join('; ')}` : cost;
  const rows = [
    ...r.quotas.map((q) => [
      `quota ${q.name}`,
      q.scope,
      q.limit_kind,
      localStamp(q.window_start, tz),
      q.used.toFixed(),
      q.limit.toFixed(),
      q.remaining.toFixed(),
      q.state,
      q.binding ? 'refuses' : '',
    ]),
    ...r.budgets.map((b) => [
      `budget ${b.name}`,
      b.scope,
      'budget',
      localStamp(b.window_start, tz),
      b.used.toFixed(),
      b.limit.toFixed(),
      b.remaining.toFixed(),
      b.state,
      b.binding ? 'refuses' : '',
    ]),
  ];
  if (rows.length === 0) return `${head}\nno quota or budget applies`;
  return `${head}\n${renderTable(
    [
      { header: 'limit' },
      { header: 'scope' },
      { header: 'kind' },
      { header: `window from (${tz})` },
      { header: 'used', align: 'right' },
      { header: 'limit', align: 'right' },
      { header: 'remaining', align: 'right' },
      { header: 'state' },
      { header: '' },
    ],
    rows,
  )}`;
}

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('may this request go out? exit 0 allowed, 3 refused by a hard quota or budget')
    .requiredOption('--user <id>', 'who makes the request (user_id)')
    .option('--department <name>', 'department (default: from the directory)')
    .option('--organization <name>', 'organization (default: from the directory)')
    .option('--project <name>', 'project (default: from the directory)')
    .option('--account <id>', 'messaging/sales account (account_id)')
    .requiredOption('--model <name>', 'model as the caller names it');
  // Every flag estimate takes: the worst case is priced exactly as estimate prices it.
  addServedFlags(addRequestUnitFlags(cmd, { maxOutput: true }))
    .option('--request-type <type>', 'chat, batch, … (batch uses batch prices)')
    .option('--at <timestamp>', 'evaluate as of this instant (default now)', dateText)
    .option('--allow-unpriced', 'let an unpriced model pass hard cost limits (its cost is unknown)')
    .option('--request-id <id>', 'with a server running: the id whose record ends what this check holds');
  addJsonFlag(cmd).action(
    handler(async (ctx, opts: CheckOptions) => {
      if (opts.outputTokens !== undefined && opts.maxOutputTokens !== undefined)
        throw new UsageError('give --output-tokens or --max-output-tokens, not both');
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const counts = unitCounts(opts);
      checkBreakdowns(counts, opts.outputTokens !== undefined ? '--output-tokens' : '--max-output-tokens');
      const units = requestUnits({
        ...counts,
        requestType: opts.requestType,
        serviceTier: opts.serviceTier,
        speed: opts.speed,
        region: opts.region,
      });
      const request = {
        user: opts.user,
        department: opts.department,
        organization: opts.organization,
        project: opts.project,
        account: opts.account,
        model: opts.model,
        units,
        at,
        tz: ctx.config.tz,
        allowUnpriced: Boolean(opts.allowUnpriced),
      };
      // Sent to a running server: check and hold in one turn, as its `POST check` does.
      const onServer = serverCheck();
      if (onServer) {
        const { heldAnswer } = await import('../services/serve/check-hold.js');
        const requestId = opts.requestId ?? randomUUID();
        const held = await onServer(request, requestId);
        const { result } = held;
        const answer = heldAnswer(held, requestId);
        if (opts.json) ctx.out(renderJson(answer));
        else {
          ctx.out(renderCheck(result, ctx.config.tz));
          const line = heldLine(answer, ctx.config.tz);
          if (line) ctx.out(line);
          for (const w of result.warnings) ctx.err(`warning: ${w}`);
        }
        if (!result.allowed) throw opts.json ? new SilentExit(3) : new DeniedError(`refused: ${result.reason}`);
        return;
      }
      const { checkRequest } = await import('../services/limits/check.js');
      const result = await ctx.withDb((db) => checkRequest(db, request));
      if (opts.json) {
        ctx.out(renderJson(checkJson(result)));
        if (!result.allowed) throw new SilentExit(3);
        return;
      }
      ctx.out(renderCheck(result, ctx.config.tz));
      for (const w of result.warnings) ctx.err(`warning: ${w}`);
      if (!result.allowed) throw new DeniedError(`refused: ${result.reason}`);
    }),
  );
}
