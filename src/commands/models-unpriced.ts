// `costctl models unpriced`: usage rows whose model the catalog cannot price, per model.
import type { Command } from 'commander';
import { addJsonFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import { formatCount } from '../render/count.js';

export function registerModelsUnpriced(program: Command): void {
  const models = program.commands.find((c) => c.name() === 'models');
  if (!models) throw new Error('registerModelsUnpriced must run after registerModels');
  addJsonFlag(
    models
      .command('unpriced')
      .description(
        'models in usage with no price (rows carry no cost) or with components without one (partly unpriced)',
      ),
  ).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { unpricedUsage } = await import('../services/prices/unpriced.js');
      const rows = await ctx.withDb((db) => unpricedUsage(db));
      if (opts.json) return ctx.out(renderJson(rows));
      if (rows.length === 0) return ctx.out('Every usage row is priced.');
      ctx.out(
        renderTable(
          [
            { header: 'model' },
            { header: 'no price for' },
            { header: 'rows', align: 'right' },
            { header: 'input tokens', align: 'right' },
            { header: 'output tokens', align: 'right' },
            { header: 'first seen' },
            { header: 'last seen' },
          ],
          rows.map((r) => [
            r.model,
            r.unpriced_parts ?? 'the model',
            formatCount(r.rows),
            formatCount(r.input_tokens),
            formatCount(r.output_tokens),
            r.first_seen,
            r.last_seen,
          ]),
        ),
      );
      ctx.err(
        'add a price with `costctl models add NAME …` (or an alias with `models update --alias`), then run `costctl reprice`',
      );
    }),
  );
}
