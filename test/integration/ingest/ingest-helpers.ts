// Shared by the ingest tests: a database with the bundled LiteLLM catalog, and ingest as the CLI runs it.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase, type Db } from '../../../src/db/database.js';
import { tempDbPath } from '../../helpers/temp.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { collectInputs } from '../../../src/services/ingest/inputs.js';
import { ingestFiles, planIngest, type IngestOptions } from '../../../src/services/ingest/pipeline.js';
import { LITELLM_CATALOG, ROOT, SAMPLES } from '../../helpers/cli.js';

export const NOW = new Date('2026-03-10T00:00:00Z');
export const FIXTURES = join(ROOT, 'fixtures');
export { SAMPLES };

export async function withCatalog(db: Db): Promise<void> {
  await importCatalog(db, LITELLM_CATALOG, 'litellm', readFileSync(LITELLM_CATALOG, 'utf8'), {
    now: new Date('2026-01-01T00:00:00Z'),
  });
}

export async function ingest(db: Db, paths: string[], options: Partial<IngestOptions> = {}) {
  return ingestFiles(db, planIngest(collectInputs(paths), options.format), { now: NOW, ...options });
}

export async function scalar(db: Db, sql: string, params: (string | number)[] = []): Promise<string | null> {
  const row = await db.one<Record<string, string | null>>(sql, params);
  return row ? (Object.values(row)[0] ?? null) : null;
}

let template: string | undefined;

/**
 * A fresh temp database that already holds the bundled catalog. The import (2,000+ models) is done once
 * per test file into a template that each test copies.
 */
export async function withCatalogDb<T>(fn: (db: Db, path: string) => Promise<T>): Promise<T> {
  if (!template || !existsSync(template)) {
    template = join(mkdtempSync(join(tmpdir(), 'costctl-catalog-')), 'template.duckdb');
    await withDatabase(template, { lockTimeoutMs: 5_000 }, withCatalog);
  }
  const path = tempDbPath();
  copyFileSync(template, path);
  return withDatabase(path, { lockTimeoutMs: 5_000 }, (db) => fn(db, path));
}
