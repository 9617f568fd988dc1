// Pure parts of the billing adapters: content detection (each adapter claims its own files and no other
// format's), the cents → dollars shift, model names from OpenAI line items, and the JSON page reader.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anthropicCostAdapter, anthropicUsageAdapter, centsToDollars } from '../../src/ingest/billing/anthropic.js';
import { csvHeaderCells, focusAdapter } from '../../src/ingest/billing/focus.js';
import { PROVIDER_ADAPTERS } from '../../src/ingest/billing/index.js';
import { openaiCostsAdapter, openaiUsageAdapter, modelFromLineItem } from '../../src/ingest/billing/openai.js';
import { readPages } from '../../src/ingest/billing/pages.js';
import { withOccurrence } from '../../src/ingest/billing/page-fields.js';
import type { IngestFile } from '../../src/ingest/types.js';
import { ROOT, SAMPLES } from '../helpers/cli.js';

function file(path: string): IngestFile {
  return {
    displayPath: path,
    localPath: path,
    head: readFileSync(path).subarray(0, 65536).toString('utf8'),
    sizeBytes: statSync(path).size,
  };
}
const inline = (head: string): IngestFile => ({
  displayPath: 'inline',
  localPath: '/nonexistent',
  head,
  sizeBytes: head.length,
});

const F = (p: string) => join(ROOT, 'fixtures', p);
const S = (p: string) => join(SAMPLES, p);
const AI = S('focus/focus-spec-ai-model-billing');

const OWN: [string, string][] = [
  [S('focus/focus_sample.csv'), 'focus'],
  ...readdirSync(AI)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => [join(AI, f), 'focus'] as [string, string]),
  [F('focus/focus-1.2-ai.csv'), 'focus'],
  [F('focus/focus-broken.csv'), 'focus'],
  [F('openai/costs-page.json'), 'openai-costs'],
  [F('openai/costs-overlap.jsonl'), 'openai-costs'],
  [F('openai/costs-broken.jsonl'), 'openai-costs'],
  [F('openai/usage-page.json'), 'openai-usage'],
  [F('openai/usage-broken.json'), 'openai-usage'],
  [F('openai/dashboard-costs.tsv'), 'openai-costs'],
  [F('openai/dashboard-usage.tsv'), 'openai-usage'],
  [F('anthropic/cost-report.json'), 'anthropic-cost'],
  [F('anthropic/cost-broken.json'), 'anthropic-cost'],
  [F('anthropic/usage-report.json'), 'anthropic-usage'],
  [F('anthropic/usage-broken.json'), 'anthropic-usage'],
];

// Other formats' real samples and hand-written heads that none of these adapters may claim.
const FOREIGN: [string, IngestFile][] = [
  ['claude code session', file(S('claude-code/spotter/short.jsonl'))],
  ['claude code ccusage fixture', file(S('claude-code/ccusage-fixtures/test-transcript.jsonl'))],
  ['litellm spend log payload', file(S('litellm-spend-logs/spend_logs_payload.json'))],
  ['litellm standard logging payload', file(S('litellm-spend-logs/standard_logging_payload.json'))],
  ['genai-prices usages', file(S('genai-prices-usages/usages.json'))],
  [
    'native usage JSONL',
    inline(
      '{"request_id":"r-0001","timestamp":"2026-03-02T09:15:03Z","model":"gpt-4o-mini","input_tokens":1200,"output_tokens":310}\n',
    ),
  ],
  [
    'native usage CSV',
    inline(
      'request_id,timestamp,model,input_tokens,output_tokens,cache_read_tokens,user_id\nr-2,2026-03-02T09:15:04Z,claude-sonnet-4-5,5000,800,12000,u-18\n',
    ),
  ],
  [
    'OpenRouter activity CSV',
    inline(
      'generation_id,created_at,cost_total,model_permaslug,tokens_prompt,tokens_completion\ngen-1,2026-03-01 10:00:00,0.0012,openai/gpt-4o-mini,100,20\n',
    ),
  ],
  [
    'LiteLLM SpendLogs CSV',
    inline(
      'request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,startTime,endTime,model\nr1,acompletion,k,0.1,10,5,5,2026-03-01,2026-03-01,gpt-4o\n',
    ),
  ],
  ['a costs-like CSV without amount_currency', inline('start_time,end_time,amount_value,line_item\n1,2,0.1,x\n')],
  ['a FOCUS-like CSV missing BilledCost', inline('ChargePeriodStart,BillingCurrency,ListCost\n2026-03-01,USD,1\n')],
  ['BilledCost only in a data cell', inline('a,b,c\nBilledCost,ChargePeriodStart,BillingCurrency\n')],
];

