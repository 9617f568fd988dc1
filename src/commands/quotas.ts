// `costctl quotas …`: spend/token/request limits per scope and window, and where they stand.
import type { Command } from 'commander';
import { SilentExit, UsageError } from '../errors.js';
import {
  addJsonFlag,
  choiceOption,
  collect,
  dateText,
  fraction,
  nonNegativeDecimal,
  thresholdPercents,
  whenFlag,
} from '../cli/options.js';
import { handler } from '../cli/handler.js';
import type { Context } from '../context.js';
import { type Decimal, parseDecimal } from '../domain/money.js';
import { QUOTA_STATES, atOrPast, type QuotaState } from '../domain/thresholds.js';
import { PERIODS, type Period } from '../domain/windows.js';
import { localCell } from '../render/local-time.js';
import { renderJson } from '../render/json.js';
import { amount, quotaJson, quotaStatusJson, renderQuotaList, renderQuotaStatus } from '../render/quotas.js';
import {
  ENFORCEMENTS,
  METRICS,
  QUOTA_DEFAULTS,
  parseScope,
  scopeLabel,
  type Metric,
  type QuotaSpec,
} from '../services/limits/quotas.js';

interface AddOptions {
  scope?: string;
  period?: string;
  limit?: Decimal;
  dailyLimit?: Decimal;
  hourlyLimit?: Decimal;
  metric: Metric;
  warning?: Decimal;
  critical?: Decimal;
  thresholds?: Decimal[];
  enforcement: 'hard' | 'soft';
  model?: string;
  notify: string[];
}

async function missingForAdd(ctx: Context, name: string | undefined, opts: AddOptions) {
  const missing = [
    !name && 'NAME',
    !opts.scope && '--scope',
    !opts.period && '--period',
    !opts.limit && '--limit',
  ].filter(Boolean) as string[];
  if (missing.length === 0) return { name: name!, scope: opts.scope!, period: opts.period!, limit: opts.limit! };
  if (!ctx.interactive || !process.stdin.isTTY) {
    throw new UsageError(
      `quotas add: missing ${missing.join(', ')} (e.g. costctl quotas add sales-east --scope department:sales-east --period monthly --limit 500)`,
    );
  }
  const { askQuota } = await import('../prompts/quota-add.js');
  const a = await askQuota({ name, scope: opts.scope, period: opts.period, limit: opts.limit?.toFixed() });
  const limit = parseDecimal(a.limit);
  if (!limit || limit.isNegative()) throw new UsageError(`--limit: "${a.limit}" must be a decimal number ≥ 0`);
  return { name: a.name, scope: a.scope, period: a.period, limit };
}

function checkPeriod(p: string): Period {
  if (!(PERIODS as readonly string[]).includes(p))
    throw new UsageError(`--period: "${p}" must be one of ${PERIODS.join(', ')}`);
  return p as Period;
}

