// The OpenAI and Anthropic report adapters on a real temp DuckDB with the fixtures in fixtures/openai and
// fixtures/anthropic; expected totals are the hand sums written in each folder's README.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anthropicCostAdapter, anthropicUsageAdapter } from '../../../src/ingest/billing/anthropic.js';
import { openaiCostsAdapter, openaiUsageAdapter } from '../../../src/ingest/billing/openai.js';
import type { Adapter } from '../../../src/ingest/types.js';
import type { Db } from '../../../src/db/database.js';
import { withTempDb } from '../../helpers/db.js';
import { ROOT } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { inputFile } from '../../../src/services/ingest/inputs.js';

const OPENAI = join(ROOT, 'fixtures', 'openai');
const ANTHROPIC = join(ROOT, 'fixtures', 'anthropic');

async function stage(db: Db, adapter: Adapter, path: string) {
  const result = await adapter.stage(db, inputFile(path, true), { source: adapter.format });
  const staged = await db.all('SELECT * FROM staged ORDER BY line');
  const rejects = await db.all('SELECT line, reason FROM staged_rejects ORDER BY line, reason');
  return { result, staged, rejects };
}

const billedSum = async (db: Db) =>
  (await db.one<{ t: string }>('SELECT sum(billed_cost)::VARCHAR AS t FROM staged'))!.t;
const tokenSums = async (db: Db) =>
  db.one(`SELECT sum(input_tokens)::VARCHAR AS input, sum(output_tokens)::VARCHAR AS output, sum(cache_read_tokens)::VARCHAR AS cache_read,
            sum(cache_write_tokens)::VARCHAR AS cache_write, sum(cache_write_1h_tokens)::VARCHAR AS cache_write_1h, sum(requests)::VARCHAR AS requests
          FROM staged`);

describe('openai-costs', () => {
  it('loads costs-page.json: 4 lines, 4.1909 USD, models from line items', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, openaiCostsAdapter, join(OPENAI, 'costs-page.json'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(4);
      expect(await billedSum(db)).toBe('4.190900000000000000');
      expect(staged.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini', null, 'gpt-4o-mini']);
      expect(staged[0]).toMatchObject({
        provider: 'openai',
        charge_period_start: '2026-03-01 00:00:00',
        charge_period_end: '2026-03-02 00:00:00',
        sku: 'gpt-4o-mini, input',
        quantity: '12000000.000000000',
        unit: 'tokens',
        currency: 'USD',
      });
      expect(JSON.parse(staged[0]!.tags)).toEqual({ project_id: 'proj_sales' });
      expect(staged[3]!.billed_cost).toBe('0.340900000000000000');
    });
  });

  it('an overlapping JSONL export repeats the same key for the same charge', async () => {
    await withTempDb(async (db) => {
      const first = (await stage(db, openaiCostsAdapter, join(OPENAI, 'costs-page.json'))).staged;
      const second = (await stage(db, openaiCostsAdapter, join(OPENAI, 'costs-overlap.jsonl'))).staged;
      const keys = new Set(first.map((r) => r.line_key));
      expect(second.map((r) => keys.has(r.line_key))).toEqual([true, false]);
      expect(second.map((r) => r.line)).toEqual(['1', '2']);
      expect(second[1]!.billed_cost).toBe('0.100000000000000000');
    });
  });

  it('rejects each broken result and the broken line of costs-broken.jsonl, loads the rest', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, openaiCostsAdapter, join(OPENAI, 'costs-broken.jsonl'));
      expect(result.rowsRead).toBe(6);
      expect(await billedSum(db)).toBe('1.500000000000000000');
      expect(staged.map((r) => r.line)).toEqual(['1', '3']);
      expect(rejects).toEqual([
        { line: '1', reason: 'data[0].results[1]: amount.value "abc" is not a decimal number' },
        { line: '2', reason: expect.stringMatching(/^broken JSON line: /) },
        { line: '3', reason: 'data[0].results[0]: amount is missing' },
        { line: '3', reason: 'data[1].results[0]: bucket start_time "yesterday" must be unix seconds' },
      ]);
    });
  });

  it('a file that is not JSON at all fails with one line naming the file (exit 1)', async () => {
    const path = join(tempDir(), 'costs.json');
    writeFileSync(path, '{"object": "page", "data": [ {"object":"organization.costs.result"\n  oops');
    await withTempDb(async (db) => {
      await expect(openaiCostsAdapter.stage(db, inputFile(path, true), { source: 'x' })).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/costs\.json: not valid JSON/),
      });
    });
  });
});