describe('detect()', () => {
  it.each(OWN)('%s is claimed by exactly its adapter (%s)', (path, format) => {
    const claimed = PROVIDER_ADAPTERS.filter((a) => a.detect(file(path))).map((a) => a.format);
    expect(claimed).toEqual([format]);
  });

  it.each(FOREIGN)('no billing adapter claims %s', (_name, f) => {
    expect(PROVIDER_ADAPTERS.filter((a) => a.detect(f)).map((a) => a.format)).toEqual([]);
  });

  it('reads FOCUS headers quoted, with a BOM, in any case', () => {
    expect(csvHeaderCells('\uFEFF"BilledCost","ChargePeriodStart"\r\n1,2')).toEqual([
      'billedcost',
      'chargeperiodstart',
    ]);
    expect(focusAdapter.detect(inline('billedcost,chargeperiodstart,billingcurrency\n'))).toBe(true);
  });

  it('tells the two OpenAI and the two Anthropic report kinds apart on minimal pages', () => {
    const costs = '{"object":"page","data":[{"object":"bucket","results":[{"object":"organization.costs.result"}]}]}';
    const usage =
      '{"object":"page","data":[{"object":"bucket","results":[{"object":"organization.usage.embeddings.result"}]}]}';
    expect([openaiCostsAdapter.detect(inline(costs)), openaiUsageAdapter.detect(inline(costs))]).toEqual([true, false]);
    expect([openaiCostsAdapter.detect(inline(usage)), openaiUsageAdapter.detect(inline(usage))]).toEqual([false, true]);
    const cost = '{"data":[{"starting_at":"2026-03-01T00:00:00Z","results":[{"amount":"1","currency":"USD"}]}]}';
    const use =
      '{"data":[{"starting_at":"2026-03-01T00:00:00Z","results":[{"uncached_input_tokens":1,"output_tokens":1}]}]}';
    expect([anthropicCostAdapter.detect(inline(cost)), anthropicUsageAdapter.detect(inline(cost))]).toEqual([
      true,
      false,
    ]);
    expect([anthropicCostAdapter.detect(inline(use)), anthropicUsageAdapter.detect(inline(use))]).toEqual([
      false,
      true,
    ]);
  });
});

describe('centsToDollars', () => {
  it.each([
    ['123.45', '1.2345'],
    ['600', '6'],
    ['0.0001', '0.000001'],
    ['1', '0.01'],
    ['-250', '-2.5'],
    ['0.1', '0.001'], // 0.1/100 in binary floats is 0.0010000000000000002
    ['12345678901234567890.123456789', '123456789012345678.90123456789'],
  ])('%s cents = $%s', (cents, dollars) => expect(centsToDollars(cents)).toBe(dollars));

  it.each(['abc', '1,000', '', '$5', '1.2.3'])('refuses %j', (bad) => expect(centsToDollars(bad)).toBeUndefined());
});

describe('modelFromLineItem', () => {
  it.each([
    ['gpt-4o-mini, input', 'gpt-4o-mini'],
    ['GPT-4o, input', 'gpt-4o'],
    ['gpt-4o-2024-08-06, cached input', 'gpt-4o-2024-08-06'],
    ['Web search tool calls', null],
    ['Image models', null],
    ['input_tokens', null],
    [null, null],
  ])('%j → %j', (item, model) => expect(modelFromLineItem(item)).toBe(model));
});

describe('readPages', () => {
  const page = (n: number) =>
    `{"data":[{"start_time":${n},"results":[{"a":1},{"a":2}]},{"start_time":${n + 1},"results":[]}]}`;

  it('reads one page, an array of pages, and one page per line alike', () => {
    expect(readPages(page(1), 'f').results.map((r) => [r.line, r.where])).toEqual([
      [1, 'data[0].results[0]'],
      [2, 'data[0].results[1]'],
    ]);
    expect(readPages(`[${page(1)},${page(5)}]`, 'f').results.map((r) => r.where)).toEqual([
      '[0].data[0].results[0]',
      '[0].data[0].results[1]',
      '[1].data[0].results[0]',
      '[1].data[0].results[1]',
    ]);
    const jsonl = readPages(`${page(1)}\n\n${page(5)}\n`, 'f');
    expect(jsonl.results.map((r) => r.line)).toEqual([1, 1, 3, 3]);
    expect(jsonl.records).toBe(4);
  });

  it('keeps number literals exact', () => {
    const [r] = readPages('{"data":[{"results":[{"v":0.34090000000000000}]}]}', 'f').results;
    expect(String(r!.result.v)).toBe('0.34090000000000000');
  });

  it('turns pages and buckets of the wrong shape into rejects, not crashes', () => {
    const read = readPages('{"data":[{"results":[{"a":1}]},{"no_results":true},7]}\n', 'f');
    expect(read.results).toHaveLength(1);
    expect(read.rejects.map((r) => r.reason)).toEqual([
      'data[1] is not a bucket with a "results" array',
      'data[2] is not a bucket with a "results" array',
    ]);
    expect(read.records).toBe(3);
    expect(readPages('{"object":"list"}', 'f').rejects.map((r) => r.reason)).toEqual(['page has no "data" array']);
  });

  it('refuses a file that is neither JSON nor JSONL, naming it', () => {
    expect(() => readPages('{"data": [\n  {"results": [', 'pages/cost.json')).toThrow(
      /^pages\/cost\.json: not valid JSON/,
    );
  });
});

describe('withOccurrence', () => {
  it('numbers repeats of a key in file order', () => {
    expect(withOccurrence(['a', 'b', 'a', 'a'])).toEqual(['a:1', 'b:1', 'a:2', 'a:3']);
  });
});

describe('the whole registry (src/ingest/index.ts) in its detection order', () => {
  it.each(OWN)('routes %s to %s', async (path, format) => {
    const { detectAdapter } = await import('../../src/ingest/index.js');
    expect(detectAdapter(file(path))?.format).toBe(format);
  });
});

describe('field readers refuse values the store cannot hold', () => {
  it('a count beyond 10^15 (so sums stay exact) and an amount beyond DECIMAL(38,18) are row problems', async () => {
    const { count, decimal } = await import('../../src/ingest/billing/page-fields.js');
    const { JsonNumber } = await import('../../src/domain/exact-json.js');
    expect(count({ n: new JsonNumber('1000000000000000') }, 'n')).toBe('1000000000000000');
    expect(() => count({ n: new JsonNumber('1000000000000001') }, 'n')).toThrow(
      'n 1000000000000001 is larger than 1000000000000000 (the most one row may carry)',
    );
    expect(decimal({ v: '99999999999999999999.5' }, 'v')).toBe('99999999999999999999.5');
    expect(() => decimal({ v: '100000000000000000000' }, 'v')).toThrow('is too large');
  });
});
