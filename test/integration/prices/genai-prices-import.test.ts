// genai-prices' data.json imported with its history, checked against the catalog's own text: every price
// is its per-million figure over 1,000 (per 1K tokens), and a dated price prices rows on either side of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { JsonNumber, parseJsonExact } from '../../../src/domain/exact-json.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { LITELLM_CATALOG, ROOT } from '../../helpers/cli.js';
import { withTempDb } from '../../helpers/db.js';
import type { Db } from '../../../src/db/database.js';

const GENAI = join(ROOT, 'fixtures', 'pricing', 'genai-prices-data.json');
const text = readFileSync(GENAI, 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');
type Obj = Record<string, unknown>;
const providers = parseJsonExact(text) as { id: string; models: Obj[] }[];

function entry(provider: string, id: string): Obj {
  return providers.find((p) => p.id === provider)!.models.find((m) => m.id === id)!;
}
/**
 * A per-million price from the file, as written, turned into per 1K tokens by hand, at the 18 decimals
 * prices are stored with (the file carries float artifacts such as 0.18000000000000002).
 */
const perK = (v: unknown) => new Decimal((v as JsonNumber).text).div(1000).toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN);

async function versionsOf(db: Db, model: string) {
  return db.all<Record<string, string | null>>(
    `SELECT effective_from::VARCHAR AS from_, input_price::VARCHAR AS input, output_price::VARCHAR AS output,
       tier_input_price::VARCHAR AS tier_input, tier_threshold_tokens::VARCHAR AS threshold, source
     FROM model_prices WHERE model_name = ? ORDER BY effective_from`,
    [model],
  );
}
const count = async (db: Db, table: string) =>
  Number((await db.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${table}`))!.n);

// A 300k-token Claude Code request: above the 200k long-context threshold.
const LONG = requestUnits({ inputTokens: 300_000n, outputTokens: 1_000n });

describe('genai-prices import', () => {
  it('stores every plain price as the catalog figure per million over 1,000', async () => {
    await withTempDb(async (db) => {
      const report = await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW, catalogDate: '2026-08-21' });
      expect(report.source).toBe('genai-prices 2026-08-21');
      const stored = new Map(
        (
          await db.all<{ model_name: string; provider: string; input: string; output: string }>(
            `SELECT p.model_name, m.provider, input_price::VARCHAR AS input, output_price::VARCHAR AS output
             FROM model_prices p JOIN models m ON m.name = p.model_name WHERE effective_from = '1970-01-01'`,
          )
        ).map((r) => [r.model_name, r]),
      );
      let checked = 0;
      for (const p of providers) {
        for (const m of p.models) {
          const prices = m.prices as Obj;
          if (Array.isArray(prices) || !(prices.input_mtok instanceof JsonNumber)) continue;
          // Stored under its plain id or as provider/id; either way the row names this provider.
          const row = [m.id as string, `${p.id}/${m.id}`].map((n) => stored.get(n)).find((r) => r?.provider === p.id);
          expect(row, `${p.id} ${m.id}`).toBeDefined();
          expect(new Decimal(row!.input).eq(perK(prices.input_mtok)), `${p.id} ${m.id} input`).toBe(true);
          const output = prices.output_mtok === undefined ? new Decimal(0) : perK(prices.output_mtok);
          expect(new Decimal(row!.output).eq(output), `${p.id} ${m.id} output`).toBe(true);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(1200);
      expect(report.added.length).toBe(stored.size);
      expect(report.unrepresentable['time-of-day prices']).toBe(2);
    });
  });

  it('makes the Anthropic change of 2026-03-13 a dated version: with the premium before, without after', async () => {
    await withTempDb(async (db) => {
      const report = await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW });
      expect(report.dated).toContain('claude-sonnet-4-6 from 2026-03-13');
      const [before, after] = (entry('anthropic', 'claude-sonnet-4-6').prices as Obj[]).map((o) => o.prices as Obj);
      const tier = (v: unknown) => ((v as Obj).tiers as Obj[])[0]!;
      expect(await versionsOf(db, 'claude-sonnet-4-6')).toEqual([
        {
          from_: '1970-01-01 00:00:00',
          input: perK((before!.input_mtok as Obj).base).toFixed(18),
          output: perK((before!.output_mtok as Obj).base).toFixed(18),
          tier_input: perK(tier(before!.input_mtok).price).toFixed(18),
          threshold: (tier(before!.input_mtok).start as JsonNumber).text,
          source: 'genai-prices',
        },
        {
          from_: '2026-03-13 00:00:00',
          input: perK(after!.input_mtok).toFixed(18),
          output: perK(after!.output_mtok).toFixed(18),
          tier_input: null,
          threshold: null,
          source: 'genai-prices',
        },
      ]);
      // By hand: 300,000 × $6/MTok + 1,000 × $22.50/MTok before; 300,000 × $3/MTok + 1,000 × $15/MTok after.
      const march1 = await estimateRequest(db, 'claude-sonnet-4-6', LONG, new Date('2026-03-01T12:00:00Z'));
      const march20 = await estimateRequest(db, 'claude-sonnet-4-6', LONG, new Date('2026-03-20T12:00:00Z'));
      expect(new Decimal(march1.total_cost!).eq('1.8225')).toBe(true);
      expect(march1.tier_applied).toBe(true);
      expect(new Decimal(march20.total_cost!).eq('0.915')).toBe(true);
      expect(march20.tier_applied).toBe(false);
    });
  });

  it('adds the dated version on top of the LiteLLM catalog, and stored usage rows price on either side', async () => {
    await withTempDb(async (db) => {
      await importCatalog(db, LITELLM_CATALOG, 'litellm', readFileSync(LITELLM_CATALOG, 'utf8'), { now: NOW });
      const report = await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW, catalogDate: '2026-08-21' });
      expect(report.changed).toContain('claude-sonnet-4-6');
      const versions = await versionsOf(db, 'claude-sonnet-4-6');
      expect(versions.map((v) => [v.from_, v.source])).toEqual([
        ['1970-01-01 00:00:00', 'litellm'],
        ['2026-03-13 00:00:00', 'genai-prices 2026-08-21'],
      ]);
      const at = (ts: string) =>
        recordUsage(
          db,
          { timestamp: new Date(ts), model: 'claude-sonnet-4-6', inputTokens: 300_000n, outputTokens: 1_000n },
          NOW,
        );
      expect(new Decimal((await at('2026-03-12T23:59:59Z')).total_cost!).eq('1.8225')).toBe(true);
      expect(new Decimal((await at('2026-03-13T00:00:00Z')).total_cost!).eq('0.915')).toBe(true);
    });
  });

  it("takes DeepSeek's price in force 16 hours a day, not its night discount, and counts the time-of-day prices", async () => {
    await withTempDb(async (db) => {
      const report = await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW });
      expect(report.unrepresentable['time-of-day prices']).toBe(2);
      const [night, day] = (entry('deepseek', 'deepseek-chat').prices as Obj[]).map((o) => o.prices as Obj);
      expect((day as Obj).input_mtok).not.toEqual(night!.input_mtok);
      const [v] = await versionsOf(db, 'deepseek-chat');
      expect([v!.input, v!.output]).toEqual([perK(day!.input_mtok).toFixed(18), perK(day!.output_mtok).toFixed(18)]);
    });
  });

  it('changes nothing when the same file is imported twice', async () => {
    await withTempDb(async (db) => {
      await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW });
      const versions = await count(db, 'model_prices');
      const again = await importCatalog(db, GENAI, 'genai-prices', text, { now: new Date('2026-12-02T00:00:00Z') });
      expect(again.added).toEqual([]);
      expect(again.changed).toEqual([]);
      expect(again.dated).toEqual([]);
      expect(again.unchanged).toBe(await count(db, 'models'));
      expect(await count(db, 'model_prices')).toBe(versions);
    });
  });

  it.each([
    ['not JSON', '[{"id": ', /not valid JSON/],
    ['an object, not a provider list', '{"anthropic": {}}', /expected a JSON list of providers/],
    [
      'a negative price',
      '[{"id":"x","models":[{"id":"m","prices":{"input_mtok":-1,"output_mtok":2}}]}]',
      /model 1 "m": input_mtok must not be negative \(-1\)/,
    ],
    [
      'a price as text',
      '[{"id":"x","models":[{"id":"m","prices":{"input_mtok":"1"}}]}]',
      /input_mtok must be a number, got "1"/,
    ],
    [
      'a start date that is no day',
      '[{"id":"x","models":[{"id":"m","prices":[{"prices":{"input_mtok":1}},{"constraint":{"start_date":"2026-02-30"},"prices":{"input_mtok":2}}]}]}]',
      /start_date "2026-02-30" must be a date YYYY-MM-DD/,
    ],
  ])('refuses %s and stores nothing', async (_what, bad, message) => {
    await withTempDb(async (db) => {
      await importCatalog(db, GENAI, 'genai-prices', text, { now: NOW });
      const before = await count(db, 'model_prices');
      await expect(importCatalog(db, 'bad.json', 'genai-prices', bad, { now: NOW })).rejects.toThrow(message);
      expect(await count(db, 'model_prices')).toBe(before);
    });
  });
});
