// `costctl check`: may this request go out? Prices its worst case and tests every quota and budget that
// applies. Allowed → exit 0; refused by a hard limit → exit 3. Gateways call it before each request.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { DeniedError, SilentExit } from '../errors.js';
import { addJsonFlag, dateText, nonNegativeInt, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney } from '../domain/money.js';
import { requestUnits } from '../domain/pricing.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import type { CheckResult } from '../services/limits/check.js';
import type { HeldCheck } from '../services/serve/check-hold.js';
import { serverHolds } from '../cli/in-process.js';
import { localStamp } from '../render/quotas.js';
import { addComponentFlags, checkBreakdowns, unitCounts, type RequestUnitFlags } from './request-flags.js';

interface CheckOptions extends RequestUnitFlags {
  user: string;
  department?: string;
  organization?: string;
  project?: string;
  account?: string;
  model: string;
  inputTokens?: bigint;
  maxOutputTokens?: bigint;
  cacheReadTokens?: bigint;
  cacheWriteTokens?: bigint;
  cacheWrite1hTokens?: bigint;
  requestType?: string;
  serviceTier?: string;
  at?: string;
  allowUnpriced?: boolean;
  requestId?: string;
  json?: boolean;
}

function checkJson(r: CheckResult) {
  return {
    allowed: r.allowed,
    estimated_cost: r.estimated_cost,
    reason: r.reason,
    quotas: r.quotas,
    budgets: r.budgets,
    warnings: r.warnings,
  };
}

/** What a check sent to a running server holds, and until when; nothing held (refused, no limit): no line. */
function heldLine(a: HeldCheck, tz: string): string | null {
  if (!a.held_until) return null;
  const what = a.held.map((h) => `${h.amount.toFixed()} against ${h.limit}`).join(', ');
  return `held: ${what} until ${localStamp(a.held_until, tz)} (request id ${a.request_id}; record it with that id to end the hold)`;
}

function renderCheck(r: CheckResult, tz: string): string {
  const head = `${r.allowed ? 'allowed' : 'REFUSED'}: ${r.model}, worst case ${r.estimated_cost === null ? 'unknown (unpriced model)' : formatMoney(r.estimated_cost)}`;
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
  const cmd = addJsonFlag(
    program
      .command('check')
      .description('may this request go out? exit 0 allowed, 3 refused by a hard quota or budget')
      .requiredOption('--user <id>', 'who makes the request (user_id)')
      .option('--department <name>', 'department (default: from the directory)')
      .option('--organization <name>', 'organization (default: from the directory)')
      .option('--project <name>', 'project (default: from the directory)')
      .option('--account <id>', 'messaging/sales account (account_id)')
      .requiredOption('--model <name>', 'model as the caller names it')
      .option('--input-tokens <n>', 'input tokens of the request', nonNegativeInt)
      .option('--max-output-tokens <n>', 'the most output it may produce (priced as the worst case)', nonNegativeInt)
      .option('--cache-read-tokens <n>', 'tokens read from the prompt cache', nonNegativeInt)
      .option('--cache-write-tokens <n>', 'tokens written to the prompt cache', nonNegativeInt)
      .option('--cache-write-1h-tokens <n>', 'tokens written to the 1-hour prompt cache', nonNegativeInt)
      .option('--request-type <type>', 'chat, batch, …')
      .option('--service-tier <tier>', "served tier: standard, batch, flex, priority (the catalog's tier prices)")
      .option('--at <timestamp>', 'evaluate as of this instant (default now)', dateText)
      .option('--allow-unpriced', 'let an unpriced model pass hard cost limits (its cost is unknown)')
      .option('--request-id <id>', 'with a server running: the id whose record ends what this check holds'),
  );
  addComponentFlags(cmd).action(
    handler(async (ctx, opts: CheckOptions) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const counts = unitCounts(opts);
      checkBreakdowns(counts, '--max-output-tokens');
      const units = requestUnits({ ...counts, requestType: opts.requestType, serviceTier: opts.serviceTier });
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
      const holds = serverHolds();
      if (holds) {
        const { checkAndHold } = await import('../services/serve/check-hold.js');
        const requestId = opts.requestId ?? randomUUID();
        const { result, answer } = await ctx.withDb((db) => checkAndHold(db, holds, request, requestId));
        if (opts.json) ctx.out(renderJson(answer));
        else {
          ctx.out(renderCheck(result, ctx.config.tz));
          const held = heldLine(answer, ctx.config.tz);
          if (held) ctx.out(held);
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
