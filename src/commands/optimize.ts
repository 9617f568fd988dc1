// `costctl optimize`: optimization suggestions ranked by savings; `optimize accept|dismiss ID`.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, dateText, UNTIL_HELP } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { resolveReportScope, WINDOW_HELP, windowText } from '../cli/report-flags.js';
import { localStamp } from '../domain/time.js';
import { renderJson } from '../render/json.js';
import { money, renderTable } from '../render/table.js';

function suggestionId(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a suggestion id such as 3 (got "${value}")`);
  return Number(value);
}

export function registerOptimize(program: Command): void {
  const optimize = addJsonFlag(
    program
      .command('optimize')
      .description('optimization suggestions from the stored usage and prices, ranked by savings')
      .option('--since <date>', 'start (a date is local midnight in the reporting zone, or a timestamp)', dateText)
      .option('--until <date>', UNTIL_HELP, dateText)
      .option('--window <window>', `${WINDOW_HELP}, as in report (default 30d)`, windowText),
  ).action(
    handler(async (ctx, opts: { since?: string; until?: string; window?: string; json?: boolean }) => {
      const { generateSuggestions } = await import('../services/optimize/suggestions.js');
      const now = ctx.now();
      const tz = ctx.config.tz;
      // The same windows as every report; what lies after now has no usage yet, so the window ends now.
      const scope = resolveReportScope(opts, { now, tz }, '30d');
      const from = scope.from;
      const to = scope.to.getTime() > now.getTime() ? now : scope.to;
      if (from >= to)
        throw new UsageError(`the window starts ${localStamp(from, tz)}, not before now (${localStamp(now, tz)})`);
      const list = await ctx.withDb((db) => generateSuggestions(db, { from, to, tz, now }), {
        mutates: true,
      });
      if (opts.json) return ctx.out(renderJson(list));
      if (!list.length) return ctx.out(`No suggestions for ${localStamp(from, tz)} … ${localStamp(to, tz)}.`);
      ctx.out(
        renderTable(
          [
            { header: 'id', align: 'right' },
            { header: 'type', optional: true },
            { header: 'suggestion', main: true },
            { header: 'current', align: 'right' },
            { header: 'savings', align: 'right' },
            { header: '%', align: 'right' },
            { header: 'priority', optional: true },
            { header: 'status', optional: true },
          ],
          list.map((s) => {
            // Unpriced traffic has no cost to show or save yet: "unknown", never $0.00.
            const unknown = s.type === 'unpriced_models';
            return [
              s.id,
              s.type,
              s.title,
              unknown ? 'unknown' : money(s.current_cost, ctx.config.currency),
              unknown ? '' : money(s.potential_savings, ctx.config.currency),
              unknown ? '' : s.savings_percentage,
              s.priority,
              s.status,
            ];
          }),
        ),
      );
      ctx.out('Details: costctl optimize --json. Decide: costctl optimize accept|dismiss ID.');
    }),
  );

  for (const decision of ['accept', 'dismiss'] as const) {
    addJsonFlag(
      optimize
        .command(decision)
        .description(`mark a suggestion ${decision}ed`)
        .argument('<id>', 'suggestion id', suggestionId),
    ).action(
      handler(async (ctx, opts: { json?: boolean }, id: number) => {
        const { decideSuggestion } = await import('../services/optimize/suggestions.js');
        const s = await ctx.withDb(
          (db) => decideSuggestion(db, id, decision === 'accept' ? 'accepted' : 'dismissed', ctx.actor, ctx.now()),
          { mutates: true },
        );
        ctx.out(opts.json ? renderJson(s) : `#${s.id} ${s.status}: ${s.title}`);
      }),
    );
  }
}
