// `models sync`: the current catalog fetched from its publisher over HTTPS, checked whole before anything
// is stored (a failed, truncated or malformed download, or one that would drop many models, changes
// nothing), then applied like an import: new models added, changed prices as new versions.
import { DataError, UsageError } from '../../errors.js';
import type { Db } from '../../db/database.js';
import { allPriceVersions } from './catalog.js';
import {
  applyParsedCatalog,
  detectCatalogFormat,
  parsedOrThrow,
  type CatalogFormat,
  type ImportReport,
} from './import/apply.js';

/** Where each publisher keeps its current catalog (the same files fixtures/pricing holds older copies of). */
export const SYNC_SOURCES = {
  litellm: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
  'genai-prices': 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json',
  langfuse: 'https://raw.githubusercontent.com/langfuse/langfuse/main/worker/src/constants/default-model-prices.json',
} as const;
export type SyncSourceName = keyof typeof SYNC_SOURCES;

/** A download may drop a few models; more than this share of a catalog's models needs --allow-removals. */
export const REMOVAL_LIMIT = 0.05;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `--source`: a publisher's name or a URL; plain HTTP only to this machine (a local mirror, the tests). */
export function resolveSyncSource(source: string): { url: URL; format?: CatalogFormat } {
  if (source in SYNC_SOURCES) {
    const name = source as SyncSourceName;
    return { url: new URL(SYNC_SOURCES[name]), format: name };
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new UsageError(
      `--source: "${source}" is neither ${Object.keys(SYNC_SOURCES).join(', ')} nor a URL (https://…)`,
    );
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return { url };
  throw new UsageError(`--source: ${url.protocol}// is not allowed; give an https:// URL`);
}

export interface SyncOptions {
  source: string;
  format?: CatalogFormat;
  allowRemovals: boolean;
  now: Date;
  timeoutMs?: number;
}

export interface SyncReport extends ImportReport {
  url: string;
  /** Models this catalog priced before that the download no longer lists (kept, with their history). */
  missing: string[];
}

/** The whole body, or a DataError saying why not; nothing is stored by this step. */
async function download(url: URL, timeoutMs: number): Promise<{ text: string; lastModified: string | null }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    throw new DataError(`${url}: download failed (${(e as Error).cause ?? (e as Error).message}); nothing changed`);
  }
  if (!response.ok) {
    throw new DataError(`${url}: HTTP ${response.status} ${response.statusText}; nothing changed, try again later`);
  }
  try {
    // A body cut short of its Content-Length fails here rather than parsing as a smaller file.
    return { text: await response.text(), lastModified: response.headers.get('last-modified') };
  } catch (e) {
    throw new DataError(
      `${url}: download ended early (${(e as Error).cause ?? (e as Error).message}); nothing changed, try again`,
    );
  }
}

/** The catalog's date: when the publisher last changed the file, else the day it was fetched. */
function catalogDay(lastModified: string | null, now: Date): string {
  const modified = lastModified ? new Date(lastModified) : undefined;
  return (modified && !Number.isNaN(modified.getTime()) ? modified : now).toISOString().slice(0, 10);
}

export async function syncCatalog(db: Db, options: SyncOptions): Promise<SyncReport> {
  const { url, format: named } = resolveSyncSource(options.source);
  const { text, lastModified } = await download(url, options.timeoutMs ?? 120_000);
  const format = options.format ?? named ?? detectCatalogFormat(url.pathname, text);
  const where = url.toString();
  const parsed = parsedOrThrow(where, format, text);
  if (parsed.entries.length === 0) throw new DataError(`${where}: the download lists no models; nothing changed`);
  // Models whose latest price came from this catalog and that the download no longer lists.
  const listed = new Set(parsed.entries.map((e) => e.model.name));
  const fromThisCatalog = [...(await allPriceVersions(db))].filter(([, versions]) => {
    const source = versions[versions.length - 1]?.source ?? '';
    return source === format || source.startsWith(`${format} `);
  });
  const missing = fromThisCatalog.map(([name]) => name).filter((name) => !listed.has(name));
  if (!options.allowRemovals && missing.length > fromThisCatalog.length * REMOVAL_LIMIT) {
    throw new DataError(
      `${where}: the download lacks ${missing.length} of the ${fromThisCatalog.length} models this catalog priced (e.g. ${missing.slice(0, 3).join(', ')}); nothing changed. If the publisher really dropped them, run again with --allow-removals (they keep their prices)`,
    );
  }
  const report = await applyParsedCatalog(db, where, format, parsed, {
    now: options.now,
    catalogDate: catalogDay(lastModified, options.now),
  });
  return { ...report, url: where, missing };
}
