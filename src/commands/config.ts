// `costctl config show`: what is in force (config file, database, zone, currency, outbox, SMTP) and where
// each value came from, so "which database am I looking at?" has an answer before anything is opened.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { addJsonFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { databasePath } from '../context.js';
import { maskUrlPassword } from '../domain/mask.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

interface Setting {
  key: string;
  value: string;
  from: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function registerConfig(program: Command): void {
  const config = program.command('config').description('show the configuration in force');
  addJsonFlag(
    config
      .command('show')
      .description(
        'print the config file, database, zone, currency, outbox and SMTP in force, and where each came from',
      ),
  ).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const c = ctx.config;
      const db = databasePath(c.db);
      const settings: Setting[] = [
        {
          key: 'config file',
          value: c.configFile ?? `${c.configPath} (not found: no file in force)`,
          from: c.origins.config,
        },
        { key: 'db', value: existsSync(db) ? db : `${db} (does not exist yet)`, from: c.origins.db },
        { key: 'tz', value: c.tz, from: c.origins.tz },
        { key: 'currency', value: c.currency, from: c.origins.currency },
        { key: 'outbox_dir', value: resolve(c.outboxDir), from: c.origins.outbox_dir },
        {
          key: 'smtp.url',
          value: c.smtp.url ? maskUrlPassword(c.smtp.url) : '(none: emails are .eml files in outbox_dir)',
          from: c.origins['smtp.url'],
        },
        { key: 'smtp.from', value: c.smtp.from, from: c.origins['smtp.from'] },
        {
          key: 'smtp.password',
          value: c.smtp.password ? '***' : '(none)',
          from: ctx.env.COSTCTL_SMTP_PASSWORD
            ? 'env COSTCTL_SMTP_PASSWORD'
            : c.smtp.password
              ? 'config file'
              : 'default',
        },
        { key: 'lock_timeout_ms', value: String(c.lockTimeoutMs), from: c.origins.lock_timeout_ms },
        { key: 'accepted_from', value: day(c.acceptedInstants.from), from: c.origins.accepted_from },
        {
          key: 'accepted_to',
          value: day(new Date(c.acceptedInstants.end.getTime() - 86_400_000)),
          from: c.origins.accepted_to,
        },
      ];
      if (opts.json) return ctx.out(renderJson(settings));
      ctx.out(
        renderTable(
          [{ header: 'setting' }, { header: 'value' }, { header: 'from' }],
          settings.map((s) => [s.key, s.value, s.from]),
        ),
      );
    }),
  );
}
