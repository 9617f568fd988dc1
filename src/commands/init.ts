// `costctl init`: a wizard on a terminal, the same answers as flags with --yes anywhere else.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isValidTimeZone } from '../domain/time.js';
import { UsageError } from '../errors.js';
import { commandContext, handler } from '../cli/handler.js';
import { importBundledCatalogs, writeConfigFile, type InitAnswers } from '../services/setup/init.js';

interface InitOptions {
  yes?: boolean;
  currency: string;
  importCatalog: boolean;
  smtpUrl?: string;
  outboxDir?: string;
  force?: boolean;
}

function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a config file and prepare the database (a wizard on a terminal; flags with --yes)')
    .option('-y, --yes', 'take the flags (and defaults) without asking')
    .option('--currency <code>', "reporting currency: the catalog's, USD (costctl converts nothing)", 'USD')
    .option('--no-import-catalog', 'do not import the bundled LiteLLM price catalog')
    .option('--smtp-url <url>', 'send email through this SMTP server (smtp:// or smtps://)')
    .option('--outbox-dir <dir>', 'write emails as .eml files here when no SMTP server is set')
    .option('--force', 'replace an existing config file')
    .action(
      handler(
        async (ctx, opts: InitOptions) => {
          if (opts.smtpUrl && opts.outboxDir) throw new UsageError('give --smtp-url or --outbox-dir, not both');
          const configPath = ctx.config.configPath;
          let answers: InitAnswers = {
            configPath,
            db: ctx.config.db,
            // Nobody named a zone: the machine's own is a better guess than UTC for "which day is it".
            tz: ctx.config.origins.tz === 'default' ? systemTimeZone() : ctx.config.tz,
            currency: opts.currency,
            importCatalog: opts.importCatalog,
            smtpUrl: opts.smtpUrl,
            outboxDir: opts.outboxDir,
            force: Boolean(opts.force),
          };
          if (!opts.yes) {
            if (!process.stdin.isTTY || !ctx.interactive) {
              throw new UsageError(
                'init has no terminal to ask on: pass --yes with flags (--db, --tz, --currency, --smtp-url or --outbox-dir)',
              );
            }
            const { askInitAnswers } = await import('../prompts/init.js');
            answers = await askInitAnswers(answers);
          }
          writeConfigFile(answers);
          ctx.err(`wrote ${answers.configPath}`);
          // Open (create and migrate) the database the config names, importing the catalog if asked.
          const target = commandContext({
            flags: { db: answers.db, tz: answers.tz, config: answers.configPath },
            // init imports the catalog itself, only when asked (--no-import-catalog leaves it empty).
            seedCatalog: false,
            env: ctx.env,
            invocation: ctx.invocation,
          });
          const reports = await target.withDb(
            async (db) => (answers.importCatalog ? importBundledCatalogs(db, ctx.now()) : []),
            { mutates: true },
          );
          const summary = reports.map(
            (r) =>
              `${r.source}: ${r.added.length} models added, ${r.changed.length} changed, ${r.dated.length} dated prices, ${r.unchanged} unchanged`,
          );
          ctx.err(`database ${resolve(answers.db)} ready${summary.length ? `: ${summary.join('; ')}` : ''}`);
        },
        { allowMissingConfig: true },
      ),
    );
}