export function registerQuotas(program: Command): void {
  const quotas = program
    .command('quotas')
    .description('limits per user, department, organization, project, account or globally');

  addJsonFlag(
    quotas
      .command('add')
      .description('add a quota (asks on a terminal for what the flags leave out)')
      .argument('[name]')
      .option('--scope <scope>', 'TYPE:VALUE (user, department, organization, project, account) or global')
      .option('--period <period>', `window: ${PERIODS.join(', ')}`)
      .option('--limit <x>', 'limit per period (USD for cost, else a count)', nonNegativeDecimal)
      .option('--daily-limit <x>', 'also at most this per local day', nonNegativeDecimal)
      .option('--hourly-limit <x>', 'also at most this per hour', nonNegativeDecimal)
      .addOption(choiceOption('--metric <metric>', 'what is limited', METRICS, 'cost'))
      .option('--warning <fraction>', 'warning threshold (default 0.8)', fraction)
      .option('--critical <fraction>', 'critical threshold (default 0.95)', fraction)
      .option('--thresholds <percents>', 'more alert thresholds, % of the limit (e.g. 50,75,90)', thresholdPercents)
      .addOption(choiceOption('--enforcement <mode>', 'hard refuses in check; soft only alerts', ENFORCEMENTS, 'hard'))
      .option('--model <name>', 'only usage of this model counts')
      .option('--notify <email>', 'alert recipient (repeatable)', collect, []),
  ).action(
    handler(async (ctx, opts: AddOptions & { json?: boolean }, name?: string) => {
      const given = await missingForAdd(ctx, name, opts);
      const spec: QuotaSpec = {
        name: given.name,
        scope: parseScope(given.scope),
        metric: opts.metric,
        period: checkPeriod(given.period),
        limit: given.limit,
        dailyLimit: opts.dailyLimit ?? null,
        hourlyLimit: opts.hourlyLimit ?? null,
        warning: opts.warning ?? QUOTA_DEFAULTS.warning,
        critical: opts.critical ?? QUOTA_DEFAULTS.critical,
        extraThresholds: opts.thresholds ?? [],
        enforcement: opts.enforcement,
        model: opts.model ?? null,
        recipients: opts.notify,
      };
      const { addQuota, validateQuotaSpec } = await import('../services/limits/quotas.js');
      validateQuotaSpec(spec);
      const { scopeValueKnown } = await import('../services/limits/directory.js');
      const { q, known } = await ctx.withDb(
        async (db) => ({
          q: await addQuota(db, spec, ctx.now()),
          known: await scopeValueKnown(db, spec.scope.type, spec.scope.value),
        }),
        { mutates: true },
      );
      if (!known)
        ctx.err(
          `warning: no usage row or directory entry has ${scopeLabel(spec.scope)} yet; check the spelling (the quota counts only rows that name it)`,
        );
      if (opts.json) ctx.out(renderJson(quotaJson(q)));
      else
        ctx.err(
          `added quota ${q.name}: ${scopeLabel(q.scope)}, ${q.period} ${q.metric} limit ${amount(q.metric, q.limit)} (${q.enforcement})`,
        );
    }),
  );

  addJsonFlag(quotas.command('list').description('every quota').option('--scope <scope>', 'only this scope')).action(
    handler(async (ctx, opts: { scope?: string; json?: boolean }) => {
      const scope = opts.scope ? parseScope(opts.scope) : undefined;
      const { listQuotas } = await import('../services/limits/quotas.js');
      const list = await ctx.withDb((db) => listQuotas(db, { scope }));
      if (opts.json) ctx.out(renderJson(list.map(quotaJson)));
      else
        ctx.out(
          list.length
            ? renderQuotaList(list)
            : 'No quotas. Add one with `costctl quotas add NAME --scope department:sales --period monthly --limit 500`.',
        );
    }),
  );

  addJsonFlag(
    quotas
      .command('show')
      .description('one quota with where it stands now')
      .argument('<name>')
      .option('--at <timestamp>', 'as of this instant', dateText),
  ).action(
    handler(async (ctx, opts: { at?: string; json?: boolean }, name: string) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { quotaDetail } = await import('../services/limits/status.js');
      const { quota, status } = await ctx.withDb((db) => quotaDetail(db, name, { at, tz: ctx.config.tz }));
      if (opts.json) ctx.out(renderJson({ ...quotaJson(quota), status: quotaStatusJson(status) }));
      else
        ctx.out(
          `${renderQuotaList([quota])}\nnotify: ${quota.recipients.join(', ') || '—'}\n${renderQuotaStatus([status], ctx.config.tz)}`,
        );
    }),
  );

  addJsonFlag(
    quotas
      .command('update')
      .description('change a quota; what you leave out stays')
      .argument('<name>')
      .option('--scope <scope>', 'TYPE:VALUE or global')
      .option('--period <period>', PERIODS.join(', '))
      .option('--limit <x>', 'limit per period', nonNegativeDecimal)
      .option('--daily-limit <x>', 'daily sub-limit', nonNegativeDecimal)
      .option('--no-daily-limit', 'remove the daily sub-limit')
      .option('--hourly-limit <x>', 'hourly sub-limit', nonNegativeDecimal)
      .option('--no-hourly-limit', 'remove the hourly sub-limit')
      .addOption(choiceOption('--metric <metric>', 'what is limited', METRICS))
      .option('--warning <fraction>', 'warning threshold', fraction)
      .option('--critical <fraction>', 'critical threshold', fraction)
      .option('--thresholds <percents>', 'replace the extra thresholds, % of the limit (e.g. 50,75)', thresholdPercents)
      .option('--no-thresholds', 'remove the extra thresholds')
      .addOption(choiceOption('--enforcement <mode>', 'hard or soft', ENFORCEMENTS))
      .option('--model <name>', 'only usage of this model counts')
      .option('--all-models', 'remove the model filter')
      .option('--notify <email>', 'replace the alert recipients (repeatable)', collect),
  ).action(
    handler(async (ctx, opts, name: string) => {
      const patch: Partial<QuotaSpec> = {
        scope: opts.scope ? parseScope(opts.scope) : undefined,
        period: opts.period ? checkPeriod(opts.period) : undefined,
        limit: opts.limit,
        // commander: --no-x sets x to false; a value sets it to the Decimal.
        dailyLimit: opts.dailyLimit === false ? null : opts.dailyLimit === true ? undefined : opts.dailyLimit,
        hourlyLimit: opts.hourlyLimit === false ? null : opts.hourlyLimit === true ? undefined : opts.hourlyLimit,
        metric: opts.metric,
        warning: opts.warning,
        critical: opts.critical,
        extraThresholds: opts.thresholds === false ? [] : opts.thresholds === true ? undefined : opts.thresholds,
        enforcement: opts.enforcement,
        model: opts.allModels ? null : opts.model,
        recipients: opts.notify,
      };
      if (Object.values(patch).every((v) => v === undefined))
        throw new UsageError('quotas update: nothing to change; give at least one flag such as --limit');
      const { updateQuota } = await import('../services/limits/quotas.js');
      const q = await ctx.withDb((db) => updateQuota(db, name, patch, ctx.now()), { mutates: true });
      if (opts.json) ctx.out(renderJson(quotaJson(q)));
      else ctx.err(`updated quota ${q.name}`);
    }),
  );

  quotas
    .command('remove')
    .description('remove a quota (its alerts and the usage rows stay)')
    .argument('<name>')
    .action(
      handler(async (ctx, _opts, name: string) => {
        const { removeQuota } = await import('../services/limits/quotas.js');
        await ctx.withDb((db) => removeQuota(db, name), { mutates: true });
        ctx.err(`removed quota ${name}`);
      }),
    );

  addJsonFlag(
    quotas
      .command('reset')
      .description('start a new window now (usage history is kept; it no longer counts)')
      .argument('<name>')
      .option('--at <timestamp>', 'reset as of this instant (default now)', dateText)
      .option('--note <text>', 'why'),
  ).action(
    handler(async (ctx, opts: { at?: string; note?: string; json?: boolean }, name: string) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { resetQuota } = await import('../services/limits/quotas.js');
      const q = await ctx.withDb((db) => resetQuota(db, name, at, ctx.actor, opts.note ?? null), { mutates: true });
      if (opts.json) ctx.out(renderJson({ name: q.name, reset_at: at }));
      else
        ctx.err(
          `reset quota ${q.name}: a new window starts at ${localCell(at.toISOString(), ctx.config.tz)} ${ctx.config.tz}`,
        );
    }),
  );

  addJsonFlag(
    quotas
      .command('status')
      .description('each quota: window, used, remaining, %, state and the binding sub-limit')
      .option('--scope <scope>', 'only quotas of this scope')
      .option('--at <timestamp>', 'as of this instant (default now)', dateText)
      .addOption(
        choiceOption(
          '--fail-on <state>',
          'exit 3 when any quota is at or past this state',
          QUOTA_STATES.filter((s) => s !== 'ok'),
        ),
      ),
  ).action(
    handler(async (ctx, opts: { scope?: string; at?: string; failOn?: QuotaState; json?: boolean }) => {
      const scope = opts.scope ? parseScope(opts.scope) : undefined;
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { evaluateQuotas } = await import('../services/limits/status.js');
      const statuses = await ctx.withDb((db) => evaluateQuotas(db, { at, tz: ctx.config.tz, scope }));
      if (opts.json) ctx.out(renderJson(statuses.map(quotaStatusJson)));
      else ctx.out(statuses.length ? renderQuotaStatus(statuses, ctx.config.tz) : 'No quotas.');
      if (opts.failOn) {
        const tripped = statuses.filter((s) => atOrPast(s.state, opts.failOn!));
        if (tripped.length) {
          if (!opts.json)
            ctx.err(
              `${tripped.length} quota(s) at or past ${opts.failOn}: ${tripped.map((s) => `${s.name} (${s.state})`).join(', ')}`,
            );
          throw new SilentExit(3);
        }
      }
    }),
  );
}
