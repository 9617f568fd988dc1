// `costctl rejects list`: the rows ingest refused, with file, line, reason and raw text.
import type { Command } from 'commander';
import { addJsonFlag, positiveInt } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

export function registerRejects(program: Command): void {
  const rejects = program.command('rejects').description('rows that ingest refused (file, line, reason, raw text)');
  addJsonFlag(
    rejects
      .command('list')
      .description('list rejected rows, oldest first')
      .option('--file <path>', 'only rows from this file (as given to ingest, or its ending)')
      .option('--limit <n>', 'at most n rows', positiveInt),
  ).action(
    handler(async (ctx, opts: { file?: string; limit?: number; json?: boolean }) => {
      const { listRejects } = await import('../services/usage/rejects.js');
      const rows = await ctx.withDb((db) => listRejects(db, opts));
      if (opts.json) return ctx.out(renderJson(rows));
      if (rows.length === 0) return ctx.out('No rejected rows.');
      const clip = (s: string | null, n: number) => (s === null ? '' : s.length > n ? `${s.slice(0, n - 1)}…` : s);
      ctx.out(
        renderTable(
          [{ header: 'file:line' }, { header: 'reason' }, { header: 'raw' }],
          rows.map((r) => [`${r.file}:${r.line ?? '?'}`, clip(r.reason, 60), clip(r.raw, 50)]),
        ),
      );
    }),
  );
}
