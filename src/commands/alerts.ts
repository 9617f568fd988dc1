// `costctl alerts …`: list, acknowledge, resolve and evaluate alerts; custom threshold rules.
import type { Command } from 'commander';
import { DataError } from '../errors.js';
import {
  addJsonFlag,
  choiceOption,
  collect,
  dateText,
  nonNegativeDecimal,
  positiveInt,
  whenFlag,
} from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney, type Decimal } from '../domain/money.js';
import { PERIODS, type Period } from '../domain/windows.js';
import { renderJson } from '../render/json.js';
import { renderAlerts, renderThresholdRules, thresholdRuleJson } from '../render/alerts.js';
import { ALERT_STATUSES, ALERT_TYPES, type AlertStatus, type AlertType } from '../domain/alerts.js';
import { parseScope, scopeLabel } from '../services/limits/quotas.js';

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('quota, budget, threshold and unpriced-usage alerts');

  addJsonFlag(
    alerts
      .command('list')
      .description('alerts, newest last')
      .addOption(choiceOption('--status <status>', 'only this status', ALERT_STATUSES))
      .addOption(choiceOption('--type <type>', 'only this type', ALERT_TYPES)),
  ).action(
    handler(async (ctx, opts: { status?: AlertStatus; type?: AlertType; json?: boolean }) => {
      const { listAlerts } = await import('../services/alerts/state.js');
      const list = await ctx.withDb((db) => listAlerts(db, opts));
      if (opts.json) ctx.out(renderJson(list));
      else ctx.out(list.length ? renderAlerts(list, ctx.config.tz) : 'No alerts.');
    }),
  );

  addJsonFlag(
    alerts.command('ack').description('acknowledge an open alert').argument('<id>', 'alert id', positiveInt),
  ).action(
    handler(async (ctx, opts: { json?: boolean }, id: number) => {
      const { acknowledgeByHand } = await import('../services/alerts/state.js');
      const alert = await ctx.withDb((db) => acknowledgeByHand(db, id, ctx.actor, ctx.now()), { mutates: true });
      if (opts.json) ctx.out(renderJson(alert));
      else ctx.err(`alert ${id} acknowledged`);
    }),
  );

  addJsonFlag(
    alerts
      .command('resolve')
      .description('resolve an alert by hand')
      .argument('<id>', 'alert id', positiveInt)
      .option('--note <text>', 'why'),
  ).action(
    handler(async (ctx, opts: { note?: string; json?: boolean }, id: number) => {
      const { resolveByHand } = await import('../services/alerts/state.js');
      const alert = await ctx.withDb((db) => resolveByHand(db, id, ctx.actor, ctx.now(), opts.note), {
        mutates: true,
      });
      if (opts.json) ctx.out(renderJson(alert));
      else ctx.err(`alert ${id} resolved`);
    }),
  );

  addJsonFlag(
    alerts
      .command('evaluate')
      .description('raise and resolve alerts for quotas, budgets, threshold rules and unpriced usage')
      .option('--at <timestamp>', 'evaluate as of this instant (default now)', dateText),
  ).action(
    handler(async (ctx, opts: { at?: string; json?: boolean }) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { evaluateAlerts } = await import('../services/alerts/evaluate.js');
      const result = await ctx.withDb(
        (db) => evaluateAlerts(db, { at, tz: ctx.config.tz, now: ctx.now(), actor: ctx.actor }),
        { mutates: true },
      );
      if (opts.json) ctx.out(renderJson(result));
      else {
        ctx.out(`${result.raised.length} alert(s) raised, ${result.resolved} resolved`);
        if (result.raised.length) ctx.out(renderAlerts(result.raised, ctx.config.tz));
      }
    }),
  );

  const rules = alerts
    .command('rules')
    .description('custom threshold rules: spend of a scope over an amount in a window');
  addJsonFlag(
    rules
      .command('add')
      .description('add a rule: alert when the spend of a scope reaches an amount in a period')
      .argument('<name>')
      .requiredOption('--scope <scope>', 'TYPE:VALUE or global')
      .requiredOption('--period <period>', PERIODS.join(', '))
      .requiredOption('--amount <usd>', 'alert when spend reaches this', nonNegativeDecimal)
      .option('--notify <email>', 'recipient (repeatable)', collect, []),
  ).action(
    handler(
      async (
        ctx,
        opts: { scope: string; period: string; amount: Decimal; notify: string[]; json?: boolean },
        name: string,
      ) => {
        const scope = parseScope(opts.scope);
        const { addThresholdRule } = await import('../services/alerts/threshold-rules.js');
        await ctx.withDb(
          (db) =>
            addThresholdRule(
              db,
              { name, scope, period: opts.period as Period, amount: opts.amount, recipients: opts.notify },
              ctx.now(),
            ),
          { mutates: true },
        );
        if (opts.json)
          ctx.out(
            renderJson({
              name,
              scope: scopeLabel(scope),
              period: opts.period,
              amount: opts.amount,
              notify: opts.notify,
            }),
          );
        else ctx.err(`added rule ${name}: ${scopeLabel(scope)} over ${formatMoney(opts.amount)} per ${opts.period}`);
      },
    ),
  );
  addJsonFlag(
    rules.command('list').description('the threshold rules, with scope, period, amount and recipients'),
  ).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { listThresholdRules } = await import('../services/alerts/threshold-rules.js');
      const list = await ctx.withDb((db) => listThresholdRules(db));
      if (opts.json) ctx.out(renderJson(list.map(thresholdRuleJson)));
      else ctx.out(list.length ? renderThresholdRules(list) : 'No threshold rules.');
    }),
  );
  rules
    .command('remove')
    .description('remove a threshold rule')
    .argument('<name>')
    .action(
      handler(async (ctx, _opts, name: string) => {
        const { removeThresholdRule } = await import('../services/alerts/threshold-rules.js');
        const removed = await ctx.withDb((db) => removeThresholdRule(db, name), { mutates: true });
        if (!removed) throw new DataError(`rule "${name}" does not exist (see \`costctl alerts rules list\`)`);
        ctx.err(`removed rule ${name}`);
      }),
    );
}
