// `costctl audit list`: the trail of every data-changing command.
import type { Command } from 'commander';
import { addJsonFlag, positiveInt } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import { listAudit } from '../services/ops/audit.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('who changed what, and when');
  addJsonFlag(
    audit
      .command('list')
      .description('latest entries first')
      .option('--limit <n>', 'at most n entries', positiveInt, 100),
  ).action(
    handler(async (ctx, opts: { limit: number; json?: boolean }) => {
      const entries = await ctx.withDb((db) => listAudit(db, opts.limit));
      ctx.out(
        opts.json
          ? renderJson(entries)
          : renderTable(
              [
                { header: 'id', align: 'right' },
                { header: 'at' },
                { header: 'actor' },
                { header: 'command' },
                { header: 'arguments' },
              ],
              entries.map((e) => [e.id, e.at, e.actor, e.command, e.args.join(' ')]),
            ),
      );
    }),
  );
}
