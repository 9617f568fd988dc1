// `costctl reconcile`: computed cost against the bill per day × provider (× model), plus internal
// consistency. Exit 3 when anything is beyond tolerance (so cron can act), 0 otherwise.
import type { Command } from 'commander';
import { handler } from '../cli/handler.js';
import { addJsonFlag, nonNegativeDecimal } from '../cli/options.js';
import { Decimal } from '../domain/money.js';
import { SilentExit } from '../errors.js';
import { renderJson } from '../render/json.js';

interface ReconcileOpts {
  date?: string;
  since?: string;
  until?: string;
  tolerancePct: Decimal;
  toleranceAbs: Decimal;
  repair?: boolean;
  json?: boolean;
}

export function registerReconcile(program: Command): void {
  addJsonFlag(
    program
      .command('reconcile')
      .description(
        'compare usage-derived cost with billed cost per day and provider; check stored figures against their rows',
      )
      .option('--date <day>', 'one local day (default: yesterday)')
      .option('--since <day>', 'first day of a range')
      .option('--until <day>', 'last day of a range (default: yesterday)')
      .option(
        '--tolerance-pct <pct>',
        'allowed difference in percent of the larger amount',
        nonNegativeDecimal,
        new Decimal(1),
      )
      .option('--tolerance-abs <amount>', 'allowed difference in money', nonNegativeDecimal, new Decimal('0.01'))
      .option('--repair', 'recompute stored figures that differ from their rows, and say what changed'),
  ).action(
    handler(async (ctx, opts: ReconcileOpts) => {
      const { reconcilePeriod, runReconcile } = await import('../services/reconcile/run.js');
      const now = ctx.now();
      const period = reconcilePeriod(opts, now, ctx.config.tz);
      const tolerance = { pct: opts.tolerancePct, abs: opts.toleranceAbs };
      const out = await ctx.withDb(
        (db) => runReconcile(db, { period, tolerance, repair: opts.repair, config: ctx.config, now }),
        { mutates: true },
      );
      if (opts.json) {
        const { recipients: _, report_queued: __, ...json } = out;
        ctx.out(renderJson(json));
      } else {
        const { renderReconcile } = await import('../render/reconcile.js');
        ctx.out(renderReconcile(out, ctx.config.currency));
      }
      if (out.mismatches.length + out.consistency.issues.length) throw new SilentExit(3);
    }),
  );
}
