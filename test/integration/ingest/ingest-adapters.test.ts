// Claude Code, LiteLLM and OpenRouter adapters on their fixtures (hand-checked totals in each README)
// and on the real samples in fixtures/samples (statistics from that folder's README).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { entryCost } from '../../helpers/litellm-entry.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, SAMPLES, ingest, scalar, withCatalogDb } from './ingest-helpers.js';

const eq = (a: string | null | undefined, b: string) => a !== null && a !== undefined && new Decimal(a).eq(b);

describe('ingest: Claude Code', () => {
  it('fixture: repeated response lines fold to the final usage; 5m/1h writes; sub-agent; hand total', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'claude-code')]);
      expect(r.files.map((f) => [f.format, f.rows_read, f.rows_loaded, f.rows_duplicate])).toEqual([
        ['claude-code', 1, 1, 0],
        ['claude-code', 3, 2, 1],
      ]);
      expect(eq(r.total_cost, '0.007555')).toBe(true);
      const a = await db.one<Record<string, string>>(
        "SELECT output_tokens, cache_write_tokens, cache_write_1h_tokens, total_cost, user_id, project, session_id, line, provider FROM usage WHERE request_id = 'msg_A:req_A'",
      );
      expect([a!.output_tokens, a!.cache_write_tokens, a!.cache_write_1h_tokens]).toEqual(['120', '500', '1500']);
      expect(eq(a!.total_cost, '0.004335')).toBe(true);
      expect([a!.user_id, a!.project, a!.session_id, a!.line, a!.provider]).toEqual([
        'alice',
        'sales-bot',
        '5b1c0a9e-0000-4000-8000-000000000001',
        '3',
        'anthropic',
      ]);
      expect(await scalar(db, "SELECT cache_write_tokens::VARCHAR FROM usage WHERE request_id = 'msg_C:req_C'")).toBe(
        '400',
      );
      expect(await scalar(db, "SELECT count(*)::VARCHAR FROM usage WHERE model = '<synthetic>'")).toBe('0');
    });
  });

  it('real spotter transcripts: unique (message.id, requestId) counts and max-per-key tokens of the sample README', async () => {
    await withCatalogDb(async (db) => {
      const dir = join(SAMPLES, 'claude-code', 'spotter');
      const r = await ingest(db, [dir]);
      const loaded = Object.fromEntries(r.files.map((f) => [f.path.slice(dir.length + 1), f.rows_loaded]));
      expect(loaded).toEqual({
        '4d5611e5-241a-462a-8d15-5122611a9569.jsonl': 139,
        '4d5611e5-241a-462a-8d15-5122611a9569/subagents/agent-a2898e3.jsonl': 12,
        '4d5611e5-241a-462a-8d15-5122611a9569/subagents/agent-acompact-e1f845.jsonl': 1,
        'ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl': 217,
        'ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl': 3,
        'ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-acompact-946d2b.jsonl': 1,
        'short.jsonl': 1,
        // 12 of its own plus 5 sub-agent responses that only its progress lines carry (the sub-agent's file
        // is not in the sample); the other progress responses repeat keys of the sub-agent files.
        'subagent.jsonl': 17,
        'tool_heavy.jsonl': 4,
      });
      // Rows read are the usage lines: 761 assistant lines and 54 progress lines that carry a sub-agent's
      // response (README), every one accounted for once. A response's lines are counted with the file of its
      // first line: 4d5611e5's 33 progress copies fold into its sub-agent file's rows, read first.
      for (const f of r.files) expect(f.rows_read).toBe(f.rows_loaded + f.rows_duplicate + f.rows_rejected);
      expect(r.files.reduce((n, f) => n + f.rows_read, 0)).toBe(761 + 54);
      expect(r.files.find((f) => f.path.endsWith('4d5611e5-241a-462a-8d15-5122611a9569.jsonl'))!.rows_read).toBe(254);
      const tokens = await db.one<Record<string, string>>(
        `SELECT sum(input_tokens)::VARCHAR AS i, sum(output_tokens)::VARCHAR AS o, sum(cache_write_tokens + cache_write_1h_tokens)::VARCHAR AS w,
           sum(cache_read_tokens)::VARCHAR AS r FROM usage u JOIN ingest_files f ON f.id = u.file_id
         WHERE f.path LIKE '%/4d5611e5-241a-462a-8d15-5122611a9569.jsonl'`,
      );
      expect(tokens).toEqual({ i: '177', o: '28755', w: '479537', r: '11618567' });
      const models = await db.all<{ model: string; n: string }>(
        `SELECT model, count(*)::VARCHAR AS n FROM usage u JOIN ingest_files f ON f.id = u.file_id
         WHERE f.path LIKE '%/ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl' GROUP BY 1 ORDER BY 1`,
      );
      expect(models).toEqual([
        { model: 'claude-haiku-4-5-20251001', n: '133' },
        { model: 'claude-opus-4-6', n: '84' },
      ]);
      expect(await scalar(db, 'SELECT count(*) FILTER (WHERE unpriced)::VARCHAR FROM usage')).toBe('0');
      // Re-ingesting the folder adds nothing.
      const again = await ingest(db, [dir]);
      expect(again.files.every((f) => f.rows_loaded === 0)).toBe(true);
    });
  });

  it('ccusage fixtures: costUSD kept as reported_cost; usage lines without timestamp/model are rejected', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(SAMPLES, 'claude-code', 'ccusage-fixtures')]);
      const t = r.files.find((f) => f.path.endsWith('test-transcript.jsonl'))!;
      expect([t.rows_read, t.rows_loaded, t.rows_rejected]).toEqual([2, 0, 2]);
      expect(t.rejects.map((x) => x.line)).toEqual([2, 4]);
      expect(t.rejects[0]!.reason).toBe('timestamp is missing; message.model is missing');
      expect(
        await scalar(db, "SELECT reported_cost::VARCHAR FROM usage WHERE request_id = 'msg-alpha-2:req-alpha-2'"),
      ).toBe('0.340000000000000000');
      expect(await scalar(db, "SELECT tags->>'speed' FROM usage WHERE request_id = 'msg-alpha-2:req-alpha-2'")).toBe(
        'fast',
      );
    });
  });
});

