// `costctl init`: write a config file and prepare the database, optionally with the bundled catalog.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { bundledCatalogPath } from '../../config/paths.js';
import { validateConfig } from '../../config/schema.js';
import type { Db } from '../../db/database.js';
import { importCatalog, type ImportReport } from '../prices/import/apply.js';

export interface InitAnswers {
  configPath: string;
  db: string;
  tz: string;
  currency: string;
  importCatalog: boolean;
  smtpUrl?: string;
  outboxDir?: string;
  force: boolean;
}

/**
 * The config file `init` writes: only what differs from nothing, so defaults can evolve. Paths are stored
 * absolute: the file is user-wide, and a relative path would name a new, empty database in every folder.
 */
export function configFromAnswers(a: InitAnswers): Record<string, unknown> {
  const config: Record<string, unknown> = { db: resolve(a.db), tz: a.tz, currency: a.currency };
  if (a.smtpUrl) config.smtp = { url: a.smtpUrl };
  if (a.outboxDir) config.outbox_dir = resolve(a.outboxDir);
  return config;
}

export function writeConfigFile(a: InitAnswers): Record<string, unknown> {
  const config = configFromAnswers(a);
  const problems = validateConfig(config);
  if (problems.length) {
    throw new UsageError(
      problems
        .map((p) => `${p.key === 'smtp.url' ? '--smtp-url' : `--${p.key.replace('_', '-')}`}: ${p.message}`)
        .join('; '),
    );
  }
  if (existsSync(a.configPath) && !a.force) {
    throw new UsageError(`config file ${a.configPath} already exists (pass --force to replace it)`);
  }
  mkdirSync(dirname(a.configPath), { recursive: true });
  // The file may hold an SMTP password inside the URL: readable by its owner only.
  writeFileSync(a.configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return config;
}

export async function importBundledCatalog(db: Db, now: Date): Promise<ImportReport> {
  const path = bundledCatalogPath();
  return importCatalog(db, path, 'litellm', readFileSync(path, 'utf8'), { now });
}
