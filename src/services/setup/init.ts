// `costctl init`: write a config file and prepare the database, optionally with the bundled catalog.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { bundledCatalogPath, bundledGenaiPricesPath } from '../../config/paths.js';
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

/** The dates of the bundled catalogs (fixtures/pricing/README.md names their upstream commits). */
export const BUNDLED_CATALOG_DATES = { litellm: '2026-02-21', 'genai-prices': '2026-08-21' } as const;

export async function importBundledCatalog(db: Db, now: Date): Promise<ImportReport> {
  const path = bundledCatalogPath();
  return importCatalog(db, path, 'litellm', readFileSync(path, 'utf8'), {
    now,
    catalogDate: BUNDLED_CATALOG_DATES.litellm,
  });
}

/**
 * `init`: LiteLLM's catalog, then genai-prices' newer one filling its gaps: models LiteLLM's February copy
 * lacks (Opus 4.7/4.8, Sonnet 5…) and dated changes (no >200k premium for Claude 4.6 from 2026-03-13).
 * Prices both state are LiteLLM's; `costctl models diff` shows where they disagree.
 */
export async function importBundledCatalogs(db: Db, now: Date): Promise<ImportReport[]> {
  const litellm = await importBundledCatalog(db, now);
  const path = bundledGenaiPricesPath();
  const genai = await importCatalog(db, path, 'genai-prices', readFileSync(path, 'utf8'), {
    now,
    catalogDate: BUNDLED_CATALOG_DATES['genai-prices'],
    fillGaps: true,
  });
  return [litellm, genai];
}
