// `costctl directory …`: who belongs to which department, organization and project.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

export function registerDirectory(program: Command): void {
  const directory = program
    .command('directory')
    .description('the user directory: department, organization, project per user');

  addJsonFlag(
    directory
      .command('import')
      .description('add or replace users from a CSV (user_id, department, organization, project, email)')
      .argument('<file>'),
  ).action(
    handler(async (ctx, opts: { json?: boolean }, file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const { parseDirectoryCsv, importDirectory } = await import('../services/limits/directory.js');
      const entries = parseDirectoryCsv(file, text);
      const result = await ctx.withDb((db) => importDirectory(db, entries, ctx.now()), { mutates: true });
      if (opts.json) ctx.out(renderJson({ file, users: entries.length, ...result }));
      else ctx.out(`${file}: ${entries.length} user(s): ${result.added} added, ${result.updated} updated`);
    }),
  );

  addJsonFlag(directory.command('list').description('every user in the directory')).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { listDirectory } = await import('../services/limits/directory.js');
      const entries = await ctx.withDb((db) => listDirectory(db));
      if (opts.json) ctx.out(renderJson(entries));
      else if (entries.length === 0)
        ctx.out('The directory is empty. Import one with `costctl directory import FILE`.');
      else {
        ctx.out(
          renderTable(
            ['user', 'department', 'organization', 'project', 'email'].map((header) => ({ header })),
            entries.map((e) => [e.user_id, e.department, e.organization, e.project, e.email]),
          ),
        );
      }
    }),
  );
}