describe('ingest: LiteLLM', () => {
  it('SpendLogs CSV: cached/cache-write tokens split out of prompt_tokens; hand total; reject line', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'litellm', 'spend-logs.csv')]);
      const f = r.files[0]!;
      expect([f.format, f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual(['litellm', 4, 3, 1]);
      expect(eq(f.total_cost, '0.009575')).toBe(true);
      expect(f.rejects[0]!.line).toBe(5);
      // Named as LiteLLM names the column.
      expect(f.rejects[0]!.reason).toBe('prompt_tokens "abc" must be a whole number from 0 to 1000000000000000');
      const one = await db.one<Record<string, string>>(
        "SELECT input_tokens, cache_read_tokens, department, reported_cost, ts::VARCHAR AS ts FROM usage WHERE request_id = 'chatcmpl-0001'",
      );
      expect(one).toEqual({
        input_tokens: '600',
        cache_read_tokens: '400',
        department: 'sales-east',
        reported_cost: '0.004000000000000000',
        ts: '2026-03-02 09:00:00.123456',
      });
      const two = await db.one<Record<string, string>>(
        "SELECT input_tokens, cache_write_tokens, project FROM usage WHERE request_id = 'chatcmpl-0002'",
      );
      expect(two).toEqual({ input_tokens: '500', cache_write_tokens: '500', project: 'proj-crm' });
    });
  });

  it('JSONL payloads: a repeated request id is a duplicate', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'litellm', 'spend-logs.jsonl')]);
      expect([r.files[0]!.rows_read, r.files[0]!.rows_loaded, r.files[0]!.rows_duplicate]).toEqual([2, 1, 1]);
      expect(eq(r.total_cost, '0.0006')).toBe(true);
    });
  });

  it('real samples: SpendLogs payload and StandardLoggingPayload (10 prompt + 20 completion gpt-4o = 0.000225 each)', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(SAMPLES, 'litellm-spend-logs')]);
      expect(r.files.map((f) => [f.format, f.rows_loaded])).toEqual([
        ['litellm', 1],
        ['litellm', 1],
      ]);
      // 10 × 0.0000025 + 20 × 0.00001 = 0.000225, as the sample README says LiteLLM computed.
      for (const f of r.files) expect(eq(f.total_cost, '0.000225')).toBe(true);
      const reported = await db.all<{ c: string }>('SELECT reported_cost::VARCHAR AS c FROM usage ORDER BY request_id');
      expect(reported.map((x) => x.c)).toEqual(['0.000225000000000000', '0.000225000000000000']);
    });
  });
});

