// `models sync` against a real HTTP server on loopback serving the real catalog files: a good download is
// applied and dated; a 500, a truncated body, a non-JSON body or a file lacking half the models changes nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { resolveSyncSource, syncCatalog } from '../../../src/services/prices/sync.js';
import { ROOT } from '../../helpers/cli.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { addAdjustment, listAdjustments } from '../../../src/services/prices/adjustments.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { withTempDb } from '../../helpers/db.js';
import type { Db } from '../../../src/db/database.js';

const GENAI = readFileSync(join(ROOT, 'fixtures', 'pricing', 'genai-prices-data.json'), 'utf8');
const LANGFUSE = readFileSync(join(ROOT, 'fixtures', 'pricing', 'langfuse-default-model-prices.json'), 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');

/** Langfuse's file with every second model left out. */
const HALF_LANGFUSE = JSON.stringify((JSON.parse(LANGFUSE) as unknown[]).filter((_, i) => i % 2 === 0));

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/genai-prices/data.json':
        res.writeHead(200, { 'content-type': 'application/json', 'last-modified': 'Fri, 21 Aug 2026 09:00:00 GMT' });
        res.end(GENAI);
        return;
      case '/langfuse.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(LANGFUSE);
        return;
      case '/langfuse-half.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(HALF_LANGFUSE);
        return;
      case '/truncated.json': {
        // Announces the whole file, sends half, then drops the connection.
        res.writeHead(200, { 'content-length': Buffer.byteLength(GENAI) });
        res.write(GENAI.slice(0, GENAI.length / 2));
        res.socket?.destroy();
        return;
      }
      case '/cut-short.json':
        // No length announced: the body simply stops mid-file.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(GENAI.slice(0, GENAI.length / 2));
        return;
      case '/error.json':
        res.writeHead(500, 'Internal Server Error');
        res.end('oops');
        return;
      case '/html.json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Rate limited</title>');
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function snapshot(db: Db): Promise<string> {
  const rows = await db.all(
    `SELECT model_name, effective_from::VARCHAR AS f, input_price::VARCHAR AS i, source FROM model_prices ORDER BY 1, 2`,
  );
  return JSON.stringify(rows);
}

describe('models sync', () => {
  it('applies a good download, dated by its Last-Modified, and a second sync changes nothing', async () => {
    await withTempDb(async (db) => {
      const first = await syncCatalog(db, {
        source: `${base}/genai-prices/data.json`,
        allowRemovals: false,
        now: NOW,
      });
      expect(first.format).toBe('genai-prices');
      expect(first.source).toBe('genai-prices 2026-08-21');
      expect(first.added.length).toBeGreaterThan(1000);
      expect(first.dated).toContain('claude-sonnet-4-6 from 2026-03-13');
      const stored = await snapshot(db);
      const second = await syncCatalog(db, {
        source: `${base}/genai-prices/data.json`,
        allowRemovals: false,
        now: NOW,
      });
      expect([second.added.length, second.changed.length, second.missing.length]).toEqual([0, 0, 0]);
      expect(await snapshot(db)).toBe(stored);
    });
  });

  it("keeps the operator's discount through a sync that reprices the provider, and applies it to the new prices", async () => {
    await withTempDb(async (db) => {
      await syncCatalog(db, { source: `${base}/langfuse.json`, allowRemovals: false, now: NOW });
      const discount = await addAdjustment(
        db,
        {
          kind: 'discount',
          provider: 'anthropic',
          modelPattern: 'claude-sonnet-4-6',
          percent: new Decimal(20),
          from: new Date(0),
          until: null,
          note: null,
        },
        NOW,
      );
      const synced = await syncCatalog(db, {
        source: `${base}/genai-prices/data.json`,
        allowRemovals: false,
        now: NOW,
      });
      expect(synced.changed.length + synced.dated.length).toBeGreaterThan(0);
      expect(await listAdjustments(db)).toEqual([discount]);
      const units = requestUnits({ inputTokens: 1_000_000n });
      const listed = await estimateRequest(db, 'claude-sonnet-4-6', units, NOW);
      // genai-prices: $3 / 1M input for Sonnet 4.6 after 2026-03-13; 20 % off is $2.40.
      expect([listed.total_cost, listed.price_rules]).toEqual(['2.400000', ['discount 20 % (#1)']]);
    });
  });

  it.each([
    ['a 500', '/error.json', /error\.json: HTTP 500 Internal Server Error; nothing changed/],
    ['a body cut short of its Content-Length', '/truncated.json', /truncated\.json: download (ended early|failed)/],
    [
      'a body that stops mid-file',
      '/cut-short.json',
      /cut-short\.json: nothing imported, 1 problem\(s\):\n.*not valid JSON/,
    ],
    ['an HTML page', '/html.json', /html\.json: nothing imported.*\n.*not valid JSON/],
    ['a 404', '/missing.json', /missing\.json: HTTP 404/],
  ])('refuses %s and leaves the stored catalog as it was', async (_what, path, message) => {
    await withTempDb(async (db) => {
      await importCatalog(db, 'genai.json', 'genai-prices', GENAI, { now: NOW });
      const before = await snapshot(db);
      await expect(
        syncCatalog(db, { source: `${base}${path}`, format: 'genai-prices', allowRemovals: false, now: NOW }),
      ).rejects.toThrow(message);
      expect(await snapshot(db)).toBe(before);
    });
  });

  it('refuses a download lacking half the models unless --allow-removals, which keeps them priced', async () => {
    await withTempDb(async (db) => {
      const first = await syncCatalog(db, { source: `${base}/langfuse.json`, allowRemovals: false, now: NOW });
      const before = await snapshot(db);
      const refused = syncCatalog(db, { source: `${base}/langfuse-half.json`, allowRemovals: false, now: NOW });
      await expect(refused).rejects.toThrow(/lacks \d+ of the \d+ models this catalog priced .*--allow-removals/);
      expect(await snapshot(db)).toBe(before);
      const allowed = await syncCatalog(db, { source: `${base}/langfuse-half.json`, allowRemovals: true, now: NOW });
      const kept = new Set((JSON.parse(HALF_LANGFUSE) as { modelName: string }[]).map((m) => m.modelName));
      expect([...allowed.missing].sort()).toEqual(first.added.filter((name) => !kept.has(name)).sort());
      expect(allowed.changed).toEqual([]);
      expect(await snapshot(db)).toBe(before); // the missing models keep their prices: nothing is deleted
    });
  });

  it.each([
    ['a name it does not know', 'openai', /--source: "openai" is neither litellm, genai-prices, langfuse nor a URL/],
    [
      'plain HTTP to another machine',
      'http://example.com/prices.json',
      /--source: http:\/\/ is not allowed; give an https:\/\/ URL/,
    ],
    ['another scheme', 'file:///etc/passwd', /--source: file:\/\/ is not allowed/],
  ])('refuses --source as %s', (_what, source, message) => {
    expect(() => resolveSyncSource(source)).toThrow(message);
  });

  it('names each publisher by its HTTPS address', () => {
    for (const name of ['litellm', 'genai-prices', 'langfuse']) {
      const { url, format } = resolveSyncSource(name);
      expect([url.protocol, format]).toEqual(['https:', name]);
    }
  });
});
