// `costctl reconcile`: computed cost against the bill per day × provider (× model), plus internal
// consistency. Exit 3 when anything is beyond tolerance (so cron can act), 0 otherwise.
import type { Command } from 'commander';
import { SilentExit, UsageError } from '../errors.js';
import { addJsonFlag, nonNegativeDecimal } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { Decimal, formatMoney } from '../domain/money.js';
import { parseDateOrInstant } from '../domain/time.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

interface ReconcileOpts {
  date?: string;
  since?: string;
  until?: string;
  tolerancePct: Decimal;
  toleranceAbs: Decimal;
  repair?: boolean;
  json?: boolean;
}

function day(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !parseDateOrInstant(value, 'UTC')) {
    throw new UsageError(`${flag}: "${value}" must be a calendar day such as 2026-03-01`);
  }
  return value;
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
      const { reconcileBilling, yesterday } = await import('../services/reconcile/billing-compare.js');
      const { checkConsistency } = await import('../services/reconcile/consistency.js');
      const { raiseMismatchAlerts } = await import('../services/reconcile/mismatch-alerts.js');
      const { recipientsFor } = await import('../services/alerts/emails.js');
      const tz = ctx.config.tz;
      const date = day('--date', opts.date);
      if (date && (opts.since || opts.until)) throw new UsageError('give either --date or --since/--until, not both');
      const fallback = yesterday(ctx.now(), tz);
      const since = date ?? day('--since', opts.since) ?? (opts.until ? undefined : fallback);
      if (!since) throw new UsageError('--until needs --since (or use --date for one day)');
      const until = date ?? day('--until', opts.until) ?? (opts.since ? fallback : since);
      if (since > until) throw new UsageError(`--since ${since} is after --until ${until}`);
      const tolerance = { pct: opts.tolerancePct, abs: opts.toleranceAbs };
      const out = await ctx.withDb(
        async (db) => {
          const result = await reconcileBilling(db, { since, until, tz, tolerance });
          const consistency = await checkConsistency(db, { repair: opts.repair });
          const alerts = await raiseMismatchAlerts(db, result, {
            tz,
            now: ctx.now(),
            recipients: recipientsFor([], ctx.config, 'reconcile'),
            currency: ctx.config.currency,
          });
          return { ...result, consistency, alerts_raised: alerts.raised };
        },
        { mutates: true },
      );
      const beyond = out.mismatches.length + out.consistency.issues.length;
      if (opts.json) ctx.out(renderJson(out));
      else {
        const m = (v: string) => formatMoney(v, ctx.config.currency);
        ctx.out(
          `${since === until ? since : `${since} … ${until}`} (${tz}): computed ${m(out.totals.usage_cost)}, billed ${m(out.totals.billed_cost)}, difference ${m(out.totals.difference)}; tolerance ${tolerance.pct.toFixed()}% or ${m(tolerance.abs.toFixed())}`,
        );
        if (out.lines.length) {
          ctx.out(
            renderTable(
              [
                { header: 'day' },
                { header: 'provider' },
                { header: 'model' },
                { header: 'computed', align: 'right' },
                { header: 'billed', align: 'right' },
                { header: 'difference', align: 'right' },
                { header: 'result' },
              ],
              out.lines.map((l) => [
                l.day,
                l.provider,
                l.model ?? '(all)',
                m(l.usage_cost),
                m(l.billed_cost),
                m(l.difference),
                l.within_tolerance ? 'ok' : `${l.cause}: ${l.explanation}`,
              ]),
            ),
          );
        } else ctx.out('No usage and no billing lines in this period.');
        for (const o of out.other_charges)
          ctx.out(`not compared: ${o.day} ${o.provider} ${o.charge_category} ${m(o.billed_cost)} (${o.lines} line(s))`);
        for (const c of out.consistency.repaired)
          ctx.out(`repaired ${c.subject} (${c.check}): ${c.before ?? 'null'} → ${c.after ?? 'null'}`);
        for (const i of out.consistency.issues)
          ctx.out(
            `inconsistent ${i.subject} (${i.check}): stored ${i.stored ?? 'null'}, rows say ${i.expected ?? 'null'}${i.repairable ? ' (fix with --repair)' : ''}`,
          );
        ctx.out(
          beyond
            ? `${out.mismatches.length} difference(s) beyond tolerance, ${out.consistency.issues.length} consistency issue(s)${out.alerts_raised.length ? `; ${out.alerts_raised.length} alert(s) raised` : ''}`
            : 'Everything reconciles within tolerance.',
        );
      }
      if (beyond) throw new SilentExit(3);
    }),
  );
}