describe('openai-usage', () => {
  it('loads usage-page.json: 3 rows with hand-summed tokens and requests', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, openaiUsageAdapter, join(OPENAI, 'usage-page.json'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(3);
      expect(await tokenSums(db)).toEqual({
        input: '7000',
        output: '1210',
        cache_read: '200',
        cache_write: '0',
        cache_write_1h: '0',
        requests: '6',
      });
      expect(staged.map((r) => [r.ts, r.model, r.user_id, r.project, r.request_type])).toEqual([
        ['2026-03-01 00:00:00', 'gpt-4o-mini-2024-07-18', 'user_17', 'proj_sales', null],
        ['2026-03-01 00:00:00', 'gpt-4o-2024-08-06', 'user_18', 'proj_sales', 'batch'],
        ['2026-03-02 00:00:00', 'gpt-4o-mini-2024-07-18', 'user_17', 'proj_sales', null],
      ]);
      expect(new Set(staged.map((r) => r.request_id)).size).toBe(3);
      expect(staged.every((r) => r.provider === 'openai' && r.source === 'openai-usage')).toBe(true);
    });
  });

  it('gives the same request ids on a second read (re-ingest is idempotent)', async () => {
    await withTempDb(async (db) => {
      const a = (await stage(db, openaiUsageAdapter, join(OPENAI, 'usage-page.json'))).staged.map((r) => r.request_id);
      const b = (await stage(db, openaiUsageAdapter, join(OPENAI, 'usage-page.json'))).staged.map((r) => r.request_id);
      expect(b).toEqual(a);
    });
  });

  it('rejects negative, fractional, model-less and non-token results of usage-broken.json', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, openaiUsageAdapter, join(OPENAI, 'usage-broken.json'));
      expect(result.rowsRead).toBe(5);
      expect(staged.map((r) => [r.line, r.input_tokens, r.output_tokens])).toEqual([['1', '100', '10']]);
      expect(rejects).toEqual([
        { line: '2', reason: 'data[0].results[1]: input_tokens -5 must be a whole number ≥ 0' },
        { line: '3', reason: 'data[0].results[2]: output_tokens 1.5 must be a whole number ≥ 0' },
        { line: '4', reason: expect.stringContaining('data[0].results[3]: model is missing') },
        { line: '5', reason: expect.stringContaining('"organization.usage.images.result" is not token usage') },
      ]);
    });
  });
});

