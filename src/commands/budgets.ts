// `costctl budgets …`: a total per period, allocated to departments or projects.
import type { Command } from 'commander';
import { SilentExit, UsageError } from '../errors.js';
import {
  addJsonFlag,
  choiceOption,
  collect,
  dateText,
  fraction,
  nonNegativeDecimal,
  whenFlag,
} from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney, type Decimal } from '../domain/money.js';
import { atOrPast, type QuotaState } from '../domain/thresholds.js';
import { PERIODS, type Period } from '../domain/windows.js';
import { renderJson } from '../render/json.js';
import { budgetJson, renderBudgets, renderBudgetStatus } from '../render/budgets.js';
import { BUDGET_DEFAULTS, parseAllocation } from '../services/limits/budgets.js';
import { ENFORCEMENTS } from '../services/limits/quotas.js';

export function registerBudgets(program: Command): void {
  const budgets = program
    .command('budgets')
    .description('spend budgets per period with allocations to departments or projects');

  addJsonFlag(
    budgets
      .command('add')
      .description('add a budget (allocations may not exceed the total)')
      .requiredOption('--name <name>', 'unique name')
      .requiredOption('--total <x>', 'total USD for the period', nonNegativeDecimal)
      .requiredOption('--period <period>', PERIODS.join(', '))
      .option(
        '--allocate <target=amount>',
        'sales=30000, department:sales=30000 or project:apollo=5000 (repeatable)',
        collect,
        [],
      )
      .option('--warning <fraction>', 'warning threshold (default 0.8)', fraction)
      .addOption(choiceOption('--enforcement <mode>', 'hard refuses in check; soft only alerts', ENFORCEMENTS, 'hard'))
      .option('--notify <email>', 'alert recipient (repeatable)', collect, []),
  ).action(
    handler(
      async (
        ctx,
        opts: {
          name: string;
          total: Decimal;
          period: string;
          allocate: string[];
          warning?: Decimal;
          enforcement: 'hard' | 'soft';
          notify: string[];
          json?: boolean;
        },
      ) => {
        if (!(PERIODS as readonly string[]).includes(opts.period))
          throw new UsageError(`--period: "${opts.period}" must be one of ${PERIODS.join(', ')}`);
        const spec = {
          name: opts.name,
          period: opts.period as Period,
          total: opts.total,
          allocations: opts.allocate.map((a) => parseAllocation(a)),
          warning: opts.warning ?? BUDGET_DEFAULTS.warning,
          enforcement: opts.enforcement,
          recipients: opts.notify,
        };
        const { addBudget, validateBudgetSpec } = await import('../services/limits/budgets.js');
        validateBudgetSpec(spec);
        const b = await ctx.withDb((db) => addBudget(db, spec, ctx.now()), { mutates: true });
        if (opts.json) ctx.out(renderJson(budgetJson(b)));
        else
          ctx.err(`added budget ${b.name}: ${formatMoney(b.total)} ${b.period}, ${b.allocations.length} allocation(s)`);
      },
    ),
  );

  addJsonFlag(budgets.command('list').description('every budget')).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { listBudgets } = await import('../services/limits/budgets.js');
      const list = await ctx.withDb((db) => listBudgets(db));
      if (opts.json) ctx.out(renderJson(list.map(budgetJson)));
      else
        ctx.out(
          list.length
            ? renderBudgets(list)
            : 'No budgets. Add one with `costctl budgets add --name fy26 --total 100000 --period yearly`.',
        );
    }),
  );

  addJsonFlag(
    budgets
      .command('show')
      .description('one budget and where it stands')
      .argument('<name>')
      .option('--at <timestamp>', 'as of this instant', dateText),
  ).action(
    handler(async (ctx, opts: { at?: string; json?: boolean }, name: string) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { budgetDetail } = await import('../services/limits/budgets.js');
      const { budget, status } = await ctx.withDb((db) => budgetDetail(db, name, { at, tz: ctx.config.tz }));
      if (opts.json) ctx.out(renderJson({ ...budgetJson(budget), status }));
      else ctx.out(`${renderBudgets([budget])}\n${renderBudgetStatus([status], ctx.config.tz)}`);
    }),
  );

  addJsonFlag(
    budgets
      .command('status')
      .description('spent and remaining per budget and allocation')
      .option('--at <timestamp>', 'as of this instant (default now)', dateText)
      .addOption(
        choiceOption('--fail-on <state>', 'exit 3 when any budget line is at or past this state', [
          'warning',
          'exceeded',
        ]),
      ),
  ).action(
    handler(async (ctx, opts: { at?: string; failOn?: QuotaState; json?: boolean }) => {
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { budgetStatuses } = await import('../services/limits/budgets.js');
      const statuses = await ctx.withDb((db) => budgetStatuses(db, { at, tz: ctx.config.tz }));
      if (opts.json) ctx.out(renderJson(statuses));
      else ctx.out(statuses.length ? renderBudgetStatus(statuses, ctx.config.tz) : 'No budgets.');
      if (opts.failOn) {
        const states = statuses.flatMap((s) => [s.state, ...s.allocations.map((a) => a.state)]);
        if (states.some((s) => atOrPast(s, opts.failOn!))) throw new SilentExit(3);
      }
    }),
  );

  budgets
    .command('remove')
    .description('remove a budget and its allocations')
    .argument('<name>')
    .action(
      handler(async (ctx, _opts, name: string) => {
        const { removeBudget } = await import('../services/limits/budgets.js');
        await ctx.withDb((db) => removeBudget(db, name), { mutates: true });
        ctx.err(`removed budget ${name}`);
      }),
    );
}
