// `costctl models discount …`: the operator's negotiated discounts and chargeback markups, which win over
// every imported catalog and survive every sync (they are stored apart from the catalog's prices).
import { InvalidArgumentError, type Command } from 'commander';
import { addJsonFlag, dateText, positiveInt, untilFlag, UNTIL_HELP, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { type Decimal, parseDecimal } from '../domain/money.js';
import { renderJson } from '../render/json.js';
import { localCell } from '../render/local-time.js';
import { UsageError } from '../errors.js';

function percent(value: string): Decimal {
  const d = parseDecimal(value);
  if (!d) throw new InvalidArgumentError(`must be a percentage such as 20 or 12.5 (got "${value}")`);
  return d;
}

const REPRICE_HINT = 'rows already stored keep their cost: run `costctl reprice` to price them with it';

export function registerModelsDiscount(program: Command): void {
  const models = program.commands.find((c) => c.name() === 'models');
  if (!models) throw new Error('registerModelsDiscount must run after registerModels');
  const discount = models
    .command('discount')
    .description("the operator's discounts and markups: they win over every catalog and survive every sync");

  addJsonFlag(
    discount
      .command('add')
      .description('a negotiated discount (--percent) or a chargeback markup (--markup) on a provider’s prices')
      .requiredOption('--provider <name>', 'the catalog provider whose prices it changes, e.g. anthropic')
      .option('--percent <n>', 'discount: costs are (100 − n) % of the catalog price (0 < n < 100)', percent)
      .option('--markup <n>', 'markup: costs are (100 + n) % of the (discounted) price (0 < n ≤ 1000)', percent)
      .option('--model <pattern>', 'only catalog models matching this name, * for any characters (default: all)')
      .option('--from <date>', 'first day it applies (default: always)', dateText)
      .option('--until <date>', `last day it applies, ${UNTIL_HELP} (default: open)`, dateText)
      .option('--note <text>', 'why: the contract, the chargeback rule'),
  ).action(
    handler(async (ctx, opts) => {
      if ((opts.percent === undefined) === (opts.markup === undefined))
        throw new UsageError('give exactly one of --percent N (a discount) and --markup N');
      const { addAdjustment } = await import('../services/prices/adjustments.js');
      const { BEGINNING } = await import('../services/prices/catalog.js');
      const tz = ctx.config.tz;
      const added = await ctx.withDb(
        (db) =>
          addAdjustment(
            db,
            {
              kind: opts.percent !== undefined ? 'discount' : 'markup',
              provider: opts.provider,
              modelPattern: opts.model ?? null,
              percent: opts.percent ?? opts.markup,
              from: whenFlag('--from', opts.from, tz, ctx.now()) ?? BEGINNING,
              until: untilFlag('--until', opts.until, tz, ctx.now()) ?? null,
              note: opts.note ?? null,
            },
            ctx.now(),
          ),
        { mutates: true },
      );
      const { adjustmentJson, adjustmentTerm } = await import('../render/price-adjustments.js');
      if (opts.json) ctx.out(renderJson(adjustmentJson(added)));
      else
        ctx.out(
          `added ${added.kind} #${added.id}: ${adjustmentTerm(added)} on ${added.modelPattern ?? 'every model'} of ${added.provider}, ` +
            `${added.from.getTime() === 0 ? 'always' : `from ${localCell(added.from.toISOString(), tz)} ${tz}`}` +
            `${added.until ? ` until ${localCell(added.until.toISOString(), tz)} ${tz} (exclusive)` : ''}`,
        );
      ctx.err(REPRICE_HINT);
    }),
  );

  addJsonFlag(discount.command('list').description('every discount and markup, with its window')).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { listAdjustments } = await import('../services/prices/adjustments.js');
      const items = await ctx.withDb((db) => listAdjustments(db));
      const { adjustmentJson, renderAdjustments } = await import('../render/price-adjustments.js');
      if (opts.json) return ctx.out(renderJson(items.map(adjustmentJson)));
      ctx.out(
        items.length
          ? renderAdjustments(items, ctx.config.tz)
          : 'No discounts or markups. Add one with `costctl models discount add --provider NAME --percent N`.',
      );
    }),
  );

  discount
    .command('remove')
    .description('remove a discount or markup (stored rows keep their cost until `costctl reprice`)')
    .argument('<id>', 'its id in `costctl models discount list`', positiveInt)
    .action(
      handler(async (ctx, _opts, id: number) => {
        const { removeAdjustment } = await import('../services/prices/adjustments.js');
        const removed = await ctx.withDb((db) => removeAdjustment(db, id), { mutates: true });
        ctx.err(`removed ${removed.kind} #${removed.id}; ${REPRICE_HINT.replace('with it', 'without it')}`);
      }),
    );
}
