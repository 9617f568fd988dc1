// LiteLLM catalog import, then estimate, checked against a hand computation from the same JSON:
// tokens × the per-token price as written in the file, summed with decimal.js.
import { readFileSync } from 'node:fs';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits, type RequestUnits } from '../../../src/domain/pricing.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { estimateRequest } from '../../../src/services/prices/estimate.js';
import { LITELLM_CATALOG } from '../../helpers/cli.js';
import { withTempDb } from '../../helpers/db.js';

const text = readFileSync(LITELLM_CATALOG, 'utf8');
const catalog = JSON.parse(text) as Record<string, Record<string, number>>;
const NOW = new Date('2026-03-01T00:00:00Z');

/** The file's per-token price as its literal text (these values round-trip exactly through a double). */
function price(model: string, key: string): Decimal {
  const v = catalog[model]![key];
  if (v === undefined) throw new Error(`${model} has no ${key}`);
  return new Decimal(String(v));
}
const t = (n: bigint | number) => new Decimal(n.toString());

// Importing 2,360 models takes a few seconds: do it once, then give each test its own copy of the file.
let template = '';
let templateDir = '';
beforeAll(async () => {
  templateDir = mkdtempSync(join(tmpdir(), 'costctl-catalog-'));
  template = join(templateDir, 'catalog.duckdb');
  await withTempDb((db) => importCatalog(db, 'litellm.json', 'litellm', text, { now: NOW }), template);
});
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

function withCatalog<T>(fn: Parameters<typeof withTempDb<T>>[0]): Promise<T> {
  const copy = join(mkdtempSync(join(templateDir, 'case-')), 'db.duckdb');
  copyFileSync(template, copy);
  return withTempDb(fn, copy);
}

