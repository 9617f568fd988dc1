// `costctl backup DIR` and `costctl restore DIR --db NEW [--force]`.
import type { Command } from 'commander';
import { handler } from '../cli/handler.js';
import { UsageError } from '../errors.js';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('a consistent copy of the database as Parquet files (EXPORT DATABASE) into a new or empty folder')
    .argument('<dir>')
    .action(
      handler(async (ctx, _opts, dir: string) => {
        const { backupDatabase } = await import('../services/ops/backup.js');
        const manifest = await ctx.withDb((db) => backupDatabase(db, dir, ctx.now()));
        const rows = Object.values(manifest.tables).reduce((s, t) => s + BigInt(t.rows), 0n);
        ctx.out(
          `backed up ${ctx.config.db} to ${dir}: ${Object.keys(manifest.tables).length} tables, ${rows} rows (restore with \`costctl restore ${dir} --db NEW\`)`,
        );
      }),
    );

  program
    .command('restore')
    .description('restore a backup into a database file; refuses to replace an existing file unless --force')
    .argument('<dir>')
    .option('--force', 'replace the existing database file')
    .action(
      handler(async (ctx, opts: { force?: boolean }, dir: string) => {
        if (!process.argv.slice(2).some((a) => a === '--db' || a.startsWith('--db='))) {
          throw new UsageError(
            'restore needs --db NEW: the database file to create (so the default database is never replaced by accident)',
          );
        }
        const { restoreDatabase } = await import('../services/ops/backup.js');
        const r = await restoreDatabase(dir, ctx.config.db, {
          force: Boolean(opts.force),
          lockTimeoutMs: ctx.config.lockTimeoutMs,
        });
        ctx.out(
          `restored ${dir} into ${r.db}${r.replaced ? ' (replaced the existing file)' : ''}: ${r.tables} tables, ${r.rows} rows, every count and total checked against the backup`,
        );
      }),
    );
}