describe('OpenAI dashboard exports (TSV)', () => {
  it('dashboard-costs.tsv: the same 4 charges and line keys as costs-page.json; the no-activity day is skipped', async () => {
    await withTempDb(async (db) => {
      const json = (await stage(db, openaiCostsAdapter, join(OPENAI, 'costs-page.json'))).staged;
      const { result, staged, rejects } = await stage(db, openaiCostsAdapter, join(OPENAI, 'dashboard-costs.tsv'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(4);
      expect(await billedSum(db)).toBe('4.190900000000000000');
      expect(staged.map((r) => r.line_key)).toEqual(json.map((r) => r.line_key));
      expect(staged.map((r) => r.line)).toEqual(['2', '3', '4', '5']);
      expect(staged[0]).toMatchObject({
        charge_period_start: '2026-03-01 00:00:00',
        charge_period_end: '2026-03-02 00:00:00',
        model: 'gpt-4o-mini',
      });
    });
  });

  it('dashboard-usage.tsv: float counts read as whole numbers, same request ids as usage-page.json', async () => {
    await withTempDb(async (db) => {
      const json = (await stage(db, openaiUsageAdapter, join(OPENAI, 'usage-page.json'))).staged;
      const { result, staged, rejects } = await stage(db, openaiUsageAdapter, join(OPENAI, 'dashboard-usage.tsv'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(3);
      expect(await tokenSums(db)).toEqual({
        input: '7000',
        output: '1210',
        cache_read: '200',
        cache_write: '0',
        cache_write_1h: '0',
        requests: '6',
      });
      expect(staged.map((r) => r.request_id)).toEqual(json.map((r) => r.request_id));
      expect(staged.map((r) => r.request_type)).toEqual([null, 'batch', null]);
    });
  });

  it('rejects a row with a fractional count or a bad amount, naming its line', async () => {
    const dir = tempDir();
    const usage = join(dir, 'usage.csv');
    writeFileSync(
      usage,
      'start_time,end_time,num_model_requests,model,input_tokens,output_tokens,input_cached_tokens\n' +
        '1772323200,1772409600,1.0,gpt-4o,10.0,5.0,0.0\n' +
        '1772323200,1772409600,1.0,gpt-4o-mini,10.5,5.0,0.0\n',
    );
    const costs = join(dir, 'costs.csv');
    writeFileSync(
      costs,
      'start_time,end_time,amount_value,amount_currency,line_item\n1772323200,1772409600,abc,usd,"gpt-4o, input"\n1772323200,1772409600,0.5,usd,"gpt-4o, output"\n',
    );
    await withTempDb(async (db) => {
      const u = await stage(db, openaiUsageAdapter, usage);
      expect(u.staged.map((r) => r.model)).toEqual(['gpt-4o']);
      expect(u.rejects).toEqual([{ line: '3', reason: 'line 3: input_tokens "10.5" must be a whole number ≥ 0' }]);
      const c = await stage(db, openaiCostsAdapter, costs);
      expect(c.staged.map((r) => [r.line, r.billed_cost])).toEqual([['3', '0.500000000000000000']]);
      expect(c.rejects).toEqual([{ line: '2', reason: 'line 2: amount.value "abc" is not a decimal number' }]);
    });
  });
});

describe('anthropic-cost', () => {
  it('loads cost-report.json: cents shifted to dollars exactly, 17.234501 USD', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, anthropicCostAdapter, join(ANTHROPIC, 'cost-report.json'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(4);
      expect(staged.map((r) => r.billed_cost)).toEqual([
        '1.234500000000000000',
        '6.000000000000000000',
        '0.000001000000000000',
        '10.000000000000000000',
      ]);
      expect(await billedSum(db)).toBe('17.234501000000000000');
      expect(staged.map((r) => r.model)).toEqual(['claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', null]);
      expect(staged[0]).toMatchObject({
        provider: 'anthropic',
        sku: 'Claude Sonnet 4.5 Usage - Input Tokens',
        charge_period_start: '2026-03-01 00:00:00',
        currency: 'USD',
      });
      expect(JSON.parse(staged[0]!.tags)).toMatchObject({
        workspace_id: 'wrkspc_sales',
        token_type: 'uncached_input_tokens',
      });
    });
  });

  it('rejects bad amounts and a bad bucket of cost-broken.json, loads the rest', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, anthropicCostAdapter, join(ANTHROPIC, 'cost-broken.json'));
      expect(result.rowsRead).toBe(5);
      expect(staged.map((r) => r.billed_cost)).toEqual(['2.500000000000000000']);
      expect(rejects).toEqual([
        { line: '2', reason: 'data[0].results[1]: amount "abc" is not a decimal number of cents such as "123.45"' },
        { line: '3', reason: 'data[0].results[2]: amount is missing' },
        { line: '4', reason: 'data[0].results[3]: amount "1,000" is not a decimal number of cents such as "123.45"' },
        {
          line: '5',
          reason: expect.stringContaining(
            'data[1].results[0]: bucket starting_at "yesterday" is not an RFC 3339 timestamp',
          ),
        },
      ]);
    });
  });
});

describe('anthropic-usage', () => {
  it('loads usage-report.json with 5-minute and 1-hour cache writes apart', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, anthropicUsageAdapter, join(ANTHROPIC, 'usage-report.json'));
      expect(rejects).toEqual([]);
      expect(result.rowsRead).toBe(3);
      expect(await tokenSums(db)).toEqual({
        input: '1301',
        output: '451',
        cache_read: '10000',
        cache_write: '2000',
        cache_write_1h: '500',
        requests: '0',
      });
      expect(staged.map((r) => [r.model, r.project, r.request_type])).toEqual([
        ['claude-sonnet-4-5', 'wrkspc_sales', null],
        ['claude-haiku-4-5', 'wrkspc_sales', 'batch'],
        ['claude-sonnet-4-5', 'wrkspc_sales', null],
      ]);
      expect(JSON.parse(staged[1]!.tags)).toMatchObject({ web_search_requests: '2', service_tier: 'batch' });
    });
  });

  it('rejects each broken result of usage-broken.json', async () => {
    await withTempDb(async (db) => {
      const { result, staged, rejects } = await stage(db, anthropicUsageAdapter, join(ANTHROPIC, 'usage-broken.json'));
      expect(result.rowsRead).toBe(4);
      expect(staged.map((r) => [r.line, r.input_tokens, r.output_tokens])).toEqual([['1', '10', '5']]);
      expect(rejects).toEqual([
        { line: '2', reason: 'data[0].results[1]: uncached_input_tokens -1 must be a whole number ≥ 0' },
        { line: '3', reason: expect.stringContaining('data[0].results[2]: model is missing') },
        {
          line: '4',
          reason: 'data[0].results[3]: cache_creation.ephemeral_5m_input_tokens "x" must be a whole number ≥ 0',
        },
      ]);
    });
  });
});