describe('LiteLLM catalog import + estimate', () => {
  it('prices cache reads, 5-minute and 1-hour cache writes at their own rates (claude-opus-4-6)', async () => {
    await withCatalog(async (db) => {
      const units = requestUnits({
        inputTokens: 1000n,
        outputTokens: 2000n,
        cacheReadTokens: 3000n,
        cacheWriteTokens: 4000n,
        cacheWrite1hTokens: 5000n,
      });
      const e = await estimateRequest(db, 'claude-opus-4-6', units, NOW);
      const m = 'claude-opus-4-6';
      const expected = {
        input: t(1000).times(price(m, 'input_cost_per_token')),
        output: t(2000).times(price(m, 'output_cost_per_token')),
        cacheRead: t(3000).times(price(m, 'cache_read_input_token_cost')),
        cacheWrite: t(4000)
          .times(price(m, 'cache_creation_input_token_cost'))
          .plus(t(5000).times(price(m, 'cache_creation_input_token_cost_above_1hr'))),
      };
      expect(new Decimal(e.input_cost!).eq(expected.input)).toBe(true);
      expect(new Decimal(e.output_cost!).eq(expected.output)).toBe(true);
      expect(new Decimal(e.cache_read_cost!).eq(expected.cacheRead)).toBe(true);
      expect(new Decimal(e.cache_write_cost!).eq(expected.cacheWrite)).toBe(true);
      const total = expected.input.plus(expected.output).plus(expected.cacheRead).plus(expected.cacheWrite);
      expect(e.total_cost).toBe(total.toFixed(Math.max(6, total.decimalPlaces())));
      expect(e.tier_applied).toBe(false);
    });
  });

  it('above 200K prompt tokens prices every tiered component at the tier rate (claude-sonnet-4-5)', async () => {
    await withCatalog(async (db) => {
      const m = 'claude-sonnet-4-5';
      // prompt = 180000 + 30000 + 100 = 210100 > 200000
      const units: RequestUnits = requestUnits({
        inputTokens: 180000n,
        outputTokens: 1000n,
        cacheReadTokens: 30000n,
        cacheWriteTokens: 100n,
      });
      const e = await estimateRequest(db, m, units, NOW);
      const expected = t(180000)
        .times(price(m, 'input_cost_per_token_above_200k_tokens'))
        .plus(t(1000).times(price(m, 'output_cost_per_token_above_200k_tokens')))
        .plus(t(30000).times(price(m, 'cache_read_input_token_cost_above_200k_tokens')))
        .plus(t(100).times(price(m, 'cache_creation_input_token_cost_above_200k_tokens')));
      expect(new Decimal(e.total_cost!).eq(expected)).toBe(true);
      expect(e.tier_applied).toBe(true);
    });
  });

  it('batch requests use the batch prices, cache reads keep theirs (gpt-4o-mini)', async () => {
    await withCatalog(async (db) => {
      const m = 'gpt-4o-mini';
      const units = requestUnits({
        inputTokens: 10000n,
        outputTokens: 3000n,
        cacheReadTokens: 7000n,
        requestType: 'batch',
      });
      const e = await estimateRequest(db, m, units, NOW);
      const expected = t(10000)
        .times(price(m, 'input_cost_per_token_batches'))
        .plus(t(3000).times(price(m, 'output_cost_per_token_batches')))
        .plus(t(7000).times(price(m, 'cache_read_input_token_cost')));
      expect(new Decimal(e.total_cost!).eq(expected)).toBe(true);
      expect(e.batch_applied).toBe(true);
    });
  });

  it('per-second models are priced by duration (azure/whisper-1)', async () => {
    await withCatalog(async (db) => {
      const m = 'azure/whisper-1';
      const e = await estimateRequest(db, m, requestUnits({ durationSeconds: new Decimal('37.5') }), NOW);
      expect(new Decimal(e.total_cost!).eq(new Decimal('37.5').times(price(m, 'input_cost_per_second')))).toBe(true);
    });
  });

  it('provider-prefixed names match the catalog entry', async () => {
    await withCatalog(async (db) => {
      const e = await estimateRequest(db, 'anthropic/claude-sonnet-4-5', requestUnits({ inputTokens: 1000n }), NOW);
      expect(e.model).toBe('claude-sonnet-4-5');
    });
  });

  it('re-import is idempotent; a changed price becomes a new version and old requests keep the old one', async () => {
    await withTempDb(async (db) => {
      const first = await importCatalog(db, 'litellm.json', 'litellm', text, { now: NOW });
      expect(first.added.length).toBeGreaterThan(2000);
      const again = await importCatalog(db, 'litellm.json', 'litellm', text, { now: new Date('2026-03-02T00:00:00Z') });
      expect(again).toMatchObject({ added: [], changed: [], unchanged: first.added.length });

      const edited = JSON.parse(text);
      edited['gpt-4o-mini'].input_cost_per_token = 2e-7;
      const later = new Date('2026-04-01T00:00:00Z');
      const third = await importCatalog(db, 'edited.json', 'litellm', JSON.stringify(edited), { now: later });
      expect(third.changed).toEqual(['gpt-4o-mini']);
      const before = await estimateRequest(
        db,
        'gpt-4o-mini',
        requestUnits({ inputTokens: 1000n }),
        new Date('2026-03-15T00:00:00Z'),
      );
      const after = await estimateRequest(
        db,
        'gpt-4o-mini',
        requestUnits({ inputTokens: 1000n }),
        new Date('2026-04-02T00:00:00Z'),
      );
      expect(before.total_cost).toBe(t(1000).times(price('gpt-4o-mini', 'input_cost_per_token')).toFixed(6));
      expect(after.total_cost).toBe('0.000200');
    });
  });

  it('a malformed catalog imports nothing and names the bad keys', async () => {
    await withTempDb(async (db) => {
      const bad =
        '{"good-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},' +
        ' "bad-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "abc", "output_cost_per_token": 1e-6}}';
      await expect(importCatalog(db, 'bad.json', 'litellm', bad, { now: NOW })).rejects.toThrow(
        /bad\.json: nothing imported.*\n.*key "bad-model": input_cost_per_token must be a number/,
      );
      const n = await db.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM models');
      expect(n?.n).toBe('0');
      await expect(importCatalog(db, 'broken.json', 'litellm', '{"a": ', { now: NOW })).rejects.toThrow(
        /broken\.json: nothing imported.*not valid JSON/s,
      );
    });
  });
});
