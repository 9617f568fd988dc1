// `costctl reprice`: re-cost stored usage after prices were added or changed.
import type { Command } from 'commander';
import { addJsonFlag, dateText, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { counted } from '../render/plural.js';
import { formatMoney } from '../domain/money.js';
import { renderJson } from '../render/json.js';

export function registerReprice(program: Command): void {
  addJsonFlag(
    program
      .command('reprice')
      .description('re-cost usage rows with the current catalog; reports rows changed and money moved')
      .option('--since <date>', 'only rows at or after this date/time (reporting zone)', dateText)
      .option('--model <name>', 'only rows of this model (as logged, or its catalog name)')
      .option('--dry-run', 'compute and report, change nothing'),
  ).action(
    handler(async (ctx, opts: { since?: string; model?: string; dryRun?: boolean; json?: boolean }) => {
      const since = whenFlag('--since', opts.since, ctx.config.tz, ctx.now());
      const { repriceUsage } = await import('../services/usage/reprice.js');
      const r = await ctx.withDb(
        (db) => repriceUsage(db, { since, model: opts.model, dryRun: opts.dryRun, actor: ctx.actor, now: ctx.now() }),
        {
          mutates: !opts.dryRun,
        },
      );
      if (opts.json) return ctx.out(renderJson(r));
      const sign = r.delta.startsWith('-') ? '' : '+';
      ctx.out(
        `${opts.dryRun ? 'would reprice' : 'repriced'} ${counted(r.rows_considered, 'row')}: ${r.rows_changed} changed, ${r.newly_priced} newly priced; total ${formatMoney(r.total_before)} → ${formatMoney(r.total_after)} (${sign}${formatMoney(r.delta)})`,
      );
      if (r.alerts_resolved)
        ctx.err(`resolved ${counted(r.alerts_resolved, 'unpriced-usage alert')}: their rows are priced now`);
      if (r.still_unpriced.length)
        ctx.err(`still unpriced: ${r.still_unpriced.map((u) => `${u.model} (${counted(u.rows, 'row')})`).join(', ')}`);
    }),
  );
}
