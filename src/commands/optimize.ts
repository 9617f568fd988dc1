// `costctl optimize`: optimization suggestions ranked by savings; `optimize accept|dismiss ID`.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, dateText, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney } from '../domain/money.js';
import { addCalendar } from '../domain/time.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

/** `30d`, `2w` or a bare number of days. */
export function windowDays(value: string): number {
  const m = /^(\d+)\s*([dw]?)$/i.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!m || n < 1 || n > 3660)
    throw new InvalidArgumentError(`must be a number of days such as 30d or 4w (got "${value}")`);
  return n;
}

function suggestionId(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a suggestion id such as 3 (got "${value}")`);
  return Number(value);
}

export function registerOptimize(program: Command): void {
  const optimize = addJsonFlag(
    program
      .command('optimize')
      .description('optimization suggestions from the stored usage and prices, ranked by savings')
      .option('--since <date>', 'start of the window (default: --window before now)', dateText)
      .option('--window <days>', 'window length, e.g. 30d or 4w', windowDays, 30),
  ).action(
    handler(async (ctx, opts: { since?: string; window: number; json?: boolean }) => {
      const { generateSuggestions } = await import('../services/optimize/suggestions.js');
      const now = ctx.now();
      const from =
        whenFlag('--since', opts.since, ctx.config.tz, ctx.now()) ??
        addCalendar('day', now, -opts.window, ctx.config.tz);
      if (from >= now) throw new UsageError(`--since ${opts.since} is not before now (${now.toISOString()})`);
      const list = await ctx.withDb((db) => generateSuggestions(db, { from, to: now, tz: ctx.config.tz, now }), {
        mutates: true,
      });
      if (opts.json) return ctx.out(renderJson(list));
      if (!list.length) return ctx.out(`No suggestions for ${from.toISOString()} … ${now.toISOString()}.`);
      ctx.out(
        renderTable(
          [
            { header: 'id', align: 'right' },
            { header: 'type' },
            { header: 'suggestion' },
            { header: 'current', align: 'right' },
            { header: 'savings', align: 'right' },
            { header: '%', align: 'right' },
            { header: 'priority' },
            { header: 'status' },
          ],
          list.map((s) => [
            s.id,
            s.type,
            s.title,
            formatMoney(s.current_cost, ctx.config.currency),
            formatMoney(s.potential_savings, ctx.config.currency),
            s.savings_percentage,
            s.priority,
            s.status,
          ]),
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