describe('ingest: OpenRouter (built fixtures, no real sample exists)', () => {
  it('activity CSV: cached prompt tokens priced as cache reads; a dotted slug priced as the dashed catalog name', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'openrouter', 'activity.csv')]);
      expect([r.files[0]!.format, r.files[0]!.rows_loaded]).toEqual(['openrouter', 3]);
      expect(eq(r.total_cost, '0.01139')).toBe(true);
      expect(r.unpriced_models).toEqual([]);
      // anthropic/claude-sonnet-4.5 → claude-sonnet-4-5: 800 × 0.000003 + 100 × 0.000015, what OpenRouter billed.
      expect(
        await scalar(
          db,
          "SELECT priced_model || ' ' || total_cost::VARCHAR || ' ' || reported_cost::VARCHAR FROM usage WHERE model LIKE '%4.5'",
        ),
      ).toBe('claude-sonnet-4-5 0.003900000000000000 0.003900000000000000');
      expect(await scalar(db, "SELECT input_tokens::VARCHAR FROM usage WHERE request_id LIKE 'gen-1772438400%'")).toBe(
        '1000',
      );
    });
  });

  it('generation records: native counts', async () => {
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [join(FIXTURES, 'openrouter', 'generations.jsonl')]);
      expect(eq(r.total_cost, '0.0005')).toBe(true);
      expect(await scalar(db, 'SELECT user_id FROM usage')).toBe('u-7');
    });
  });

  it('reasoning, image output and the served tier land in their columns and price at their rates', async () => {
    const dir = tempDir();
    const csv = join(dir, 'activity.csv');
    const head =
      'generation_id,created_at,cost_total,tokens_prompt,tokens_completion,tokens_reasoning,tokens_cached,model_permaslug';
    // the second row's reasoning exceeds its completion (reasoning is billed inside it): rejected
    writeFileSync(
      csv,
      `${head}\ngen-1,2026-03-02 08:00:00.000,0.01,1000,600,400,0,google/gemini-2.5-flash\ngen-2,2026-03-02 08:00:01.000,0.01,10,5,6,0,google/gemini-2.5-flash\n`,
    );
    const jsonl = join(dir, 'generations.jsonl');
    const gen = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ data: { id, created_at: '2026-03-02T11:00:00.000Z', native_tokens_prompt: 1000, ...extra } });
    writeFileSync(
      jsonl,
      [
        gen('gen-3', {
          model: 'google/gemini-2.5-flash-image',
          native_tokens_completion: 1400,
          native_tokens_completion_images: 1290,
        }),
        gen('gen-4', {
          model: 'openai/gpt-5-mini',
          native_tokens_completion: 300,
          native_tokens_cached: 400,
          service_tier: 'flex',
        }),
        gen('gen-5', {
          model: 'openai/gpt-5-mini',
          native_tokens_completion: 10,
          native_tokens_completion_images: 'many',
        }),
      ].join('\n'),
    );
    await withCatalogDb(async (db) => {
      const r = await ingest(db, [csv, jsonl]);
      expect(r.files.map((f) => [f.rows_loaded, f.rows_rejected])).toEqual([
        [1, 1],
        [2, 1],
      ]);
      const rows = await db.all<Record<string, string | null>>(
        `SELECT request_id, reasoning_tokens::VARCHAR AS re, image_output_tokens::VARCHAR AS io, service_tier, total_cost::VARCHAR AS c
         FROM usage ORDER BY request_id`,
      );
      expect(rows.map(({ c, ...stored }) => stored)).toEqual([
        { request_id: 'gen-1', re: '400', io: '0', service_tier: null },
        { request_id: 'gen-3', re: '0', io: '1290', service_tier: null },
        { request_id: 'gen-4', re: '0', io: '0', service_tier: 'flex' },
      ]);
      const costs = rows.map((x) => x.c && new Decimal(x.c).toFixed());
      expect(costs).toEqual([
        entryCost('gemini-2.5-flash', [
          [1000, 'input'],
          [200, 'output'],
          [400, 'reasoning'],
        ]),
        entryCost('gemini-2.5-flash-image', [
          [1000, 'input'],
          [110, 'output'],
          [1290, 'imageOutput'],
        ]),
        entryCost('gpt-5-mini', [
          [600, 'flexInput'],
          [400, 'flexCacheRead'],
          [300, 'flexOutput'],
        ]),
      ]);
      const rejects = await db.all<{ reason: string }>('SELECT reason FROM rejects ORDER BY file_id, line');
      expect(rejects.map((x) => x.reason)).toEqual([
        'tokens_reasoning (6) must not exceed tokens_completion (5): a breakdown is part of its total',
        expect.stringContaining('native_tokens_completion_images "many" must be a whole number'),
      ]);
    });
  });
});
